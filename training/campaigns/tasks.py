from celery import shared_task

from training.campaigns import services


@shared_task(acks_late=True)
def launch_run(run_id: int) -> None:
    """Splits a run's recipients into chunks; safe to run twice (the split is claimed)."""
    services.launch_run(run_id)


@shared_task(acks_late=True)
def enroll_chunk(chunk_id: int) -> None:
    """Enrols one chunk of recipients; safe to run twice (the chunk is claimed)."""
    services.enroll_chunk(chunk_id)


@shared_task(acks_late=True)
def deliver_notifications(notification_ids: list[int]) -> None:
    """Sends a claimed batch; failures are retried by the database's not_before, not here."""
    services.deliver(notification_ids)
