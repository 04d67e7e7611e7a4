"""A launch survives its worker's, or its web process's, whole process group being killed with
SIGKILL at each boundary of the fan-out: the tick finds what is left in the database and
everyone gets exactly one assignment per module and one invitation.

The 10,000-person kills count the invitations in the outbox: sending them is the delivery path
that tests/campaigns/test_real_worker.py kills mid-send, and sending 10,000 on a loaded 2-core
machine takes minutes. The web-process kill counts its 500 invitations at the SMTP sink."""

import os
import signal
import time
from collections import Counter

import pytest
from django.utils import timezone

from tests.campaigns.worker_helpers import (
    counts,
    department_of,
    draft_campaign,
    launch,
    tick_until_delivered,
)
from tests.conftest import wait_until
from training.campaigns import services
from training.campaigns.models import (
    Assignment,
    Campaign,
    CampaignModule,
    CampaignRun,
    Notification,
    NotificationKind,
    RunStatus,
)

PEOPLE = 10_000
CHUNKS = 5  # of launch.CHUNK_SIZE people each


@pytest.fixture
def whole_bank(bank_admin, loaded_pack, postgresql, settings):
    # The tick hands back work untouched this long; the launch's own chunks take about a second.
    settings.LAUNCH_STALLED_SECONDS = 3
    # Mail at a slow pace, so the worker's queue holds the launch rather than 100 sends.
    return department_of(bank_admin.organization, PEOPLE, per_minute=6)


def kill_group(process) -> None:
    """As an OOM kill or a lost node would: the worker and its pool at once."""
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def tick_until_enrolled(worker, people: int):
    """Tick as beat would until the run has launched and everyone has their invitation."""

    def enrolled():
        services.dispatch_due_work(now=timezone.now())
        launched = CampaignRun.objects.filter(status=RunStatus.LAUNCHED).exists()
        return launched and invitations().count() >= people

    return wait_until(enrolled, timeout=100, worker=worker)


def invitations():
    return Notification.objects.filter(kind=NotificationKind.INVITATION)


def assert_everyone_enrolled_once(people: int) -> dict:
    modules = CampaignModule.objects.count()
    assignments = Counter(Assignment.objects.values_list("membership_id", flat=True))
    invited = Counter(invitations().values_list("membership_id", flat=True))
    found = {
        "expected": people,
        "with_every_assignment": sum(n == modules for n in assignments.values()),
        "invited_once": sum(n == 1 for n in invited.values()),
        "lost": people - len(set(assignments) & set(invited)),
        "duplicated": sum(n - 1 for n in invited.values())
        + sum(max(0, n - modules) for n in assignments.values()),
    }
    print(found)  # the closing note's figures
    assert found == {
        "expected": people, "with_every_assignment": people, "invited_once": people,
        "lost": 0, "duplicated": 0,
    }  # fmt: skip
    assert CampaignRun.objects.get().status == RunStatus.LAUNCHED
    return found


def assert_everyone_served_once(smtp_sink, people: int) -> dict:
    time.sleep(1)  # anything sent twice would arrive now
    modules = CampaignModule.objects.count()
    found = counts(smtp_sink, people, modules)
    print(found)  # the closing note's figures
    assert found == {
        "expected": people, "delivered": people, "lost": 0, "duplicated": 0,
        "recipients": people, "people_enrolled": people, "people_not_fully_enrolled": 0,
    }  # fmt: skip
    assert CampaignRun.objects.get().status == RunStatus.LAUNCHED
    return found


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_while_chunks_enrol_loses_nobody(
    bank_admin, whole_bank, start_mail_worker, smtp_sink
):
    first = start_mail_worker(pool="prefork")
    launch(bank_admin, whole_bank)  # no tick yet: the kill lands in the fan-out, not a send
    wait_until(
        lambda: CampaignRun.objects.filter(chunks_done__gte=1).exists(), timeout=60, worker=first
    )

    kill_group(first)
    run = CampaignRun.objects.get()
    assert 1 <= run.chunks_done < run.chunks_total == CHUNKS  # the kill really was part-way
    second = start_mail_worker(pool="prefork")
    tick_until_enrolled(second, PEOPLE)

    assert_everyone_enrolled_once(PEOPLE)


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_between_the_split_and_its_publishes_loses_nobody(
    bank_admin, whole_bank, start_mail_worker, smtp_sink
):
    first = start_mail_worker(
        pool="prefork",
        app="tests.faults",
        CRASH_BEFORE_PUBLISHING="training.campaigns.tasks.enroll_chunk",
    )
    launch(bank_admin, whole_bank)
    first.wait(timeout=60)

    run = CampaignRun.objects.get()
    assert first.returncode == -signal.SIGKILL
    assert (run.chunks_total, run.chunks_done, run.status) == (CHUNKS, 0, RunStatus.LAUNCHING)
    second = start_mail_worker(pool="prefork")
    tick_until_enrolled(second, PEOPLE)

    assert_everyone_enrolled_once(PEOPLE)


@pytest.mark.django_db(transaction=True)
def test_a_web_process_killed_before_publishing_the_launch_loses_nobody(
    bank_admin,
    loaded_pack,
    postgresql,
    settings,
    start_process,
    start_mail_worker,
    smtp_sink,
    task_queue,
):
    settings.LAUNCH_STALLED_SECONDS = 3
    people = 500
    campaign = draft_campaign(bank_admin, department_of(bank_admin.organization, people))
    # The admin's "launch" request, in a process that dies once the run has committed.
    web = start_process(
        "manage.py", "shell", "-c",
        "import tests.faults\n"
        "from django.utils import timezone\n"
        "from training.campaigns.models import Campaign\n"
        "from training.campaigns.services import schedule_campaign\n"
        f"campaign = Campaign.objects.get(pk={campaign.pk})\n"
        f"admin = campaign.organization.memberships.get(pk={bank_admin.pk})\n"
        "schedule_campaign(admin, campaign, now=timezone.now())\n",
        CRASH_BEFORE_PUBLISHING="training.campaigns.tasks.launch_run",
        CELERY_TASK_DEFAULT_QUEUE=task_queue,
    )  # fmt: skip
    web.wait(timeout=60)

    assert web.returncode == -signal.SIGKILL, web.communicate()[0]
    assert Campaign.objects.get().status == "running"
    assert CampaignRun.objects.get().chunks_total == 0  # committed, never queued
    worker = start_mail_worker()
    tick_until_delivered(smtp_sink, worker, people)

    assert_everyone_served_once(smtp_sink, people)
