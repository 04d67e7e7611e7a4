"""The report mailbox and what staff forwarded to it (admins). Thin views."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from training.campaigns.forms import ReportMailboxForm, TriageForm
from training.campaigns.models import ReportMailbox, Verdict
from training.campaigns.selectors import simulations as selectors
from training.campaigns.services.report_mailbox import (
    check_report_mailbox,
    save_report_mailbox,
    triage_reported_message,
)
from training.people.views.gates import org_view


def _page(request, membership, form=None, status=200):
    mailbox = ReportMailbox.objects.filter(organization_id=membership.organization_id).first()
    if form is None:
        initial = {f: getattr(mailbox, f) for f in ("host", "port", "use_tls", "username",
                                                   "folder")} if mailbox else None  # fmt: skip
        form = ReportMailboxForm(initial=initial)
    context = {
        "membership": membership,
        "mailbox": mailbox,
        "form": form,
        "reported": selectors.reported_messages_of(membership)[:200],
        "verdicts": Verdict.choices,
    }
    return render(request, "campaigns/reports.html", context, status=status)


@login_required
@org_view(role="admin")
def report_mailbox(request, org, *, membership):
    if request.method != "POST":
        return _page(request, membership)
    form = ReportMailboxForm(request.POST)
    if form.is_valid():
        try:
            save_report_mailbox(membership, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Report mailbox saved: the server took the password."))
            return redirect("report_mailbox", org)
    return _page(request, membership, form, status=400)


@login_required
@require_POST
@org_view(role="admin")
def report_mailbox_check(request, org, *, membership):
    if not ReportMailbox.objects.filter(organization_id=membership.organization_id).exists():
        messages.error(request, _("Set up the report mailbox first."))
        return redirect("report_mailbox", org)
    try:
        counts = check_report_mailbox(membership.organization_id, now=timezone.now())
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Read: %(simulations)s forwarded simulation(s), %(other)s other message(s).")
            % counts,
        )
    return redirect("report_mailbox", org)


@login_required
@require_POST
@org_view(role="admin")
def reported_message_triage(request, org, message_id, *, membership):
    message = selectors.reported_message_for(membership, message_id)
    form = TriageForm(request.POST)
    if not form.is_valid():
        return _page(request, membership, status=400)
    triage_reported_message(membership, message, form.cleaned_data["verdict"], now=timezone.now())
    messages.success(request, _("Verdict saved."))
    return redirect("report_mailbox", org)


urlpatterns = [
    path("", report_mailbox, name="report_mailbox"),
    path("check/", report_mailbox_check, name="report_mailbox_check"),
    path("<int:message_id>/triage/", reported_message_triage, name="reported_message_triage"),
]
