"""A member's own page in an organisation (/orgs/<org>/me/): their role and groups, and their
mobile number for SMS-style simulations, which only they can add and confirm."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from awareness.lib.throttling import throttle_posts
from training.people.forms import PhoneCodeForm, PhoneForm
from training.people.selectors import membership_in, pending_phone_code, phone_feature_allowed
from training.people.services import confirm_code, remove_phone, send_code, set_phone
from training.people.views.gates import org_view


def _page(request, membership, *, phone_form=None, code_form=None, status=200):
    return render(
        request,
        "people/me.html",
        {
            "membership": membership,
            "groups": membership.groups.order_by("name"),
            "phone_allowed": phone_feature_allowed(request.user),
            "phone_form": phone_form or PhoneForm(),
            "code_form": code_form or PhoneCodeForm(),
            "pending_code": pending_phone_code(membership),
            "now": timezone.now(),
        },
        status=status,
    )


def _own_membership(request, org):
    membership = membership_in(request.user, org)
    if not phone_feature_allowed(request.user):
        raise PermissionDenied("This account cannot have a phone number.")
    return membership


@login_required
@org_view()
def my_membership(request, org, *, membership):
    return _page(request, membership)


@login_required
@require_POST
@throttle_posts("phone-code", "RATELIMIT_PHONE_CODE")
def phone_set(request, org):
    """Add or change the number, and text a code to it."""
    membership = _own_membership(request, org)
    form = PhoneForm(request.POST)
    if form.is_valid():
        now = timezone.now()
        try:
            set_phone(membership, request.user, form.cleaned_data["phone_number"], now)
            membership.refresh_from_db()
            send_code(membership, request.user, now)
        except ValidationError as error:
            form.add_error("phone_number" if not hasattr(error, "error_dict") else None, error)
        else:
            messages.success(
                request,
                _("We texted a 6-digit code to %(number)s. Enter it below to confirm the number.")
                % {"number": membership.phone_number},
            )
            return redirect("my_membership", org)
    membership.refresh_from_db()
    return _page(request, membership, phone_form=form, status=400)


@login_required
@require_POST
@throttle_posts("phone-code", "RATELIMIT_PHONE_CODE")
def phone_resend(request, org):
    membership = _own_membership(request, org)
    try:
        send_code(membership, request.user, timezone.now())
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("A new code is on its way to %(number)s. Earlier codes no longer work.")
            % {"number": membership.phone_number},
        )
    return redirect("my_membership", org)


@login_required
@require_POST
def phone_confirm(request, org):
    membership = _own_membership(request, org)
    form = PhoneCodeForm(request.POST)
    if form.is_valid():
        try:
            confirm_code(membership, request.user, form.cleaned_data["code"], timezone.now())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your number is confirmed."))
            return redirect("my_membership", org)
    return _page(request, membership, code_form=form, status=400)


@login_required
@require_POST
@org_view()
def phone_remove(request, org, *, membership):
    remove_phone(membership, request.user)
    messages.success(request, _("Your phone number was removed."))
    return redirect("my_membership", org)


org_urlpatterns = [
    path("", my_membership, name="my_membership"),
    path("phone/", phone_set, name="phone_set"),
    path("phone/resend/", phone_resend, name="phone_resend"),
    path("phone/confirm/", phone_confirm, name="phone_confirm"),
    path("phone/remove/", phone_remove, name="phone_remove"),
]
