"""Creating, scheduling and cancelling campaigns, and the organisation's sending pace; each
write records its audit event."""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from awareness.safety.services import record_audit
from training.campaigns.models import (
    Campaign,
    CampaignModule,
    CampaignRun,
    CampaignStatus,
    Notification,
    NotificationStatus,
    RunStatus,
    SendingPolicy,
    SimulationPolicy,
)
from training.campaigns.services.launch import start_run
from training.campaigns.services.simulations import simulation_policy
from training.people.models import Group, Membership
from training.people.selectors import require_admin


def _require_own(actor: Membership, campaign: Campaign) -> None:
    require_admin(actor)
    if campaign.organization_id != actor.organization_id:
        raise PermissionDenied


def _audit(actor: Membership, action: str, target, **details) -> None:
    record_audit(
        actor=actor.user,
        organization=actor.organization,
        action=action,
        target=target,
        details=details,
    )


@transaction.atomic
def create_campaign(
    actor: Membership,
    *,
    name: str,
    modules: list,
    groups: list[Group],
    starts_at: datetime,
    due_days: int,
    recurrence: str = "",
    reminder_every_days: int = 3,
    reminder_limit: int = 4,
    escalate: bool = True,
    pass_mark: float = 0.6,
) -> Campaign:
    """A draft campaign; nothing is sent until it is launched (or scheduled)."""
    require_admin(actor)
    if not modules:
        raise ValidationError(_("Choose at least one module."))
    if not groups or any(g.organization_id != actor.organization_id for g in groups):
        raise ValidationError(_("Choose at least one group of your organisation."))
    campaign = Campaign.objects.create(
        organization_id=actor.organization_id,
        name=name,
        starts_at=starts_at,
        due_days=due_days,
        recurrence=recurrence,
        reminder_every_days=reminder_every_days,
        reminder_limit=reminder_limit,
        escalate=escalate,
        pass_mark=pass_mark,
        created_by=actor,
    )
    campaign.groups.set(groups)
    CampaignModule.objects.bulk_create(
        CampaignModule(campaign=campaign, position=n, module_slug=m.slug, module_title=m.title)
        for n, m in enumerate(modules)
    )
    _audit(
        actor,
        "campaign.created",
        campaign,
        modules=[m.slug for m in modules],
        groups=[g.pk for g in groups],
    )
    return campaign


def schedule_campaign(actor: Membership, campaign: Campaign, *, now: datetime) -> Campaign:
    """Launch now if the start has come, else leave it to the tick at the start time."""
    _require_own(actor, campaign)
    with transaction.atomic():
        claimed = Campaign.objects.filter(pk=campaign.pk, status=CampaignStatus.DRAFT).update(
            status=CampaignStatus.SCHEDULED
        )
        if not claimed:
            raise ValidationError(_("Only a draft campaign can be launched."))
        campaign.refresh_from_db()
        if campaign.starts_at <= now:
            start_run(campaign, starts_at=now)
            campaign.refresh_from_db()
        _audit(
            actor,
            "campaign.launched",
            campaign,
            starts_at=campaign.starts_at.isoformat(),
            started_now=campaign.starts_at <= now,
        )
    return campaign


@transaction.atomic
def cancel_campaign(actor: Membership, campaign: Campaign) -> Campaign:
    """Stops everything not yet sent; what was sent and done stays on record."""
    _require_own(actor, campaign)
    Campaign.objects.filter(pk=campaign.pk).update(status=CampaignStatus.CANCELLED)
    CampaignRun.objects.filter(campaign=campaign, status=RunStatus.LAUNCHING).update(
        status=RunStatus.CANCELLED
    )
    Notification.objects.filter(
        run__campaign=campaign,
        status__in=[NotificationStatus.PENDING, NotificationStatus.SENDING],
    ).update(status=NotificationStatus.CANCELLED)
    campaign.refresh_from_db()
    _audit(actor, "campaign.cancelled", campaign)
    return campaign


@transaction.atomic
def set_sending_pace(actor: Membership, *, per_minute: int, per_day: int) -> SendingPolicy:
    """How fast the organisation's mail provider lets it send; the outbox keeps to it."""
    require_admin(actor)
    policy, _created = SendingPolicy.objects.select_for_update().get_or_create(
        organization_id=actor.organization_id
    )
    before = {"per_minute": policy.per_minute, "per_day": policy.per_day}
    policy.per_minute, policy.per_day = per_minute, per_day
    policy.save(update_fields=["per_minute", "per_day"])
    _audit(
        actor,
        "campaigns.sending_pace_changed",
        policy,
        before=before,
        after={"per_minute": per_minute, "per_day": per_day},
    )
    return policy


SIMULATION_RULES = ("require_approval", "aggregate_only", "anonymise_after_days")


@transaction.atomic
def set_simulation_rules(actor: Membership, **rules) -> SimulationPolicy:
    """Approval, privacy of results and anonymisation for the organisation's simulations."""
    require_admin(actor)
    policy = simulation_policy(actor.organization_id)
    before = {name: getattr(policy, name) for name in SIMULATION_RULES}
    for name in SIMULATION_RULES:
        setattr(policy, name, rules[name])
    policy.save(update_fields=list(SIMULATION_RULES))
    _audit(actor, "simulations.rules_changed", policy, before=before, after=rules)
    return policy
