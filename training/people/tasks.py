from celery import shared_task
from django.utils import timezone

from training.people.services import roster, sign_in


@shared_task(acks_late=True)
def import_roster(roster_import_id: int) -> None:
    """Safe to run twice: the import is claimed QUEUED->RUNNING before any row is written."""
    roster.import_roster(roster_import_id)


@shared_task(acks_late=True)
def send_set_up_links(organization_id: int, user_ids: list[int]) -> int:
    """Safe to run twice: whoever already has a set-up link is skipped."""
    return sign_in.send_set_up_links(organization_id, user_ids, now=timezone.now())
