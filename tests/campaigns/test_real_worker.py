"""A 2,000-person launch through a real Celery worker, delivered to a real SMTP server, and
the same with the worker killed part-way. Counted on the SMTP server's side."""

import os
import signal
import time
from collections import Counter

import pytest
from django.utils import timezone

from tests.campaigns.worker_helpers import department_of, launch, tick_until_delivered
from tests.conftest import wait_until
from training.campaigns import services
from training.campaigns.models import Assignment, Notification

PEOPLE = 2000


@pytest.fixture
def big_department(bank_admin, loaded_pack):
    return department_of(bank_admin.organization, PEOPLE)


@pytest.mark.django_db(transaction=True)
def test_a_launch_for_2000_people_sends_each_invitation_exactly_once(
    bank_admin, big_department, start_mail_worker, smtp_sink
):
    worker = start_mail_worker()
    launch(bank_admin, big_department)

    tick_until_delivered(smtp_sink, worker, PEOPLE)
    time.sleep(1)  # anything sent twice would arrive now

    recipients = Counter(message["To"] for message in smtp_sink)
    assert len(recipients) == PEOPLE and set(recipients.values()) == {1}
    assert Assignment.objects.count() == PEOPLE
    assert Notification.objects.filter(status="sent").count() == PEOPLE


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_send_loses_nothing_and_repeats_nothing(
    bank_admin, big_department, start_mail_worker, smtp_sink, settings
):
    first = start_mail_worker()
    launch(bank_admin, big_department)
    wait_until(
        lambda: services.dispatch_due_work(now=timezone.now()) or len(smtp_sink) >= PEOPLE // 4,
        timeout=120,
        worker=first,
    )

    os.kill(first.pid, signal.SIGKILL)  # mid-batch, mid-connection
    first.wait()
    killed_at = len(smtp_sink)
    second = start_mail_worker()
    # Messages claimed by the dead worker are handed back once they are old enough.
    later = timezone.now() + timezone.timedelta(seconds=settings.OUTBOX_STALLED_SECONDS + 1)
    services.release_stalled(now=later)
    tick_until_delivered(smtp_sink, second, PEOPLE)
    time.sleep(1)

    copies = Counter(message["Message-ID"] for message in smtp_sink)
    assert killed_at < PEOPLE  # the kill really was part-way
    assert len(copies) == PEOPLE  # nobody was skipped
    # Nobody was sent two different messages; at most the one message in flight at the
    # instant of the kill can arrive twice, with the same Message-ID (mail systems drop it).
    assert len({message["To"] for message in smtp_sink}) == PEOPLE
    assert sum(count - 1 for count in copies.values()) <= 1
    assert Notification.objects.filter(status="sent").count() == PEOPLE
