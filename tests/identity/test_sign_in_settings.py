"""The owner's single sign-on settings: discovery checked on save, the client secret kept
sealed and never shown again, require-SSO with a break-glass owner, all audited."""

import json
import re
from http.server import BaseHTTPRequestHandler, HTTPServer
from threading import Thread

import pytest
from django.core import mail

from awareness.lib.sealing import unseal
from awareness.safety.models import AuditEvent
from tests.identity.conftest import connect_provider
from tests.people.factories import PASSWORD, MembershipFactory, UserFactory
from training.identity.models import SsoConnection
from training.identity.services.oidc import CLIENT_SECRETS
from training.people.models import Role

URL = "/orgs/harbour/sign-in/"


def log_in(client, username):
    response = client.post("/accounts/log-in/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:2000]


@pytest.fixture
def issuer(oidc_provider):
    return oidc_provider()


def test_the_owner_connects_a_provider_and_the_secret_is_never_shown_again(
    client, bank_owner, issuer
):
    log_in(client, "ciso")
    page = client.get(URL)
    assert "http://testserver/accounts/sso/oidc/callback/" in page.content.decode()
    assert "<title>Single sign-on · Spot the scam</title>" in page.content.decode()
    assert page.content.decode().count('id="two-factor-heading"') == 1

    response = client.post(URL, {
        "issuer": issuer + "/", "client_id": "awareness-web", "client_secret": "s3cret-idp",
        "default_role": "learner", "department_claim": "department",
    })  # fmt: skip

    assert response.status_code == 302
    connection = SsoConnection.objects.get(organization=bank_owner.organization)
    assert connection.token_endpoint == f"{issuer}/oauth2/token"
    assert "s3cret-idp" not in connection.client_secret_sealed
    assert unseal(connection.client_secret_sealed, purpose=CLIENT_SECRETS) == "s3cret-idp"
    page = client.get(URL).content.decode()
    assert "s3cret-idp" not in page and connection.client_secret_sealed not in page
    event = AuditEvent.objects.get(action="sso.configured")
    assert event.details["secret_replaced"] is True
    assert "s3cret-idp" not in str(event.details)

    # Saving again with the secret left empty keeps the stored secret.
    client.post(URL, {"issuer": issuer, "client_id": "awareness-web-2", "default_role": "learner"})
    connection.refresh_from_db()
    assert connection.client_id == "awareness-web-2"
    assert unseal(connection.client_secret_sealed, purpose=CLIENT_SECRETS) == "s3cret-idp"


@pytest.mark.parametrize(
    ("issuer_value", "message"),
    [
        ("http://127.0.0.1:9/", "could not be read"),
        ("ftp://idp.example/", "Use an https:// address."),
        ("http://user:pw@127.0.0.1/", "Type the issuer address"),
    ],
)
def test_an_issuer_that_cannot_be_discovered_changes_nothing(
    client, bank_owner, issuer_value, message
):
    log_in(client, "ciso")
    response = client.post(URL, {"issuer": issuer_value, "client_id": "x",
                                 "client_secret": "y", "default_role": "learner"})  # fmt: skip
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not SsoConnection.objects.exists()
    assert not AuditEvent.objects.filter(action="sso.configured").exists()


def test_a_discovery_document_naming_another_issuer_is_refused(client, bank_owner):
    """A server on loopback whose discovery document claims to be someone else."""
    document = json.dumps({"issuer": "https://login.evil.example", "authorization_endpoint": "x"})

    class Impostor(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(document.encode())

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Impostor)
    Thread(target=server.serve_forever, daemon=True).start()
    try:
        log_in(client, "ciso")
        response = client.post(URL, {"issuer": f"http://127.0.0.1:{server.server_port}",
                                     "client_id": "x", "client_secret": "y",
                                     "default_role": "learner"})  # fmt: skip
    finally:
        server.shutdown()
    assert response.status_code == 400
    assert "names another issuer" in response.content.decode()
    assert not SsoConnection.objects.exists()


def test_only_owners_see_the_settings_and_other_organisations_get_404(
    client, bank_owner, other_org_admin
):
    admin = MembershipFactory(organization=bank_owner.organization, role=Role.ADMIN,
                              user=UserFactory(username="admin"))  # fmt: skip
    log_in(client, admin.user.username)
    assert client.get(URL).status_code == 403
    client.logout()
    log_in(client, other_org_admin.user.username)
    assert client.get(URL).status_code == 404


def test_require_sso_needs_a_break_glass_owner(client, bank_owner, issuer):
    log_in(client, "ciso")
    response = client.post(URL, {"issuer": issuer, "client_id": "x", "client_secret": "y",
                                 "default_role": "learner", "require_sso": "on"})  # fmt: skip
    assert response.status_code == 400
    assert "Choose an owner" in response.content.decode()
    assert not SsoConnection.objects.exists()


def test_require_sso_refuses_passwords_except_the_break_glass_owner_and_classroom_accounts(
    client, bank_owner, issuer
):
    bank = bank_owner.organization
    teller = MembershipFactory(organization=bank, user=UserFactory(username="teller"))
    other_owner = MembershipFactory(organization=bank, role=Role.OWNER,
                                    user=UserFactory(username="coo"))  # fmt: skip
    pupil = MembershipFactory(organization=bank, user=UserFactory(
        username="brave-otter-12", email="", is_pseudonymous=True))  # fmt: skip
    connect_provider(bank_owner, issuer, require_sso=True, break_glass_owner=bank_owner)

    for person in (teller, other_owner):
        credentials = {"username": person.user.username, "password": PASSWORD}
        response = client.post("/accounts/log-in/", credentials)
        assert response.status_code == 200
        assert "signs you in with its own sign-in page" in response.content.decode()
        assert "_auth_user_id" not in client.session
    for person in (bank_owner, pupil):
        log_in(client, person.user.username)
        client.logout()
    assert AuditEvent.objects.get(action="sso.configured").details["require_sso"] is True


def test_require_sso_refuses_sign_in_links_too(
    client, bank_owner, issuer, django_capture_on_commit_callbacks
):
    """A link asked for before single sign-on became required no longer signs in, and no new
    link is mailed; the page still gives everyone the same answer."""
    teller = MembershipFactory(organization=bank_owner.organization, user=UserFactory(
        username="teller", first_name="Tam", email="tam@harbourbank.example"))  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/sign-in-link/", {"email": "tam@harbourbank.example"})
    link = re.search(r"https?://\S+?(/accounts/\S+/)", mail.outbox[-1].body).group(1)
    connect_provider(bank_owner, issuer, require_sso=True, break_glass_owner=bank_owner)
    sent = len(mail.outbox)

    response = client.post(link)
    assert response.status_code == 410
    assert "signs you in with its own sign-in page" in response.content.decode()
    assert "_auth_user_id" not in client.session
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/sign-in-link/", {"email": "tam@harbourbank.example"})
    assert response.status_code == 200 and b"Check your e-mail" in response.content
    assert len(mail.outbox) == sent
    assert teller.user.sign_in_links.filter(used_at__isnull=False).count() == 0
