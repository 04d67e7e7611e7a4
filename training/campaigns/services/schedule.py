"""What the tick finds due in the database: launches, late joiners, reminders, digests."""

from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q

from training.campaigns import signals
from training.campaigns.models import (
    Assignment,
    Campaign,
    CampaignRun,
    CampaignStatus,
    Notification,
    NotificationKind,
    Recurrence,
    RunStatus,
)
from training.campaigns.services.launch import enroll, start_run
from training.campaigns.services.outbox import queue_messages
from training.people.models import Membership, Role

PERIODS = {
    Recurrence.MONTHLY: timedelta(days=30),
    Recurrence.QUARTERLY: timedelta(days=91),
    Recurrence.YEARLY: timedelta(days=365),
}


def launch_due_runs(*, now: datetime) -> int:
    """Scheduled campaigns whose start has come, and recurring ones whose next period has."""
    started = 0
    for campaign in Campaign.objects.filter(status=CampaignStatus.SCHEDULED, starts_at__lte=now):
        started += start_run(campaign, starts_at=now) is not None
    recurring = Campaign.objects.filter(status=CampaignStatus.RUNNING).exclude(
        recurrence=Recurrence.NONE
    )
    for campaign in recurring:
        last = campaign.runs.order_by("-number").first()
        if last and last.starts_at + PERIODS[campaign.recurrence] <= now:
            started += start_run(campaign, starts_at=now) is not None
    return started


def enroll_late_joiners(*, now: datetime) -> int:
    """People who joined a campaign's groups after its launch get its current run too."""
    enrolled = 0
    open_runs = CampaignRun.objects.filter(
        status=RunStatus.LAUNCHED, due_at__gt=now, campaign__status=CampaignStatus.RUNNING
    ).select_related("campaign")
    for run in open_runs:
        missing = list(
            Membership.objects.filter(groups__campaigns=run.campaign_id, is_active=True)
            .exclude(Exists(Assignment.objects.filter(run=run, membership=OuterRef("pk"))))
            .values_list("pk", flat=True)
            .distinct()
        )
        if missing:
            enrolled += enroll(run, missing, now=now)
    return enrolled


def _reminder_number(run: CampaignRun, since: datetime, now: datetime) -> int:
    every = timedelta(days=max(1, run.campaign.reminder_every_days))
    return min(int((now - since) / every), run.campaign.reminder_limit)


def queue_reminders(*, now: datetime) -> int:
    """Reminder n of a run is due n intervals after launch, until the due date, for people
    with unfinished modules. The key makes each reminder exist once, whoever creates it."""
    queued = 0
    runs = CampaignRun.objects.filter(
        status=RunStatus.LAUNCHED,
        launched_at__isnull=False,
        due_at__gt=now,
        campaign__status=CampaignStatus.RUNNING,
    ).select_related("campaign")
    for run in runs:
        number = _reminder_number(run, run.launched_at, now)
        if number < 1:
            continue
        people = (
            Assignment.objects.filter(run=run, completed_at__isnull=True)
            .values_list("membership_id", flat=True)
            .distinct()
        )
        queued += _queue(run, NotificationKind.REMINDER, number, list(people), now)
    return queued


def queue_escalations(*, now: datetime) -> int:
    """After the due date, each group's manager gets a digest of who is overdue, at the
    reminder interval, at most as many times as reminders."""
    queued = 0
    runs = CampaignRun.objects.filter(
        status=RunStatus.LAUNCHED,
        due_at__lte=now,
        campaign__escalate=True,
        campaign__status=CampaignStatus.RUNNING,
    ).select_related("campaign")
    for run in runs:
        number = _reminder_number(run, run.due_at, now) + 1
        if number > run.campaign.reminder_limit:
            continue
        managers = (
            Membership.objects.filter(
                led_groups__campaigns=run.campaign_id,
                role__in=[Role.MANAGER, Role.ADMIN, Role.OWNER],
                is_active=True,
                led_groups__members__campaign_assignments__run=run,
                led_groups__members__campaign_assignments__completed_at__isnull=True,
            )
            .values_list("pk", flat=True)
            .distinct()
        )
        queued += _queue(run, NotificationKind.ESCALATION, number, list(managers), now)
    return queued


def _queue(run, kind: str, number: int, membership_ids: list[int], now: datetime) -> int:
    keys = {member: f"{kind}:{run.pk}:{member}:{number}" for member in membership_ids}
    existing = set(Notification.objects.filter(key__in=keys.values()).values_list("key", flat=True))
    new = [(member, key) for member, key in keys.items() if key not in existing]
    queue_messages(run, kind, new, not_before=now)
    return len(new)


def complete_finished_campaigns(*, now: datetime) -> int:
    """A one-off campaign is completed once its run's due date and digests are over;
    integrations hear of each completion once, after commit."""
    done = Campaign.objects.filter(
        status=CampaignStatus.RUNNING, recurrence=Recurrence.NONE
    ).exclude(runs__status=RunStatus.LAUNCHING)
    finished = [
        campaign
        for campaign in done.prefetch_related("runs")
        if all(
            run.due_at
            + timedelta(days=max(1, campaign.reminder_every_days) * campaign.reminder_limit)
            <= now
            for run in campaign.runs.all()
        )
        and campaign.runs.all()
    ]
    completed = 0
    for campaign in finished:
        with transaction.atomic():
            # A conditional UPDATE: of two ticks, one completes the campaign and announces it.
            if Campaign.objects.filter(pk=campaign.pk, status=CampaignStatus.RUNNING).update(
                status=CampaignStatus.COMPLETED
            ):
                completed += 1
                transaction.on_commit(partial(_announce_completion, campaign, now))
    return completed


def _announce_completion(campaign: Campaign, now: datetime) -> None:
    totals = Assignment.objects.filter(run__campaign=campaign).aggregate(
        assignments=Count("pk"), completed=Count("pk", filter=Q(completed_at__isnull=False))
    )
    signals.campaign_completed.send(
        sender=Campaign,
        organization=campaign.organization,
        key=f"campaign:{campaign.pk}",
        payload={
            "campaign": {"id": campaign.pk, "name": campaign.name},
            "completed_at": now.isoformat(),
            "runs": len(campaign.runs.all()),
            **totals,
        },
    )


def announce_overdue_runs(*, now: datetime) -> int:
    """Runs whose due date passed lately with work still open: integrations hear of each run
    once (the event key is the run; receivers drop repeats from later ticks)."""
    runs = CampaignRun.objects.filter(
        status=RunStatus.LAUNCHED,
        due_at__lte=now,
        due_at__gt=now - timedelta(hours=settings.OVERDUE_NOTICE_HOURS),
        campaign__status=CampaignStatus.RUNNING,
    ).select_related("campaign__organization")
    announced = 0
    for run in runs:
        overdue = Assignment.objects.filter(run=run, completed_at__isnull=True).aggregate(
            assignments=Count("pk"), people=Count("membership_id", distinct=True)
        )
        if not overdue["assignments"]:
            continue
        signals.assignment_overdue.send(
            sender=CampaignRun,
            organization=run.campaign.organization,
            key=f"run:{run.pk}",
            payload={
                "campaign": {"id": run.campaign_id, "name": run.campaign.name},
                "run": run.number,
                "due_at": run.due_at.isoformat(),
                "overdue_assignments": overdue["assignments"],
                "overdue_people": overdue["people"],
            },
        )
        announced += 1
    return announced
