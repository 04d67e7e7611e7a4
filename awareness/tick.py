"""The platform's periodic tick: wiring, because it calls into every app that has due work."""

from celery import shared_task
from django.utils import timezone

from awareness.health.services import record_heartbeat
from awareness.safety.services import claim_removal_reminders
from training.campaigns.services import dispatch_due_work
from training.integrations.services import dispatch_integrations
from training.people.services.roster import resume_stalled_imports


# The name it had in the health app, so beat schedules and queued ticks keep working.
@shared_task(name="awareness.health.tasks.tick", acks_late=True)
def tick() -> None:
    """Celery beat's periodic dispatcher; the database says what is due, this only looks.

    Due work is claimed from here: campaign launches, late joiners, reminders, overdue
    digests, the outbox at each organisation's pace, learning records and webhooks, and
    stalled roster imports.
    """
    now = timezone.now()
    record_heartbeat("tick", now=now)
    dispatch_due_work(now=now)
    dispatch_integrations(now=now)
    resume_stalled_imports(now=now)
    claim_removal_reminders(now=now)
