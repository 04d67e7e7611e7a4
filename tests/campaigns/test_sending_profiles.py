"""Sending profiles: lures from the bank's own name on a verified domain, DKIM-signed with a
key generated per domain whose DNS record the admin is shown (never the private key); "send a
test to me" delivers through the same path; a sender off the verified domains is refused."""

import html
import re
from datetime import timedelta

import dkim
import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.campaigns.conftest import staff
from tests.campaigns.simulation_helpers import load_library, send_due, template, unpaced, verify
from training.campaigns import services
from training.campaigns.models import DomainKey, SendingProfile
from training.campaigns.services.sending import save_sending_profile

pytestmark = pytest.mark.django_db
PAGE = "/orgs/harbour/simulations/sending/"
PROFILE = {
    "name": "Security team", "from_name": "Harbour Bank IT Security",
    "from_address": "it-security@harbourbank.example", "reply_to": "helpdesk@harbourbank.example",
    "sign_dkim": "on", "sms_sender": "HarbourBank",
}  # fmt: skip


@pytest.fixture
def admin_client(client, bank_admin):
    bank_admin.user.email = "it-admin@harbourbank.example"
    bank_admin.user.save()
    verify(bank_admin.organization, "harbourbank.example")
    load_library()
    client.force_login(bank_admin.user)
    return client


def published_record(page: str):
    """What the admin reads on the page and publishes in DNS, as a resolver would return it."""
    name = re.search(r"<code class=\"break\">([\w.-]+\._domainkey\.[\w.-]+)</code>", page).group(1)
    value = html.unescape(re.search(r'class="break dkim-record">([^<]+)<', page).group(1))
    return lambda qname, timeout=5: value.encode() if qname == f"{name}.".encode() else None


def test_a_test_to_me_arrives_dkim_signed_with_the_key_the_admin_was_told_to_publish(
    admin_client, smtp_sink
):
    assert admin_client.post(PAGE, PROFILE).status_code == 302
    page = admin_client.get(PAGE).content.decode()
    assert "v=DKIM1; k=rsa; p=" in page and "PRIVATE KEY" not in page
    key = DomainKey.objects.get()
    assert "PRIVATE KEY" not in key.private_key  # encrypted at rest
    profile = SendingProfile.objects.get()
    lure = template("bank-security-alert")

    response = admin_client.post(f"{PAGE}test/", {"template": lure.pk, "profile": profile.pk})
    assert response.status_code == 302
    (message,) = smtp_sink
    assert message["To"] == "it-admin@harbourbank.example"
    assert message["From"] == "Harbour Bank IT Security <it-security@harbourbank.example>"
    assert message["Reply-To"] == "helpdesk@harbourbank.example"
    assert message["Subject"] == "Unusual sign-in blocked: verify your account"
    assert message["Message-ID"].endswith("@harbourbank.example>")
    assert "d=harbourbank.example" in message["DKIM-Signature"]
    assert dkim.verify(smtp_sink.raw[0], dnsfunc=published_record(page))
    tampered = smtp_sink.raw[0].replace(b"verify your account", b"verify your acc0unt")
    assert not dkim.verify(tampered, dnsfunc=published_record(page))


def test_a_launch_through_the_profile_sends_signed_lures_in_the_banks_name(
    admin_client, bank_admin, departments, smtp_sink, django_capture_on_commit_callbacks
):
    admin_client.post(PAGE, PROFILE)
    page = admin_client.get(PAGE).content.decode()
    person = staff(departments[0], 1)[0]
    person.user.email = "amy@harbourbank.example"
    person.user.save()
    unpaced(bank_admin.organization)
    now = timezone.now()
    simulation = services.create_simulation(
        bank_admin, template=template("payroll-change"), name="Pay", groups=[departments[0]],
        sending_profile=SendingProfile.objects.get(),
    )  # fmt: skip
    services.launch_simulation(bank_admin, simulation, now=now)
    send_due(now + timedelta(hours=5), django_capture_on_commit_callbacks)
    (raw,) = [raw for raw in smtp_sink.raw if b"amy@harbourbank.example" in raw]
    assert b"From: Harbour Bank IT Security <it-security@harbourbank.example>" in raw
    assert dkim.verify(raw, dnsfunc=published_record(page))


def test_a_sender_off_the_verified_domains_is_refused_and_nothing_is_saved(admin_client):
    for field in ("from_address", "reply_to"):
        response = admin_client.post(PAGE, {**PROFILE, field: "it@freemail.example"})
        assert response.status_code == 400
        assert "it@freemail.example is not on one of your organisation&#x27;s verified domains" in (
            response.content.decode()
        )
    assert not SendingProfile.objects.exists() and not DomainKey.objects.exists()


def test_the_page_lists_profiles_and_records_in_a_fixed_number_of_queries(
    admin_client, bank_admin, django_assert_num_queries
):
    for n in range(5):
        save_sending_profile(bank_admin, **{**PROFILE, "name": f"P{n}", "sign_dkim": n % 2 == 0})
    with django_assert_num_queries(5):  # however many profiles and keys
        assert admin_client.get(PAGE).status_code == 200


def test_another_organisation_sees_no_profile_and_cannot_use_one(
    admin_client, bank_admin, other_org_admin, client
):
    admin_client.post(PAGE, PROFILE)
    client.force_login(other_org_admin.user)
    assert client.get(PAGE).status_code == 404
    mine = SendingProfile.objects.get()
    client.force_login(bank_admin.user)
    other_page = f"/orgs/{other_org_admin.organization.slug}/simulations/sending/"
    assert client.get(other_page).status_code == 404
    with pytest.raises(ValidationError, match="sending profiles"):
        services.create_simulation(
            other_org_admin, template=template("parcel-fee"), name="x", groups=[],
            sending_profile=mine,
        )  # fmt: skip
