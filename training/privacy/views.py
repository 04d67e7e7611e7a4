"""Pages about personal data: a learner's own (download, delete the account) and, for an
organisation, a member's data and the audit log of who did what."""

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from awareness.safety import selectors
from awareness.safety.forms import ConfirmWithPasswordForm
from training.people.views.gates import org_view
from training.privacy import selectors as privacy
from training.privacy.services import (
    delete_member_account,
    delete_own_account,
    export_member_data,
    export_personal_data,
)


def personal_data_download(data: dict, username: str) -> HttpResponse:
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="personal-data-{username}.json"'
    response["Cache-Control"] = "no-store"
    return response


# --- A learner's own data ---------------------------------------------------------------------


@login_required
def my_data(request):
    return render(request, "safety/my_data.html", {"form": ConfirmWithPasswordForm()})


@login_required
@require_POST
def my_data_download(request):
    data = export_personal_data(request.user, actor=request.user)
    return personal_data_download(data, request.user.get_username())


@login_required
@require_POST
def delete_my_account(request):
    form = ConfirmWithPasswordForm(request.POST)
    if form.is_valid():
        try:
            delete_own_account(
                request.user, password=form.cleaned_data["password"], now=timezone.now()
            )
        except ValidationError as error:
            form.add_error("password", error)
        else:
            logout(request)
            messages.success(request, _("Your account and everything about you are deleted."))
            return redirect("home")
    return render(request, "safety/my_data.html", {"form": form}, status=400)


# --- Organisations: a member's data, the audit log ----------------------------------------------


@login_required
@require_GET
@org_view()
def member_data(request, org, member_id, *, membership):
    member = privacy.member_for_privacy(membership, member_id)
    return render(request, "safety/member_data.html", {"membership": membership, "member": member})


@login_required
@require_POST
@org_view()
def member_data_download(request, org, member_id, *, membership):
    member = privacy.member_for_privacy(membership, member_id)
    try:
        data = export_member_data(membership, member)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("member_data", org, member.pk)
    return personal_data_download(data, member.user.get_username())


@login_required
@require_POST
@org_view()
def member_delete(request, org, member_id, *, membership):
    member = privacy.member_for_privacy(membership, member_id)
    name = member.user.get_username()
    try:
        delete_member_account(membership, member, now=timezone.now())
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("member_data", org, member.pk)
    messages.success(request, _("The account of %(name)s is deleted.") % {"name": name})
    return redirect("organization_home", org)


@login_required
@require_GET
@org_view(role="admin")
def audit_log(request, org, *, membership):
    return render(
        request,
        "safety/audit_log.html",
        {
            "membership": membership,
            "page": selectors.audit_log(membership.organization, page=request.GET.get("page", 1)),
        },
    )
