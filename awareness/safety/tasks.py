from celery import shared_task
from django.utils import timezone

from awareness.safety.services import removal, retention


@shared_task(acks_late=True)
def send_removal_reminder(removal_id: int, stage: int) -> None:
    """Claimed by the tick before it was queued; skipped if the request was decided since."""
    removal.send_removal_reminder(removal_id, stage)


@shared_task(acks_late=True)
def purge_expired_data() -> None:
    """Nightly; safe to run twice: it deletes only what is older than the retention period."""
    retention.purge_expired_data(now=timezone.now())
