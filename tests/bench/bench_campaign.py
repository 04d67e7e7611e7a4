"""Benchmark: launch a campaign for 100,000 people × 5 modules, then deliver to a local SMTP
sink, each beside baselines measured in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_campaign \\
        DEBUG=true .venv/bin/python tests/bench/bench_campaign.py [PEOPLE]

Launch: the planning task and every chunk task run here, one after the other (one worker),
and the broker messages they would send are counted. Baselines: inserting the same number of
plain rows with Django's bulk_create and with PostgreSQL's COPY. Delivery: messages per second
to an SMTP server on loopback with the rate cap off, then the achieved rate under a cap.
"""

import logging
import sys
import time

from aiosmtpd.controller import Controller
from django.db import connection
from django.test.utils import override_settings
from django.utils import timezone
from harness import throwaway_database, timed  # first: sets up Django

from awareness.content.models import Module
from training.campaigns import services
from training.campaigns.models import (
    Assignment,
    CampaignRun,
    LaunchChunk,
    Notification,
    NotificationStatus,
    SendingPolicy,
)
from training.people.models import Group, GroupKind, Membership, Organization, Role, User

PEOPLE = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
MODULES = 5


def organisation_with_staff():
    bank = Organization.objects.create(name="Bench Bank", slug="bench", kind="bank")
    admin_user = User.objects.create(username="bench-admin", email="admin@bench.example")
    admin = Membership.objects.create(organization=bank, user=admin_user, role=Role.ADMIN)
    group = Group.objects.create(organization=bank, name="Everyone", kind=GroupKind.DEPARTMENT)
    users = User.objects.bulk_create(
        (User(username=f"p{n}", email=f"p{n}@bench.example", password="!") for n in range(PEOPLE)),
        batch_size=10_000,
    )
    members = Membership.objects.bulk_create(
        (Membership(organization=bank, user=u, role=Role.LEARNER) for u in users),
        batch_size=10_000,
    )
    Group.members.through.objects.bulk_create(
        (Group.members.through(group=group, membership=m) for m in members), batch_size=10_000
    )
    modules = [
        Module(slug=f"m{n}", language="en", version=1, content_hash=str(n), pack="bench",
               title=f"Module {n}", summary="", minutes=5)
        for n in range(MODULES)
    ]  # fmt: skip
    Module.objects.bulk_create(modules)
    return Membership.objects.select_related("organization").get(pk=admin.pk), group, modules


def baselines(rows: int) -> tuple[float, float]:
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE bench_plain (id bigserial PRIMARY KEY, a integer, b integer, c text)"
        )
    from django.db import models

    class Plain(models.Model):  # noqa: DJ008 -- a throwaway table for the baseline
        a = models.IntegerField()
        b = models.IntegerField()
        c = models.CharField(max_length=50)

        class Meta:
            app_label = "campaigns"
            db_table = "bench_plain"
            managed = False

    bulk, _ = timed(
        Plain.objects.bulk_create,
        (Plain(a=n, b=n % 97, c="m1") for n in range(rows)),
        batch_size=5000,
    )
    started = time.perf_counter()
    with (
        connection.cursor() as cursor,
        cursor.copy("COPY bench_plain (a, b, c) FROM STDIN") as copy,
    ):
        for n in range(rows):
            copy.write_row((n, n % 97, "m1"))
    copy_seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_plain")
    return bulk, copy_seconds


def dashboard(run) -> tuple[float, int]:
    """Every figure of the campaign page at full size: seconds and queries."""
    from django.test.utils import CaptureQueriesContext

    from training.campaigns.selectors import campaign_dashboard

    with connection.cursor() as cursor:  # half the assignments completed, scores spread
        cursor.execute(
            "UPDATE campaigns_assignment SET completed_at = now(), score = (id %% 11) / 10.0 "
            "WHERE run_id = %s AND id %% 2 = 0",
            [run.pk],
        )
    with CaptureQueriesContext(connection) as queries:
        seconds, figures = timed(campaign_dashboard, run.campaign, now=timezone.now())
    assert figures["summary"].people == PEOPLE
    return seconds, len(queries.captured_queries)


