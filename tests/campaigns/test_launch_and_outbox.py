"""Launch, the outbox and the tick, driven with an explicit clock."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from awareness.content.models import Module
from tests.campaigns.conftest import staff
from training.campaigns import services
from training.campaigns.models import (
    Assignment,
    CampaignStatus,
    Notification,
    NotificationStatus,
    SendingPolicy,
)

pytestmark = pytest.mark.django_db


def launch(bank_admin, groups, *, now, capture, **options):
    modules = list(Module.objects.filter(is_current=True, language="en", age_rating=0))
    campaign = services.create_campaign(
        bank_admin, name="Q1 awareness", modules=modules, groups=groups,
        starts_at=now, due_days=14, **options,
    )  # fmt: skip
    with capture(execute=True):  # after-commit: the launch task, then the chunk tasks
        services.schedule_campaign(bank_admin, campaign, now=now)
    # Without a worker, run the queued launch steps here, as the worker would.
    run = campaign.runs.get()
    with capture(execute=True):
        services.launch_run(run.pk)
    for chunk in run.chunks.all():
        services.enroll_chunk(chunk.pk)
    run.refresh_from_db()
    return campaign, run


def send_everything_due(now, capture, smtp_sink):
    with capture(execute=False):
        batches = services.claim_due_notifications(now=now)
    for batch in batches:
        services.deliver(batch)
    return batches


def test_launch_creates_each_assignment_once_and_one_invitation_per_person(
    bank_admin, departments, loaded_pack, django_capture_on_commit_callbacks
):
    retail, treasury = departments
    both = staff(retail, 3)
    treasury.members.add(both[0])  # in both departments: still one of everything
    staff(treasury, 2)
    now = timezone.now()

    campaign, run = launch(
        bank_admin, [retail, treasury], now=now, capture=django_capture_on_commit_callbacks
    )
    services.enroll_chunk(run.chunks.first().pk)  # a retried chunk task changes nothing

    run.refresh_from_db()
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.RUNNING
    assert run.status == "launched" and run.recipients == 5  # the manager leads, not a member
    assert Assignment.objects.filter(run=run).count() == 5 * 1  # 5 staff × 1 module rated "all"
    assert Notification.objects.filter(run=run, kind="invitation").count() == 5


def test_people_who_leave_while_a_launch_is_split_are_left_out_and_the_rest_enrolled(
    bank_admin, departments, loaded_pack, django_capture_on_commit_callbacks
):
    from training.privacy.services import delete_member_account

    retail, _ = departments
    erased, deactivated, *stayed = staff(retail, 4)
    modules = list(Module.objects.filter(is_current=True, language="en", age_rating=0))
    campaign = services.create_campaign(
        bank_admin, name="Q1 awareness", modules=modules, groups=[retail],
        starts_at=timezone.now(), due_days=14,
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=False):
        services.schedule_campaign(bank_admin, campaign, now=timezone.now())
    run = campaign.runs.get()
    with django_capture_on_commit_callbacks(execute=False):
        services.launch_run(run.pk)  # the split names all four; their chunk is not yet run
    delete_member_account(bank_admin, erased, now=timezone.now())
    deactivated.is_active = False
    deactivated.save()

    services.enroll_chunk(run.chunks.get().pk)

    run.refresh_from_db()
    assert run.status == "launched"
    enrolled = {stayed[0].pk, stayed[1].pk}
    for rows in (Assignment.objects, Notification.objects):
        assert set(rows.filter(run=run).values_list("membership", flat=True)) == enrolled


def test_invitations_are_multipart_translated_and_sent_once_over_smtp(
    bank_admin, departments, loaded_pack, smtp_sink, django_capture_on_commit_callbacks
):
    retail, _treasury = departments
    people = staff(retail, 2)
    people[1].user.language = "zh-hant"
    people[1].user.save()
    now = timezone.now()
    launch(bank_admin, [retail], now=now, capture=django_capture_on_commit_callbacks)
    SendingPolicy.objects.create(organization=bank_admin.organization, per_minute=0, per_day=0)

    batches = send_everything_due(now, django_capture_on_commit_callbacks, smtp_sink)
    again = send_everything_due(now, django_capture_on_commit_callbacks, smtp_sink)
    for batch in batches:  # a redelivered task finds nothing left to send
        services.deliver(batch)

    assert len(smtp_sink) == 2 and again == []
    by_person = {message["To"]: message for message in smtp_sink}
    english = by_person[people[0].user.email]
    chinese = by_person[people[1].user.email]
    assert english.is_multipart() and "Parcel fees" in english.get_body(("plain",)).get_content()
    assert "/learn/parcel-fees/" in english.get_body(("html",)).get_content()
    assert chinese["Subject"].startswith("你的培訓")
    assert english["Message-ID"] != chinese["Message-ID"]
    assert Notification.objects.filter(status=NotificationStatus.SENT).count() == 2


def test_sending_keeps_to_the_organisations_pace(
    bank_admin, departments, loaded_pack, settings, django_capture_on_commit_callbacks
):
    settings.TICK_SECONDS = 60  # one tick a minute: a whole minute's allowance per tick
    retail, _treasury = departments
    staff(retail, 25)
    now = timezone.now()
    launch(bank_admin, [retail], now=now, capture=django_capture_on_commit_callbacks)
    SendingPolicy.objects.create(organization=bank_admin.organization, per_minute=10, per_day=22)

    with django_capture_on_commit_callbacks(execute=False):
        first = services.claim_due_notifications(now=now)
        same_minute = services.claim_due_notifications(now=now + timedelta(seconds=30))
        next_minute = services.claim_due_notifications(now=now + timedelta(seconds=61))
        next_but_capped = services.claim_due_notifications(now=now + timedelta(seconds=122))

    sizes = [
        sum(len(b) for b in batches)
        for batches in (first, same_minute, next_minute, next_but_capped)
    ]
    assert sizes == [10, 0, 10, 2]  # 10 a minute, 22 a day


def test_a_failed_send_is_retried_later_and_shown_after_the_last_attempt(
    bank_admin, departments, loaded_pack, settings, django_capture_on_commit_callbacks
):
    retail, _treasury = departments
    staff(retail, 1)
    now = timezone.now()
    launch(bank_admin, [retail], now=now, capture=django_capture_on_commit_callbacks)
    SendingPolicy.objects.create(organization=bank_admin.organization, per_minute=0, per_day=0)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 1  # nothing listens there

    for minute in range(0, 64, 1):
        with django_capture_on_commit_callbacks(execute=False):
            batches = services.claim_due_notifications(
                now=timezone.now() + timedelta(minutes=minute)
            )
        for batch in batches:
            services.deliver(batch)

    notification = Notification.objects.get()
    assert notification.status == NotificationStatus.FAILED
    assert notification.attempts == 6 and "Error" in notification.last_error


def test_cancelling_stops_every_pending_message(
    bank_admin, departments, loaded_pack, django_capture_on_commit_callbacks
):
    retail, _treasury = departments
    staff(retail, 3)
    now = timezone.now()
    campaign, _run = launch(
        bank_admin, [retail], now=now, capture=django_capture_on_commit_callbacks
    )

    services.cancel_campaign(bank_admin, campaign)

    with django_capture_on_commit_callbacks(execute=False):
        assert services.claim_due_notifications(now=now) == []
    assert set(Notification.objects.values_list("status", flat=True)) == {"cancelled"}


def test_reminders_go_at_the_interval_only_to_people_not_done_and_stop_at_the_limit(
    bank_admin, departments, loaded_pack, client, django_capture_on_commit_callbacks
):
    from tests.site.test_player import play_to_the_end, start

    retail, _treasury = departments
    done, lagging = staff(retail, 2)
    now = timezone.now()
    _campaign, run = launch(
        bank_admin, [retail], now=now, capture=django_capture_on_commit_callbacks,
        reminder_every_days=3, reminder_limit=2,
    )  # fmt: skip
    client.force_login(done.user)
    play_to_the_end(client, start(client))

    counts = []
    for day in (1, 3, 4, 6, 9, 12):
        services.queue_reminders(now=run.launched_at + timedelta(days=day, minutes=1))
        counts.append(Notification.objects.filter(kind="reminder").count())

    assert counts == [0, 1, 1, 2, 2, 2]
    assert set(
        Notification.objects.filter(kind="reminder").values_list("membership", flat=True)
    ) == {lagging.pk}


def test_managers_get_a_digest_of_who_is_overdue_after_the_due_date(
    bank_admin, departments, loaded_pack, django_capture_on_commit_callbacks
):
    retail, _treasury = departments
    staff(retail, 2)
    now = timezone.now()
    _campaign, run = launch(
        bank_admin, [retail], now=now, capture=django_capture_on_commit_callbacks
    )

    services.queue_escalations(now=run.due_at - timedelta(hours=1))
    assert not Notification.objects.filter(kind="escalation").exists()
    services.queue_escalations(now=run.due_at + timedelta(hours=1))
    services.queue_escalations(now=run.due_at + timedelta(hours=2))  # same period: no copy

    digest = Notification.objects.get(kind="escalation")
    assert digest.membership == retail.leader
    from training.campaigns.services.outbox import build_message

    body = build_message(digest).body
    assert all(m.user.username in body for m in retail.members.all())


def test_people_who_join_a_department_later_are_enrolled_by_the_tick(
    bank_admin, departments, loaded_pack, django_capture_on_commit_callbacks
):
    retail, _treasury = departments
    staff(retail, 2)
    now = timezone.now()
    _campaign, run = launch(
        bank_admin, [retail], now=now, capture=django_capture_on_commit_callbacks
    )
    newcomer = staff(retail, 1)[0]

    services.enroll_late_joiners(now=now + timedelta(hours=1))
    services.enroll_late_joiners(now=now + timedelta(hours=2))

    assert Assignment.objects.filter(run=run, membership=newcomer).count() == 1
    assert Notification.objects.filter(run=run, membership=newcomer, kind="invitation").count() == 1


def test_a_scheduled_campaign_launches_when_the_tick_reaches_its_start(
    bank_admin, departments, loaded_pack, django_capture_on_commit_callbacks
):
    retail, _treasury = departments
    staff(retail, 1)
    later = timezone.now() + timedelta(days=2)
    modules = list(Module.objects.filter(is_current=True, language="en", age_rating=0))
    campaign = services.create_campaign(
        bank_admin, name="Later", modules=modules, groups=[retail], starts_at=later, due_days=7
    )
    services.schedule_campaign(bank_admin, campaign, now=timezone.now())
    assert not campaign.runs.exists()

    with django_capture_on_commit_callbacks(execute=False):
        services.launch_due_runs(now=later)
        services.launch_due_runs(now=later + timedelta(minutes=1))

    assert campaign.runs.count() == 1


def test_finishing_a_module_completes_the_assignment_with_its_score(
    bank_admin, departments, loaded_pack, client, django_capture_on_commit_callbacks
):
    from tests.site.test_player import play_to_the_end, start

    retail, _treasury = departments
    person = staff(retail, 1)[0]
    _campaign, run = launch(
        bank_admin, [retail], now=timezone.now(), capture=django_capture_on_commit_callbacks
    )
    client.force_login(person.user)

    play_to_the_end(client, start(client))

    assignment = Assignment.objects.get(run=run, membership=person)
    assert assignment.completed_at is not None and assignment.score == 1.0


def test_a_minutes_allowance_is_spread_over_the_minutes_ticks(
    bank_admin, departments, loaded_pack, settings, django_capture_on_commit_callbacks
):
    settings.TICK_SECONDS = 30
    retail, _treasury = departments
    staff(retail, 12)
    now = timezone.now()
    launch(bank_admin, [retail], now=now, capture=django_capture_on_commit_callbacks)
    SendingPolicy.objects.create(organization=bank_admin.organization, per_minute=10, per_day=0)

    with django_capture_on_commit_callbacks(execute=False):
        ticks = [
            sum(len(b) for b in services.claim_due_notifications(now=now + timedelta(seconds=s)))
            for s in (0, 30, 60)
        ]

    assert ticks == [5, 5, 0]  # 10 a minute, half at each tick; the third waits for the window


def test_a_quarterly_campaign_starts_a_new_run_each_quarter_once(
    bank_admin, departments, loaded_pack, django_capture_on_commit_callbacks
):
    retail, _treasury = departments
    staff(retail, 1)
    now = timezone.now()
    campaign, _first = launch(
        bank_admin, [retail], now=now, capture=django_capture_on_commit_callbacks,
        recurrence="quarterly",
    )  # fmt: skip

    with django_capture_on_commit_callbacks(execute=False):
        services.launch_due_runs(now=now + timedelta(days=60))
        services.launch_due_runs(now=now + timedelta(days=92))
        services.launch_due_runs(now=now + timedelta(days=92, hours=1))

    assert list(campaign.runs.order_by("number").values_list("number", flat=True)) == [1, 2]


@pytest.mark.django_db(transaction=True)
def test_ticks_at_once_never_send_past_the_cap(
    bank_admin, departments, loaded_pack, postgresql, settings, django_capture_on_commit_callbacks
):
    settings.TICK_SECONDS = 60  # each tick may spend the whole minute
    retail, _treasury = departments
    staff(retail, 40)
    now = timezone.now()
    launch(bank_admin, [retail], now=now, capture=django_capture_on_commit_callbacks)
    SendingPolicy.objects.create(organization=bank_admin.organization, per_minute=10, per_day=0)
    ticks = 8
    start = threading.Barrier(ticks)

    def tick(_):
        try:
            start.wait()
            return sum(len(b) for b in services.claim_due_notifications(now=now))
        finally:
            connection.close()

    with ThreadPoolExecutor(ticks) as pool:
        claimed = list(pool.map(tick, range(ticks)))

    assert sum(claimed) == 10  # one tick spent the minute; the others found it spent
    assert Notification.objects.filter(status=NotificationStatus.SENDING).count() == 10
