from celery import shared_task

from awareness.safety.services import removal


@shared_task(acks_late=True)
def send_removal_reminder(removal_id: int, stage: int) -> None:
    """Claimed by the tick before it was queued; skipped if the request was decided since."""
    removal.send_removal_reminder(removal_id, stage)