def launch(admin, group, modules) -> tuple[float, int]:
    """The launch as the worker runs it; returns seconds and broker messages sent."""
    from django.db import transaction

    campaign = services.create_campaign(
        admin, name="Bench", modules=modules, groups=[group], starts_at=timezone.now(), due_days=14
    )
    messages = 0
    started = time.perf_counter()
    with transaction.atomic():
        services.schedule_campaign(admin, campaign, now=timezone.now())  # queues launch_run
    messages += 1
    run = CampaignRun.objects.get(campaign=campaign)
    services.launch_run(run.pk)
    chunk_ids = list(LaunchChunk.objects.filter(run=run).values_list("pk", flat=True))
    messages += len(chunk_ids)
    for chunk_id in chunk_ids:
        services.enroll_chunk(chunk_id)
    seconds = time.perf_counter() - started
    assert Assignment.objects.filter(run=run).count() == PEOPLE * MODULES
    return seconds, messages


class Sink:
    received = 0

    async def handle_DATA(self, server, session, envelope):
        Sink.received += 1
        return "250 OK"


def deliver_all(now) -> float:
    started = time.perf_counter()
    for batch in services.claim_due_notifications(now=now):
        services.deliver(batch)
    return time.perf_counter() - started


def delivery(admin, count: int) -> tuple[float, float, float]:
    controller = Controller(Sink(), hostname="127.0.0.1", port=8925)
    controller.start()
    policy = SendingPolicy.objects.create(organization=admin.organization, per_minute=0, per_day=0)
    ids = list(Notification.objects.order_by("pk").values_list("pk", flat=True)[:count])
    Notification.objects.exclude(pk__in=ids).update(status=NotificationStatus.CANCELLED)
    try:
        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1", EMAIL_PORT=8925, EMAIL_USE_TLS=False, TICK_SECONDS=1,
        ):  # fmt: skip
            free = deliver_all(timezone.now())
            uncapped_rate = Sink.received / free
            # Under a cap of 600 a minute, tick once a second for 30 seconds.
            Notification.objects.filter(pk__in=ids).update(
                status=NotificationStatus.PENDING, claimed_at=None, sent_at=None,
                key=models_key_suffix(),
            )  # fmt: skip
            policy.per_minute, policy.per_day = 600, 0
            policy.save()
            before, start = Sink.received, time.perf_counter()
            for second in range(30):  # ticks at a fixed rate, as celery beat sends them
                deliver_all(timezone.now())
                time.sleep(max(0.0, start + second + 1 - time.perf_counter()))
            capped_rate = (Sink.received - before) / (time.perf_counter() - start)
    finally:
        controller.stop()
    return free, uncapped_rate, capped_rate


def models_key_suffix():
    from django.db.models import F, Value
    from django.db.models.functions import Concat

    return Concat(F("key"), Value(":again"))


def main() -> None:
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database: the baselines use COPY.")
    with throwaway_database():
        admin, group, modules = organisation_with_staff()
        rows = PEOPLE * MODULES
        bulk, copy = baselines(rows)
        seconds, messages = launch(admin, group, modules)
        print(f"\nCampaign launch: {PEOPLE:,} people × {MODULES} modules = {rows:,} assignments")
        print(f"  baseline bulk_create of {rows:,} plain rows: {bulk:6.2f} s")
        print(f"  baseline COPY of {rows:,} plain rows:        {copy:6.2f} s")
        print(
            f"  launch (assignments + {PEOPLE:,} invitations): {seconds:6.2f} s = "
            f"{seconds / bulk:.2f}× bulk_create, {seconds / copy:.1f}× COPY "
            f"(target: within 20 s)"
        )
        print(
            f"  broker messages: {messages} = one per {PEOPLE / messages:,.0f} recipients "
            f"(target: at most one per 100)"
        )
        run = CampaignRun.objects.get()
        dashboard_seconds, dashboard_queries = dashboard(run)
        print(
            f"  dashboard at {rows:,} assignments (half completed): {dashboard_seconds:.2f} s, "
            f"{dashboard_queries} queries"
        )
        free, uncapped, capped = delivery(admin, 3000)
        print(f"\nDelivery to a local SMTP sink: 3,000 messages in {free:.2f} s")
        print(f"  rate cap off: {uncapped:,.0f} messages/s (target: at least 50)")
        print(
            f"  cap 600/min (10/s): {capped:.2f} messages/s ({100 * capped / 10:.0f}% of the cap)"
        )


if __name__ == "__main__":
    main()
