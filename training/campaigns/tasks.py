import contextlib

from celery import shared_task
from django.core.exceptions import ValidationError
from django.utils import timezone

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


@shared_task(acks_late=True)
def check_report_mailbox(organization_id: int) -> None:
    """Reads the report mailbox; safe to run twice (messages are taken once, as read). A
    wrong password or an unreachable server is kept on the mailbox for the admin to see."""
    from training.campaigns.services.report_mailbox import check_report_mailbox as check

    with contextlib.suppress(ValidationError):  # the service kept the problem on the mailbox
        check(organization_id, now=timezone.now())
