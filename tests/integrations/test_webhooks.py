"""Webhooks: created on the page with a secret shown once, fed by the campaign signals,
delivered signed to a real HTTP server, retried, given up, never redirected or sent inward."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone
from standardwebhooks import Webhook, WebhookVerificationError

from tests.people.factories import MembershipFactory
from training.campaigns import signals
from training.campaigns.models import Assignment, Campaign, CampaignRun, CampaignStatus, RunStatus
from training.campaigns.services import dispatch_due_work
from training.integrations import outbound
from training.integrations.models import (
    OutboxStatus,
    WebhookDelivery,
    WebhookSubscription,
    new_webhook_secret,
)
from training.integrations.services import deliver_webhooks, outbox

pytestmark = pytest.mark.django_db


@pytest.fixture
def webhook(client, bank_admin, receiver):
    """Created through the page, as an admin would; the receiver learns the secret shown."""
    client.force_login(bank_admin.user)
    response = client.post(
        "/orgs/harbour/integrations/webhooks/new/",
        {
            "url": f"{receiver.url}/hooks",
            "events": ["campaign.completed", "assignment.overdue", "lure.reported"],
        },
    )
    assert response.status_code == 200
    subscription = WebhookSubscription.objects.get()
    assert subscription.secret.startswith("whsec_")
    assert subscription.secret in response.content.decode()
    receiver.secret = subscription.secret
    return subscription


def deliver_due(now, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        outbox.claim_due(WebhookDelivery, now=now, enqueue=deliver_webhooks)


@pytest.fixture
def finished_campaign(bank_admin):
    """A one-off campaign whose due date and digests are over, one of two people done."""
    now = timezone.now()
    campaign = Campaign.objects.create(
        organization=bank_admin.organization, name="Q3 fraud basics", status=CampaignStatus.RUNNING,
        starts_at=now - timedelta(days=30), due_days=14, reminder_every_days=1, reminder_limit=1,
    )  # fmt: skip
    run = CampaignRun.objects.create(
        campaign=campaign, number=1, starts_at=campaign.starts_at, due_at=now - timedelta(days=16),
        status=RunStatus.LAUNCHED, launched_at=campaign.starts_at,
    )  # fmt: skip
    for done in (True, False):
        Assignment.objects.create(
            run=run, membership=MembershipFactory(organization=bank_admin.organization),
            module_slug="voice-clone", due_at=run.due_at, completed_at=now if done else None,
        )  # fmt: skip
    return campaign


def test_a_completed_campaign_reaches_the_receiver_signed_and_once(
    webhook, finished_campaign, receiver, django_capture_on_commit_callbacks
):
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        dispatch_due_work(now=now)
        dispatch_due_work(now=now)  # a second tick announces nothing new
    deliver_due(timezone.now(), django_capture_on_commit_callbacks)

    assert len(receiver.events) == 1
    event = receiver.events[0]
    assert set(event) == {"id", "type", "created", "data"}
    assert event["type"] == "campaign.completed"
    assert event["data"]["campaign"] == {"id": finished_campaign.pk, "name": "Q3 fraud basics"}
    assert (event["data"]["assignments"], event["data"]["completed"]) == (2, 1)
    headers = receiver.requests[0]["headers"]
    assert headers["Webhook-Id"] == event["id"] and headers["Content-Type"] == "application/json"
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.response_status, delivery.attempts) == (
        OutboxStatus.SENT,
        200,
        1,
    )


def test_an_overdue_run_is_announced_once_with_its_counts(
    webhook, finished_campaign, receiver, django_capture_on_commit_callbacks
):
    run = finished_campaign.runs.get()
    run.due_at = timezone.now() - timedelta(hours=1)
    run.save()
    for tick in range(3):
        dispatch_due_work(now=timezone.now() + timedelta(minutes=tick))
    deliver_due(timezone.now(), django_capture_on_commit_callbacks)

    assert [e["type"] for e in receiver.events] == ["assignment.overdue"]
    data = receiver.events[0]["data"]
    assert (data["overdue_assignments"], data["overdue_people"], data["run"]) == (1, 1, 1)


def test_a_500_is_retried_later_and_the_event_arrives_once(
    webhook, receiver, bank_admin, django_capture_on_commit_callbacks
):
    receiver.replies = [500]
    signals.lure_reported.send(
        sender=None, organization=bank_admin.organization, payload={"simulation": 7, "reported": 1}
    )
    now = timezone.now()
    deliver_due(now, django_capture_on_commit_callbacks)
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("pending", 1, 500)
    deliver_due(now, django_capture_on_commit_callbacks)  # waits its turn
    assert len(receiver.requests) == 1

    deliver_due(now + timedelta(minutes=1, seconds=1), django_capture_on_commit_callbacks)
    assert len(receiver.events) == 1 and receiver.events[0]["data"] == {
        "simulation": 7,
        "reported": 1,
    }
    assert WebhookDelivery.objects.get().status == OutboxStatus.SENT


def test_a_failing_receiver_is_given_up_after_the_last_try(
    webhook, receiver, bank_admin, settings, client, django_capture_on_commit_callbacks
):
    settings.INTEGRATIONS_MAX_ATTEMPTS = 3
    receiver.replies = [503, 502, 500, 500]
    signals.lure_reported.send(sender=None, organization=bank_admin.organization, payload={"n": 1})
    later = timezone.now()
    for _try in range(4):
        deliver_due(later, django_capture_on_commit_callbacks)
        later += timedelta(hours=1)
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("failed", 3, 500)
    assert len(receiver.requests) == 3

    page = client.get(f"/orgs/harbour/integrations/webhooks/{webhook.pk}/").content.decode()
    assert "Gave up" in page and "HTTP 500" in page


def test_a_redirect_is_not_followed(
    webhook, receiver, bank_admin, django_capture_on_commit_callbacks
):
    receiver.replies = [302]
    signals.lure_reported.send(sender=None, organization=bank_admin.organization, payload={"n": 2})
    deliver_due(timezone.now(), django_capture_on_commit_callbacks)
    assert [r["path"] for r in receiver.requests] == ["/hooks"]
    assert WebhookDelivery.objects.get().status == OutboxStatus.FAILED


def test_a_connection_refused_is_retried(bank_admin, settings, django_capture_on_commit_callbacks):
    from tests.conftest import free_port

    settings.INTEGRATIONS_ALLOW_LOCAL_URLS = True
    WebhookSubscription.objects.create(
        organization=bank_admin.organization, url=f"http://127.0.0.1:{free_port()}/",
        events=["lure.reported"], created_at=timezone.now(),
    )  # fmt: skip
    signals.lure_reported.send(sender=None, organization=bank_admin.organization, payload={})
    deliver_due(timezone.now(), django_capture_on_commit_callbacks)
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("pending", 1)
    assert "ConnectionRefusedError" in delivery.last_error


def test_only_subscribed_enabled_webhooks_of_the_organisation_get_an_event(
    webhook, bank_admin, other_org_admin, client
):
    WebhookSubscription.objects.create(
        organization=bank_admin.organization, url="https://hr.example/only-overdue",
        events=["assignment.overdue"], created_at=timezone.now(),
    )  # fmt: skip
    signals.lure_reported.send(sender=None, organization=other_org_admin.organization, payload={})
    assert not WebhookDelivery.objects.exists()
    response = client.post(f"/orgs/harbour/integrations/webhooks/{webhook.pk}/switch/")
    assert response.status_code == 302
    signals.lure_reported.send(sender=None, organization=bank_admin.organization, payload={})
    assert not WebhookDelivery.objects.exists()
    client.post(f"/orgs/harbour/integrations/webhooks/{webhook.pk}/switch/")
    signals.lure_reported.send(sender=None, organization=bank_admin.organization, payload={})
    signals.lure_reported.send(sender=None, organization=bank_admin.organization, payload={})
    assert WebhookDelivery.objects.get().subscription == webhook


def test_the_secret_is_never_shown_again(webhook, client):
    for address in (
        "/orgs/harbour/integrations/",
        f"/orgs/harbour/integrations/webhooks/{webhook.pk}/",
    ):
        assert webhook.secret not in client.get(address).content.decode()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://hr.example/hook", "Use an https:// address."),
        ("http://hr.example/hook", "Use an https:// address."),
        ("not an address", "Enter a valid URL."),
        ("https://user:pw@hr.example/", "Leave the user name and password out of the address."),
        ("https://10.1.2.3/hook", "This address is on a private network"),
        ("https://127.0.0.1:8443/hook", "This address is on a private network"),
        ("https://hr.example/" + "a" * 600, "Ensure this value has at most 500 characters"),
    ],
)
def test_bad_addresses_get_a_clear_error_and_change_nothing(
    client, bank_admin, settings, url, message
):
    settings.INTEGRATIONS_ALLOW_LOCAL_URLS = False
    client.force_login(bank_admin.user)
    response = client.post(
        "/orgs/harbour/integrations/webhooks/new/", {"url": url, "events": ["lure.reported"]}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not WebhookSubscription.objects.exists()


def test_unknown_or_missing_events_are_refused(client, bank_admin):
    client.force_login(bank_admin.user)
    for events in ([], ["payroll.changed"]):
        response = client.post(
            "/orgs/harbour/integrations/webhooks/new/",
            {"url": "https://hr.example/", "events": events},
        )
        assert response.status_code == 400
    assert not WebhookSubscription.objects.exists()


@pytest.mark.parametrize("address", ["10.0.0.5", "127.0.0.1", "169.254.169.254", "::1"])
def test_in_production_a_name_resolving_to_a_private_address_is_not_contacted(
    settings, monkeypatch, address
):
    import socket

    def resolve(host, port, *args, **kwargs):  # the DNS answer, at the network edge
        return [
            (
                socket.AF_INET6 if ":" in address else socket.AF_INET,
                socket.SOCK_STREAM,
                6,
                "",
                (address, port),
            )
        ]

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    settings.INTEGRATIONS_ALLOW_LOCAL_URLS = False
    with pytest.raises(outbound.DeliveryFailed) as refused:
        outbound.send("POST", "https://hooks.hr.example/", b"{}", {})
    assert not refused.value.transient
    assert "private address" in str(refused.value)


def test_the_signature_is_the_one_the_standard_webhooks_library_makes(webhook):
    from training.integrations.services import signature

    body = json.dumps({"id": "x"}).encode()
    sent = signature(webhook.secret, "msg_1", "1700000000", body)
    expected = Webhook(webhook.secret).sign("msg_1", datetime.fromtimestamp(1700000000, UTC), body)
    assert sent == expected and sent.startswith("v1,")


def test_a_tampered_body_or_another_secret_fails_the_libraries_check(webhook):
    from training.integrations.services import signature

    body = json.dumps({"id": "x"}).encode()
    timestamp = str(int(timezone.now().timestamp()))
    headers = {
        "webhook-id": "msg_1",
        "webhook-timestamp": timestamp,
        "webhook-signature": signature(webhook.secret, "msg_1", timestamp, body),
    }
    Webhook(webhook.secret).verify(body, headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(webhook.secret).verify(body.replace(b"x", b"y"), headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(new_webhook_secret()).verify(body, headers)
