from celery import shared_task
from django.utils import timezone

from awareness.health.services import record_heartbeat


@shared_task(acks_late=True)
def tick() -> None:
    """Celery beat's periodic dispatcher; the database says what is due, this only looks.

    Later work (campaign launches, reminders, overdue checks) is claimed from here.
    """
    record_heartbeat("tick", now=timezone.now())
