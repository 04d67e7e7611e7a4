"""Removal requests cannot be used to take the content down: a request hides an example that
is not recorded as depicting a real person only once the requester confirms their address from
the e-mailed link, and never more often than the platform-wide hourly cap; past it requests
wait for review and staff are alerted once. The audit log shows who filed what."""

import re

import pytest
from django.urls import reverse

from awareness.safety.models import AuditEvent, RemovalRequest, RemovalStatus
from tests.safety.conftest import removal_form

pytestmark = pytest.mark.django_db

TARGETS = ["parcel-fee-sms", "parcel-real-sms"]  # neither is recorded as depicting anyone


def file_from(client, address: str, number: int, example: str):
    """A request from its own network address, with its own mailbox, as a rotating attacker
    (or many people) would send it."""
    return client.post(
        reverse("removal_request"),
        removal_form(example=example, contact_email=address, details=f"Request {number}"),
        REMOTE_ADDR=f"198.51.100.{number + 1}",
    )


def confirmation_link(smtp_sink, address: str) -> str:
    [message] = [m for m in smtp_sink if m["To"] == address]
    assert message["Subject"] == "Confirm your removal request"
    text = message.get_body(("plain",)).get_content()
    return re.search(r"http://\S+/removal/confirm/\S+/", text).group().split("8000", 1)[1]


def shown(client, slug: str) -> bool:
    return client.get(reverse("museum_example", args=[slug])).status_code == 200


def test_a_request_hides_nothing_until_its_address_is_confirmed_by_the_button(
    client, consent_pack, smtp_sink, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert file_from(client, "mei@example.net", 0, "parcel-fee-sms").status_code == 302
    assert shown(client, "parcel-fee-sms")
    link = confirmation_link(smtp_sink, "mei@example.net")

    page = client.get(link)  # a mail scanner opening the link changes nothing
    assert page.status_code == 200 and "Confirm and hide it" in page.content.decode()
    assert shown(client, "parcel-fee-sms")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(link)
    assert response.status_code == 302
    assert "is now hidden from every page" in client.get(response.url).content.decode()
    assert not shown(client, "parcel-fee-sms")
    removal = RemovalRequest.objects.get()
    assert removal.status == RemovalStatus.HIDDEN and removal.contact_confirmed_at is not None
    assert client.post(link).status_code == 302  # a second click changes nothing more
    assert AuditEvent.objects.filter(action="removal.hidden").count() == 1


def test_a_tampered_link_is_refused(client, consent_pack):
    response = client.post(reverse("removal_confirm", args=["1:forged:signature"]))
    assert response.status_code == 400
    assert "not valid or has expired" in response.content.decode()


def test_a_burst_from_many_addresses_hides_only_up_to_the_hourly_cap(
    client, consent_pack, smtp_sink, reviewer, settings, django_capture_on_commit_callbacks
):
    settings.REMOVAL_AUTO_HIDES_PER_HOUR = 1
    addresses = [f"someone{n}@mail{n}.example" for n in range(8)]
    for number, address in enumerate(addresses):
        with django_capture_on_commit_callbacks(execute=True):
            response = file_from(client, address, number, TARGETS[number % 2])
        assert response.status_code == 302, response.content[:500]
    assert all(shown(client, slug) for slug in TARGETS)

    for address in addresses:  # whoever holds these mailboxes confirms every one
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post(confirmation_link(smtp_sink, address)).status_code == 302

    statuses = list(RemovalRequest.objects.order_by("pk").values_list("status", flat=True))
    assert statuses == [RemovalStatus.HIDDEN] + [RemovalStatus.RECEIVED] * 7
    assert not shown(client, TARGETS[0]) and shown(client, TARGETS[1])
    alerts = [m for m in smtp_sink if m["To"] == reviewer.email and "hourly limit" in m["Subject"]]
    assert len(alerts) == 1
    assert "wait for your review" in alerts[0].get_body(("plain",)).get_content()
    assert AuditEvent.objects.filter(action="removal.held").count() == 7

    # Who filed what: one distinct requester per address, with the example and the reason.
    filed = AuditEvent.objects.filter(action="removal.filed").order_by("pk")
    assert [e.details["example"] for e in filed] == [TARGETS[n % 2] for n in range(8)]
    assert len({e.details["requester"] for e in filed}) == 8
    assert all(e.details["reason"] == "likeness" for e in filed)
    again = file_from(client, addresses[1], 9, TARGETS[1])
    assert again.status_code == 302
    last = AuditEvent.objects.filter(action="removal.filed").latest("pk")
    assert last.details["requester"] == filed[1].details["requester"]
