"""The pattern of the campaign outbox, for any OutboxRow model: claim with a conditional
UPDATE, send, then record the answer; a failure waits in the database, never in Celery."""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from training.integrations.models import OutboxStatus
from training.integrations.outbound import DeliveryFailed

logger = logging.getLogger(__name__)
BATCH_SIZE = 50  # rows per delivery task
LONGEST_WAIT = timedelta(hours=1)


def claim_due(model, *, now: datetime, enqueue) -> list[list[int]]:
    """Claim what is due (PENDING -> SENDING) and enqueue it in batches after commit."""
    with transaction.atomic():
        due = (
            model.objects.select_for_update(skip_locked=True)
            .filter(status=OutboxStatus.PENDING, not_before__lte=now)
            .order_by("not_before", "pk")
            .values_list("pk", flat=True)
        )
        ids = list(due[: settings.INTEGRATIONS_CLAIM_LIMIT])
        model.objects.filter(pk__in=ids, status=OutboxStatus.PENDING).update(
            status=OutboxStatus.SENDING, claimed_at=now
        )
        batches = [ids[start : start + BATCH_SIZE] for start in range(0, len(ids), BATCH_SIZE)]
        for batch in batches:
            transaction.on_commit(lambda b=batch: enqueue(b))
    return batches


def release_stalled(model, *, now: datetime) -> int:
    """A row claimed long ago and still "sending" lost its worker: send it again."""
    return model.objects.filter(
        status=OutboxStatus.SENDING,
        claimed_at__lt=now - timedelta(seconds=settings.OUTBOX_STALLED_SECONDS),
    ).update(status=OutboxStatus.PENDING)


def claimed(model, ids: list[int]):
    return model.objects.filter(pk__in=ids, status=OutboxStatus.SENDING).order_by("pk")


def record_sent(row, status: int) -> bool:
    return bool(
        type(row)
        .objects.filter(pk=row.pk, status=OutboxStatus.SENDING)
        .update(status=OutboxStatus.SENT, sent_at=timezone.now(), response_status=status,
                attempts=row.attempts + 1, last_error="")
    )  # fmt: skip


def record_failure(row, error: DeliveryFailed) -> None:
    """Transient failures wait 1, 2, 4 … minutes (at most an hour) and give up after
    INTEGRATIONS_MAX_ATTEMPTS; any other failure gives up at once."""
    attempts = row.attempts + 1
    gives_up = not error.transient or attempts >= settings.INTEGRATIONS_MAX_ATTEMPTS
    logger.warning("delivering %s failed (attempt %s): %s", row, attempts, error)
    type(row).objects.filter(pk=row.pk, status=OutboxStatus.SENDING).update(
        status=OutboxStatus.FAILED if gives_up else OutboxStatus.PENDING,
        attempts=attempts,
        response_status=error.status,
        last_error=str(error)[:500],
        not_before=timezone.now() + min(timedelta(minutes=2 ** (attempts - 1)), LONGEST_WAIT),
    )
