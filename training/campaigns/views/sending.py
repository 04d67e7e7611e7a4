"""Sending profiles and their DKIM records, and "send a test to me" (admins). Thin views."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from training.campaigns.forms import SendingProfileForm, TestLureForm
from training.campaigns.selectors import simulations as selectors
from training.campaigns.services.sending import save_sending_profile
from training.campaigns.services.test_lure import send_test_lure
from training.people.views.gates import org_view


def _page(request, membership, *, profile_form=None, test_form=None, status=200):
    templates = list(selectors.templates_for(membership))
    profiles = list(selectors.profiles_of(membership))
    context = {
        "membership": membership,
        "profiles": profiles,
        "keys": selectors.dkim_keys_of(membership),
        "profile_form": profile_form or SendingProfileForm(),
        "test_form": test_form or TestLureForm(templates=templates, profiles=profiles),
    }
    return render(request, "campaigns/sending.html", context, status=status)


@login_required
@org_view(role="admin")
def sending_profiles(request, org, *, membership):
    if request.method != "POST":
        return _page(request, membership)
    form = SendingProfileForm(request.POST)
    if form.is_valid():
        try:
            save_sending_profile(membership, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Sending profile saved."))
            return redirect("sending_profiles", org)
    return _page(request, membership, profile_form=form, status=400)


@login_required
@require_POST
@org_view(role="admin")
def send_test(request, org, *, membership):
    templates = list(selectors.templates_for(membership))
    profiles = list(selectors.profiles_of(membership))
    form = TestLureForm(request.POST, templates=templates, profiles=profiles)
    if form.is_valid():
        data = form.cleaned_data
        try:
            send_test_lure(
                membership,
                next(t for t in templates if str(t.pk) == data["template"]),
                next((p for p in profiles if str(p.pk) == data["profile"]), None),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Test sent to %(address)s.") % {"address": request.user.email}
            )
            return redirect("sending_profiles", org)
    return _page(request, membership, test_form=form, status=400)


urlpatterns = [
    path("", sending_profiles, name="sending_profiles"),
    path("test/", send_test, name="send_test_lure"),
]
