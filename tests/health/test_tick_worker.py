import pytest
from django.utils import timezone

from awareness.health.models import Heartbeat
from awareness.health.services import record_heartbeat
from awareness.tick import tick as tick_task
from tests.conftest import wait_until


@pytest.mark.django_db(transaction=True)
def test_tick_runs_in_a_real_worker_and_its_heartbeat_is_read_back(celery_worker):
    queue, worker = celery_worker

    tick_task.apply_async(queue=queue)

    heartbeat = wait_until(
        lambda: Heartbeat.objects.filter(name="tick").first(), timeout=45, worker=worker
    )
    assert heartbeat.count == 1


@pytest.mark.django_db
def test_each_tick_counts_once(django_assert_num_queries):
    record_heartbeat("tick", now=timezone.now())
    with django_assert_num_queries(1):  # later ticks are one conditional UPDATE
        record_heartbeat("tick", now=timezone.now())

    assert Heartbeat.objects.get(name="tick").count == 2
