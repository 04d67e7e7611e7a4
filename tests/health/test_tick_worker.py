import time
import uuid

import pytest

from awareness.health.models import Heartbeat
from awareness.health.services import record_heartbeat
from awareness.health.tasks import tick as tick_task


def wait_for_heartbeat(name: str, timeout: float) -> Heartbeat | None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        heartbeat = Heartbeat.objects.filter(name=name).first()
        if heartbeat:
            return heartbeat
        time.sleep(0.2)
    return None


@pytest.mark.django_db(transaction=True)
def test_tick_runs_in_a_real_worker_and_its_heartbeat_is_read_back(start_process):
    # A queue of our own, so no other worker on this machine can take the task.
    queue = f"test-{uuid.uuid4().hex}"
    worker = start_process(
        "-m",
        "celery",
        "-A",
        "awareness",
        "worker",
        "--pool",
        "solo",
        "-Q",
        queue,
        "--without-gossip",
        "--without-mingle",
        "--loglevel",
        "INFO",
    )
    tick_task.apply_async(queue=queue)

    heartbeat = wait_for_heartbeat("tick", timeout=45)

    if heartbeat is None:
        worker.terminate()
        pytest.fail("the worker never recorded the tick:\n" + worker.communicate()[0][-3000:])
    assert heartbeat.count == 1


@pytest.mark.django_db
def test_each_tick_counts_once(django_assert_num_queries):
    from django.utils import timezone

    record_heartbeat("tick", now=timezone.now())
    with django_assert_num_queries(1):  # later ticks are one conditional UPDATE
        record_heartbeat("tick", now=timezone.now())

    assert Heartbeat.objects.get(name="tick").count == 2
