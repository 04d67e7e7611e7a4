"""Campaign pages for a bank's administrators: thin views over services and selectors."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from awareness.content.selectors import catalogue
from awareness.lib.spreadsheets import csv_response
from training.campaigns import selectors
from training.campaigns.forms import CampaignForm, SendingPolicyForm
from training.campaigns.models import CampaignStatus, SendingPolicy
from training.campaigns.services import (
    cancel_campaign,
    create_campaign,
    schedule_campaign,
    set_sending_pace,
)
from training.people.views.gates import org_view


@login_required
@org_view(role="admin")
def campaign_list(request, org, *, membership):
    policy, _created = SendingPolicy.objects.get_or_create(
        organization_id=membership.organization_id
    )
    form = SendingPolicyForm(request.POST or None, instance=policy)
    if request.method == "POST" and form.is_valid():
        set_sending_pace(membership, **form.cleaned_data)
        messages.success(request, _("Sending pace saved."))
        return redirect("campaign_list", org)
    return render(
        request,
        "campaigns/campaign_list.html",
        {
            "membership": membership,
            "campaigns": selectors.campaigns_of(membership),
            "trend": selectors.quarterly_trend(membership),
            "policy_form": form,
        },
        status=400 if form.errors else 200,
    )


@login_required
@org_view(role="admin")
def campaign_create(request, org, *, membership):
    modules = catalogue(language=request.LANGUAGE_CODE, max_age_rating=18)
    groups = list(membership.organization.groups.all())
    form = CampaignForm(request.POST or None, modules=modules, groups=groups)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        by_slug = {m.slug: m for m in modules}
        try:
            campaign = create_campaign(
                membership,
                name=data["name"],
                modules=[by_slug[slug] for slug in data["modules"]],
                groups=[g for g in groups if str(g.pk) in data["groups"]],
                starts_at=data["starts_at"],
                due_days=data["due_days"],
                recurrence=data["recurrence"],
                reminder_every_days=data["reminder_every_days"],
                reminder_limit=data["reminder_limit"],
                escalate=data["escalate"],
                pass_mark=data["pass_mark"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("campaign_detail", org, campaign.pk)
    return render(
        request,
        "campaigns/campaign_create.html",
        {"membership": membership, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@org_view(role="admin")
def campaign_detail(request, org, campaign_id, *, membership):
    campaign = selectors.campaign_for(membership, campaign_id)
    context = {
        "membership": membership,
        "campaign": campaign,
        **selectors.campaign_dashboard(campaign, now=timezone.now()),
    }
    if request.htmx:  # the running dashboard refreshes itself
        return render(request, "campaigns/_dashboard.html", context)
    return render(request, "campaigns/campaign_detail.html", context)


@login_required
@require_POST
@org_view(role="admin")
def campaign_launch(request, org, campaign_id, *, membership):
    campaign = selectors.campaign_for(membership, campaign_id)
    try:
        schedule_campaign(membership, campaign, now=timezone.now())
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Launched: invitations are on their way.")
            if campaign.status == CampaignStatus.RUNNING
            else _("Scheduled: it launches at its start time."),
        )
    return redirect("campaign_detail", org, campaign.pk)


@login_required
@require_POST
@org_view(role="admin")
def campaign_cancel(request, org, campaign_id, *, membership):
    cancel_campaign(membership, selectors.campaign_for(membership, campaign_id))
    messages.success(request, _("Cancelled: nothing more will be sent."))
    return redirect("campaign_detail", org, campaign_id)


@login_required
@org_view(role="admin")
def campaign_csv(request, org, campaign_id, table, *, membership):
    """Every dashboard table as CSV; "evidence" streams one row per person and module."""
    campaign = selectors.campaign_for(membership, campaign_id)
    run = selectors.latest_run(campaign)
    table_rows = selectors.csv_table(run, table, now=timezone.now()) if run else None
    if table_rows is None:
        return redirect("campaign_detail", org, campaign_id)
    header, rows = table_rows
    return csv_response(f"campaign-{campaign.pk}-{table}.csv", header, rows)


@login_required
@org_view(role="admin")
def campaign_evidence(request, org, campaign_id, *, membership):
    """A print-ready report for auditors: the campaign, its figures and where the full list is."""
    campaign = selectors.campaign_for(membership, campaign_id)
    context = {
        "membership": membership,
        "campaign": campaign,
        "generated_at": timezone.now(),
        **selectors.campaign_evidence(campaign, now=timezone.now()),
    }
    return render(request, "campaigns/campaign_evidence.html", context)


org_urlpatterns = [
    path("", campaign_list, name="campaign_list"),
    path("new/", campaign_create, name="campaign_create"),
    path("<int:campaign_id>/", campaign_detail, name="campaign_detail"),
    path("<int:campaign_id>/launch/", campaign_launch, name="campaign_launch"),
    path("<int:campaign_id>/cancel/", campaign_cancel, name="campaign_cancel"),
    path("<int:campaign_id>/evidence/", campaign_evidence, name="campaign_evidence"),
    path("<int:campaign_id>/<slug:table>.csv", campaign_csv, name="campaign_csv"),
]
