"""Benchmark: lures sent per second to a local SMTP sink beside the same run's plain campaign
e-mails, and the simulation results page for 10,000 targets (time and queries).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sim \\
        DEBUG=true .venv/bin/python tests/bench/bench_simulation.py [PEOPLE] [SENT]

Both kinds of message go through the same outbox, claim and delivery code with the rate cap
off; the lures add a token, its hash and the verified-domain check before each send.
"""

import logging
import socket
import sys
import time

from aiosmtpd.controller import Controller
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone
from harness import ROOT, throwaway_database, timed  # first: sets up Django

from awareness.content.models import Module
from training.campaigns import services
from training.campaigns.models import (
    CampaignRun,
    LaunchChunk,
    Notification,
    NotificationKind,
    NotificationStatus,
    SendingPolicy,
    SimulationTemplate,
)
from training.people.models import (
    Group,
    GroupKind,
    Membership,
    Organization,
    Role,
    User,
    VerifiedDomain,
)

DEMO_PACK = ROOT / "content-packs" / "demo"
PEOPLE = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
SENT = int(sys.argv[2]) if len(sys.argv) > 2 else 2_000


def organisation_with_staff():
    bank = Organization.objects.create(name="Bench Bank", slug="bench", kind="bank")
    now = timezone.now()
    VerifiedDomain.objects.create(
        organization=bank, domain="bench.example", method="dns", requested_at=now, verified_at=now
    )
    SendingPolicy.objects.create(organization=bank, per_minute=0, per_day=0)
    admin_user = User.objects.create(username="bench-admin", email="admin@bench.example")
    admin = Membership.objects.create(organization=bank, user=admin_user, role=Role.ADMIN)
    groups = [
        Group.objects.create(organization=bank, name=f"Dept {n}", kind=GroupKind.DEPARTMENT)
        for n in range(10)
    ]
    users = User.objects.bulk_create(
        (User(username=f"p{n}", email=f"p{n}@bench.example", password="!") for n in range(PEOPLE)),
        batch_size=10_000,
    )
    members = Membership.objects.bulk_create(
        (Membership(organization=bank, user=u, role=Role.LEARNER) for u in users),
        batch_size=10_000,
    )
    Group.members.through.objects.bulk_create(
        (Group.members.through(group=groups[n % 10], membership=m) for n, m in enumerate(members)),
        batch_size=10_000,
    )
    module = Module.objects.create(slug="m0", language="en", version=1, content_hash="0",
                                   pack="bench", title="Module", summary="", minutes=5)  # fmt: skip
    return (
        Membership.objects.select_related("organization", "user").get(pk=admin.pk),
        groups,
        module,
    )


class Sink:
    received = 0

    async def handle_DATA(self, server, session, envelope):
        Sink.received += 1
        return "250 OK"


def send(kind: str) -> float:
    """Messages per second for SENT due messages of one kind (the rest left waiting)."""
    ids = list(
        Notification.objects.filter(kind=kind, status=NotificationStatus.PENDING)
        .order_by("pk")
        .values_list("pk", flat=True)[:SENT]
    )
    Notification.objects.filter(status=NotificationStatus.PENDING).exclude(pk__in=ids).update(
        status=NotificationStatus.CANCELLED
    )
    before, started = Sink.received, time.perf_counter()
    for batch in services.claim_due_notifications(now=timezone.now()):
        services.deliver(batch)
    seconds = time.perf_counter() - started
    assert Sink.received - before == len(ids), (Sink.received - before, len(ids))
    return len(ids) / seconds


def campaign_emails(admin, groups, module) -> float:
    campaign = services.create_campaign(
        admin, name="Bench", modules=[module], groups=groups, starts_at=timezone.now(), due_days=14
    )
    services.schedule_campaign(admin, campaign, now=timezone.now())
    run = CampaignRun.objects.get(campaign=campaign)
    services.launch_run(run.pk)
    for chunk_id in LaunchChunk.objects.filter(run=run).values_list("pk", flat=True):
        services.enroll_chunk(chunk_id)
    return send(NotificationKind.INVITATION)


def lures(admin, groups) -> tuple[float, float, object]:
    template = SimulationTemplate.objects.get(organization=None, slug="payroll-change")
    simulation = services.create_simulation(
        admin, template=template, name="Bench", groups=groups, send_over_hours=0
    )
    launch_seconds, _ = timed(services.launch_simulation, admin, simulation, now=timezone.now())
    return launch_seconds, send(NotificationKind.LURE), simulation


def results_page(admin, simulation) -> tuple[float, int]:
    with connection.cursor() as cursor:  # a third clicked, a tenth submitted, a fifth reported
        cursor.execute(
            "UPDATE campaigns_delivery SET sent_at = now() - interval '1 day', "
            "clicked_at = CASE WHEN id %% 3 = 0 THEN now() END, "
            "submitted_at = CASE WHEN id %% 10 = 0 THEN now() END, "
            "reported_at = CASE WHEN id %% 5 = 0 THEN now() END WHERE simulation_id = %s",
            [simulation.pk],
        )
    client = Client(SERVER_NAME="localhost")
    client.force_login(admin.user)
    url = f"/orgs/bench/simulations/{simulation.pk}/"
    client.get(url)  # warm: templates, translations
    with CaptureQueriesContext(connection) as queries:
        seconds, response = timed(client.get, url)
    assert response.status_code == 200 and b"Click rate" in response.content
    return seconds, len(queries.captured_queries)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main() -> None:
    from django.core.management import call_command

    logging.getLogger("mail.log").setLevel(logging.WARNING)
    port = free_port()
    controller = Controller(Sink(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with (
            throwaway_database(),
            override_settings(
                EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
                EMAIL_HOST="127.0.0.1", EMAIL_PORT=port, EMAIL_USE_TLS=False,
                ALLOWED_HOSTS=["localhost"],
            ),
        ):  # fmt: skip
            call_command("load_simulations", str(DEMO_PACK), stdout=sys.stderr)
            admin, groups, module = organisation_with_staff()
            baseline = campaign_emails(admin, groups, module)
            launch_seconds, lure_rate, simulation = lures(admin, groups)
            page_seconds, page_queries = results_page(admin, simulation)
    finally:
        controller.stop()
    print(f"\nSending to a local SMTP sink, rate cap off, {SENT:,} messages each:")
    print(f"  plain campaign invitations (baseline): {baseline:7.1f} messages/s")
    print(f"  simulation lures:                      {lure_rate:7.1f} messages/s "
          f"({100 * lure_rate / baseline:.0f}% of the baseline)")  # fmt: skip
    print(f"\nSimulation of {PEOPLE:,} people: launch (checks, deliveries, outbox) "
          f"{launch_seconds:.2f} s")  # fmt: skip
    print(f"  results page at {PEOPLE:,} targets: {page_seconds:.2f} s, {page_queries} queries")


if __name__ == "__main__":
    main()
