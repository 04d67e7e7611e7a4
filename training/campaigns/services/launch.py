"""Launching a run: recipients in chunks, one task per chunk, assignments and invitations in
bulk. Every step is safe to run twice: rows are unique by key and chunks are claimed."""

from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from training.campaigns.bulk import insert_new_rows
from training.campaigns.models import (
    Assignment,
    Campaign,
    CampaignRun,
    CampaignStatus,
    LaunchChunk,
    NotificationKind,
    RunStatus,
)
from training.campaigns.services.outbox import queue_messages
from training.campaigns.services.statistics import tally_new_assignments
from training.people.models import Membership

CHUNK_SIZE = 2000  # recipients per task: 100,000 people are 50 broker messages


def invitation_key(run_id: int, membership_id: int) -> str:
    return f"invitation:{run_id}:{membership_id}"


def start_run(campaign: Campaign, *, starts_at: datetime) -> CampaignRun | None:
    """Create the campaign's next run and queue its launch; None if that run exists."""
    # the tasks module imports this one: imported when the work is queued
    from training.campaigns.tasks import launch_run as launch_run_task

    number = (campaign.runs.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    with transaction.atomic():
        run, created = CampaignRun.objects.get_or_create(
            campaign=campaign,
            number=number,
            defaults={
                "starts_at": starts_at,
                "due_at": starts_at + timedelta(days=campaign.due_days),
            },
        )
        Campaign.objects.filter(pk=campaign.pk).exclude(status=CampaignStatus.CANCELLED).update(
            status=CampaignStatus.RUNNING
        )
        if created:
            # Should this process die before publishing, the tick finds the run unsplit.
            transaction.on_commit(lambda: launch_run_task.delay(run.pk))
    return run if created else None


def target_member_ids(campaign: Campaign) -> list[int]:
    """Active members of the campaign's groups, each once."""
    return list(
        Membership.objects.filter(groups__campaigns=campaign, is_active=True)
        .values_list("pk", flat=True)
        .distinct()
        .order_by("pk")
    )


def launch_run(run_id: int) -> None:
    """Split the recipients into chunks and queue one task per chunk. Run again (a redelivered
    or re-queued task), it queues the chunks not yet done instead: a worker may have died
    between the split's commit and its publishes."""
    run = CampaignRun.objects.select_related("campaign").get(pk=run_id)
    if run.status != RunStatus.LAUNCHING:
        return
    if run.chunks_total:
        _queue_chunks(LaunchChunk.objects.filter(run=run, done=False), now=timezone.now())
        return
    members = target_member_ids(run.campaign)
    chunks = [members[i : i + CHUNK_SIZE] for i in range(0, len(members), CHUNK_SIZE)]
    with transaction.atomic():
        claimed = CampaignRun.objects.filter(pk=run_id, chunks_total=0).update(
            chunks_total=len(chunks) or 1, recipients=len(members), heartbeat_at=timezone.now()
        )
        if not claimed:
            return
        created = LaunchChunk.objects.bulk_create(
            LaunchChunk(run=run, number=n, membership_ids=ids) for n, ids in enumerate(chunks)
        )
        if not chunks:
            _finish_launch(run_id)
        _publish_chunks([chunk.pk for chunk in created])


def enroll_chunk(chunk_id: int) -> None:
    """Assignments (person × module) and one invitation per person, in bulk."""
    chunk = LaunchChunk.objects.select_related("run__campaign").get(pk=chunk_id)
    if chunk.done:
        return
    # Taken: the tick leaves a chunk alone while it runs. A copy of this task blocks here
    # until the first one commits, then finds the chunk done.
    LaunchChunk.objects.filter(pk=chunk_id, done=False).update(heartbeat_at=timezone.now())
    with transaction.atomic():
        if not LaunchChunk.objects.filter(pk=chunk_id, done=False).update(done=True):
            return
        enroll(chunk.run, chunk.membership_ids)
        CampaignRun.objects.filter(pk=chunk.run_id).update(chunks_done=F("chunks_done") + 1)
        if CampaignRun.objects.filter(pk=chunk.run_id, chunks_done__gte=F("chunks_total")).exists():
            _finish_launch(chunk.run_id)


def resume_stalled_launches(*, now: datetime) -> int:
    """Queue again what a dead worker or web process left: a launching run never split, and
    chunks not done, untouched for LAUNCH_STALLED_SECONDS. Running either twice is safe, so
    the database alone says what is left; returns how many tasks were queued."""
    # the tasks module imports this one: imported when the work is queued
    from training.campaigns.tasks import launch_run as launch_run_task

    stale = now - timedelta(seconds=settings.LAUNCH_STALLED_SECONDS)
    queued = 0
    with transaction.atomic():
        runs = list(
            CampaignRun.objects.select_for_update(skip_locked=True)
            .filter(status=RunStatus.LAUNCHING, chunks_total=0, heartbeat_at__lt=stale)
            .values_list("pk", flat=True)
        )
        CampaignRun.objects.filter(pk__in=runs).update(heartbeat_at=now)
        for run_id in runs:
            transaction.on_commit(partial(launch_run_task.delay, run_id))
        queued += len(runs)
        chunks = LaunchChunk.objects.filter(
            done=False, run__status=RunStatus.LAUNCHING, heartbeat_at__lt=stale
        )
        queued += _queue_chunks(chunks, now=now)
    return queued


def _queue_chunks(chunks, *, now: datetime) -> int:
    """Queue these chunks again after commit, skipping any a worker holds (it is enrolling)."""
    with transaction.atomic():
        ids = list(
            chunks.select_for_update(skip_locked=True, of=("self",)).values_list("pk", flat=True)
        )
        LaunchChunk.objects.filter(pk__in=ids).update(heartbeat_at=now)
        _publish_chunks(ids)
    return len(ids)


def _publish_chunks(chunk_ids: list[int]) -> None:
    # the tasks module imports this one: imported when the work is queued
    from training.campaigns.tasks import enroll_chunk as enroll_chunk_task

    for chunk_id in chunk_ids:
        transaction.on_commit(partial(enroll_chunk_task.delay, chunk_id))


def enroll(run: CampaignRun, membership_ids: list[int], *, now: datetime | None = None) -> int:
    """Enrol those of these people who are still active members: people leave, or erase their
    account, between being picked and being enrolled. Their rows stay locked until the caller's
    transaction commits, so an erasure cannot slip in before the rows that refer to them.
    Those already enrolled are left alone (unique keys). Returns how many were still active."""
    slugs = list(run.campaign.modules.values_list("module_slug", flat=True))
    with transaction.atomic():
        members = list(
            Membership.objects.select_for_update(no_key=True)
            .filter(pk__in=membership_ids, is_active=True)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        insert_new_rows(
            Assignment,
            ["run", "membership", "module_slug", "due_at"],
            (
                (run.pk, member, slug, run.due_at)
                for member, slug in tally_new_assignments(run, members, slugs)
            ),
        )
        queue_messages(
            run,
            NotificationKind.INVITATION,
            [(member, invitation_key(run.pk, member)) for member in members],
            not_before=max(run.starts_at, now or run.starts_at),
        )
    return len(members)


def _finish_launch(run_id: int) -> None:
    CampaignRun.objects.filter(pk=run_id, status=RunStatus.LAUNCHING).update(
        status=RunStatus.LAUNCHED, launched_at=timezone.now()
    )
