from celery import shared_task
from django.utils import timezone

from awareness.health.services import record_heartbeat
from training.people.services.roster import resume_stalled_imports


@shared_task(acks_late=True)
def tick() -> None:
    """Celery beat's periodic dispatcher; the database says what is due, this only looks.

    Due work is claimed from here: stalled roster imports now; campaign launches, reminders
    and overdue checks later.
    """
    now = timezone.now()
    record_heartbeat("tick", now=now)
    resume_stalled_imports(now=now)
