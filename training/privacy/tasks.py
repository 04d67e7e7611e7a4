from celery import shared_task
from django.utils import timezone

from training.privacy import retention


# Named as it was in awareness.safety.tasks, so the beat schedule and queued runs keep working.
@shared_task(name="awareness.safety.tasks.purge_expired_data", acks_late=True)
def purge_expired_data() -> None:
    """Nightly; safe to run twice: it deletes only what is older than the retention period."""
    retention.purge_expired_data(now=timezone.now())
