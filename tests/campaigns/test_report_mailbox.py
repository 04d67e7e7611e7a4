"""The report mailbox, read over IMAP from a real dovecot on loopback: a forwarded lure counts
as reported, a forwarded real message is listed for the security team with its headers and
triaged, each message is taken once, and a wrong password gets a clear error and saves
nothing."""

from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import make_msgid

import pytest

from tests.campaigns.test_simulation_tracking import send_one
from training.campaigns.models import Delivery, ReportedMessage, ReportMailbox, Verdict

pytestmark = pytest.mark.django_db
PAGE = "/orgs/harbour/simulations/reports/"


def forward(original: bytes, *, by: str) -> bytes:
    """What a mail app sends on "Forward as attachment"."""
    message = EmailMessage()
    message["From"], message["To"] = by, "reports@harbourbank.example"
    message["Subject"], message["Message-ID"] = "FW: is this real?", make_msgid()
    message.set_content("This looks odd, please check.")
    message.add_attachment(message_from_bytes(original, policy=policy.default))
    return message.as_bytes()


def settings_form(server, **changes) -> dict:
    return {"host": server.host, "port": server.port, "username": server.username,
            "password": server.password, "folder": "INBOX", **changes}  # fmt: skip


@pytest.fixture
def admin_client(client, bank_admin):
    client.force_login(bank_admin.user)
    return client


def test_forwarded_mail_is_read_once_lures_count_as_reported_the_rest_is_triaged(
    admin_client, imap_server, bank_admin, departments, smtp_sink,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    send_one(bank_admin, departments[0], "bank-security-alert",
             django_capture_on_commit_callbacks, smtp_sink)  # fmt: skip
    assert admin_client.post(PAGE, settings_form(imap_server)).status_code == 302
    assert imap_server.password not in ReportMailbox.objects.get().password  # encrypted

    imap_server.deliver(forward(smtp_sink.raw[0], by="amy@harbourbank.example"))
    phish = EmailMessage()
    phish["From"], phish["To"] = "Prize Desk <win@lottery.example>", "amy@harbourbank.example"
    phish["Subject"], phish["Received"] = "You have won HK$50,000", "from mx.lottery.example"
    phish.set_content("Claim your prize: http://lottery.example/claim")
    imap_server.deliver(forward(phish.as_bytes(), by="amy@harbourbank.example"))

    for _ in range(2):  # read twice: each message is taken once
        response = admin_client.post(f"{PAGE}check/", follow=True)
    assert Delivery.objects.get().reported_at is not None
    (reported,) = ReportedMessage.objects.all()
    assert (reported.subject, reported.original_sender) == (
        "You have won HK$50,000", "Prize Desk <win@lottery.example>",
    )  # fmt: skip
    assert reported.reported_by == "amy@harbourbank.example"
    page = admin_client.get(PAGE).content.decode()
    assert "Received: from mx.lottery.example" in page and "You have won HK$50,000" in page
    assert "Unusual sign-in blocked" not in page  # the lure is a report, not a listing
    assert "0 forwarded simulation(s), 0 other message(s)" in response.content.decode()

    triage = admin_client.post(f"{PAGE}{reported.pk}/triage/", {"verdict": "malicious"})
    assert triage.status_code == 302
    reported.refresh_from_db()
    assert reported.verdict == Verdict.MALICIOUS and reported.triaged_by == bank_admin


def test_a_wrong_imap_password_gets_a_clear_error_and_saves_nothing(admin_client, imap_server):
    response = admin_client.post(PAGE, settings_form(imap_server, password="wrong"))
    assert response.status_code == 400
    assert (
        f"The mail server at 127.0.0.1:{imap_server.port} refused this user name and password"
        in response.content.decode()
    )
    assert not ReportMailbox.objects.exists()


def test_another_organisation_cannot_see_or_triage_our_reports(
    admin_client, client, other_org_admin, bank_admin
):
    reported = ReportedMessage.objects.create(
        organization=bank_admin.organization, message_id="<x@y>", reported_by="amy@x",
        subject="Secret", headers="", received_at="2026-12-01T00:00Z",
    )  # fmt: skip
    client.force_login(other_org_admin.user)
    assert "Secret" not in client.get("/orgs/elsewhere/simulations/reports/").content.decode()
    other = f"/orgs/elsewhere/simulations/reports/{reported.pk}/triage/"
    assert client.post(other, {"verdict": "harmless"}).status_code == 404
    assert client.get(PAGE).status_code == 404
    reported.refresh_from_db()
    assert reported.verdict == Verdict.NEW


def test_the_tick_reads_each_mailbox_once_per_period_through_a_task(
    admin_client, imap_server, bank_admin, django_capture_on_commit_callbacks, settings
):
    from datetime import timedelta

    from django.utils import timezone

    from training.campaigns import tasks
    from training.campaigns.services import queue_mailbox_checks

    admin_client.post(PAGE, settings_form(imap_server))
    imap_server.deliver(forward(b"From: x@lottery.example\r\nSubject: Win\r\n\r\nhi\r\n",
                                by="amy@harbourbank.example"))  # fmt: skip
    now = timezone.now()
    with django_capture_on_commit_callbacks() as queued:
        assert queue_mailbox_checks(now=now) == 1
        assert queue_mailbox_checks(now=now + timedelta(minutes=1)) == 0  # claimed
    assert len(queued) == 1
    tasks.check_report_mailbox(bank_admin.organization_id)  # what the queued task runs
    tasks.check_report_mailbox(bank_admin.organization_id)  # twice: taken once
    assert ReportedMessage.objects.get().subject == "Win"
    later = now + timedelta(minutes=settings.REPORT_MAILBOX_EVERY_MINUTES + 1)
    with django_capture_on_commit_callbacks():
        assert queue_mailbox_checks(now=later) == 1
