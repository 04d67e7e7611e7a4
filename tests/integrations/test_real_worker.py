"""The whole path on real parts: a finished attempt, the tick, a real Celery worker, and a
real LRS over HTTP that fails once."""

import pytest
from django.utils import timezone

from tests.conftest import wait_until
from tests.integrations.conftest import finish
from training.integrations.models import OutboxStatus, Statement
from training.integrations.services import dispatch_integrations


@pytest.mark.django_db(transaction=True)
def test_a_worker_delivers_every_statement_once_through_a_failing_lrs(
    staff, lrs, module, receiver, tasks_to_test_worker
):
    finish(staff.user, module)
    total = Statement.objects.count()
    receiver.replies = [503]

    dispatch_integrations(now=timezone.now())  # claims all and enqueues one batch
    wait_until(
        lambda: not Statement.objects.filter(status=OutboxStatus.SENDING).exists(),
        timeout=30, worker=tasks_to_test_worker,
    )  # fmt: skip
    assert len(receiver.statements) == total - 1

    later = timezone.now() + timezone.timedelta(minutes=2)  # the failed one's turn again
    dispatch_integrations(now=later)
    wait_until(
        lambda: Statement.objects.filter(status=OutboxStatus.SENT).count() == total,
        timeout=30, worker=tasks_to_test_worker,
    )  # fmt: skip
    assert len(receiver.statements) == total
    assert len(receiver.requests) == total + 1
