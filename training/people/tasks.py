from celery import shared_task

from training.people.services import roster


@shared_task(acks_late=True)
def import_roster(roster_import_id: int) -> None:
    """Safe to run twice: the import is claimed QUEUED->RUNNING before any row is written."""
    roster.import_roster(roster_import_id)
