"""Single sign-on through a real OpenID Connect provider process on loopback (authorisation
code + PKCE S256, nonce, signed ID token): discovery by e-mail domain, just-in-time membership
with a department from a claim, and refusals that change nothing."""

import html
import re
from urllib.parse import urlsplit

import httpx
import pytest

from awareness.safety.models import AuditEvent
from tests.identity.conftest import connect_provider
from tests.people.factories import PASSWORD, MembershipFactory, UserFactory
from training.people.models import Group, Membership, Role, User

ALICE = {"sub": "alice", "email": "alice@harbourbank.example", "name": "Alice Chan",
         "department": "Treasury"}  # fmt: skip


def sign_in_at_provider(client, start_response, sub: str):
    """What the browser does: follow us to the provider, sign in there, come back."""
    if start_response.status_code == 200:  # our page between the form and the provider
        target = re.search(r'url=([^"]+)"', start_response.content.decode()).group(1)
        start_response = client.get(html.unescape(target))
    assert start_response.status_code == 302
    authorize = start_response["Location"]
    query = dict(part.split("=", 1) for part in urlsplit(authorize).query.split("&"))
    assert query["code_challenge_method"] == "S256" and query["code_challenge"]
    back = httpx.post(authorize, data={"sub": sub})
    assert back.status_code == 302, back.text
    callback = urlsplit(back.headers["location"])
    return client.get(f"{callback.path}?{callback.query}")


@pytest.fixture
def provider(oidc_provider, bank_owner):
    issuer = oidc_provider(ALICE, {"sub": "mallory", "email": "mallory@elsewhere.example"})
    return connect_provider(bank_owner, issuer)


def test_an_address_on_a_verified_domain_signs_in_there_and_becomes_a_member(client, provider):
    start = client.post("/accounts/sso/", {"email": "Alice@harbourbank.example"})
    assert start.status_code == 302 and start["Location"].startswith("/accounts/sso/harbour/")

    landed = sign_in_at_provider(client, client.get(start["Location"]), "alice")

    assert landed.status_code == 302 and landed["Location"] == "/"
    alice = User.objects.get(email="alice@harbourbank.example")
    assert client.get("/").context["user"] == alice
    assert not alice.has_usable_password()
    membership = Membership.objects.get(user=alice, organization=provider.organization)
    assert membership.role == Role.LEARNER
    assert [g.name for g in membership.groups.all()] == ["Treasury"]
    actions = list(AuditEvent.objects.order_by("pk").values_list("action", flat=True))
    assert actions[-2:] == ["sso.member_provisioned", "sso.signed_in"]


def test_the_log_in_page_sends_an_sso_address_to_its_provider(client, provider):
    response = client.post("/accounts/log-in/", {"username": "alice@harbourbank.example",
                                                 "password": "", "next": "/orgs/"})  # fmt: skip
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/sso/harbour/?login_hint=alice")
    landed = sign_in_at_provider(client, client.get(response["Location"]), "alice")
    assert landed["Location"] == "/orgs/"


def test_a_second_sign_in_keeps_the_membership_and_moves_the_department(
    client, provider, oidc_provider
):
    retail = Group.objects.create(organization=provider.organization, name="Retail",
                                  kind="department")  # fmt: skip
    alice = UserFactory(username="alice", email="alice@harbourbank.example")
    membership = MembershipFactory(organization=provider.organization, user=alice,
                                   role=Role.MANAGER)  # fmt: skip
    retail.members.add(membership)

    sign_in_at_provider(client, client.get("/accounts/sso/oidc/harbour/"), "alice")

    membership.refresh_from_db()
    assert membership.role == Role.MANAGER
    assert [g.name for g in membership.groups.all()] == ["Treasury"]
    assert not AuditEvent.objects.filter(action="sso.member_provisioned").exists()


def test_an_address_outside_the_verified_domains_is_refused(client, provider):
    page = sign_in_at_provider(client, client.get("/accounts/sso/oidc/harbour/"), "mallory")

    assert page.status_code == 403
    assert "not on Harbour City Bank" in page.content.decode()
    assert not User.objects.filter(email="mallory@elsewhere.example").exists()
    refused = AuditEvent.objects.get(action="sso.sign_in_refused")
    assert refused.details == {"protocol": "oidc", "reason": "address_not_on_verified_domain"}


def test_a_deactivated_member_is_not_let_back_in(client, provider):
    alice = UserFactory(username="alice", email="alice@harbourbank.example")
    MembershipFactory(organization=provider.organization, user=alice, is_active=False)

    page = sign_in_at_provider(client, client.get("/accounts/sso/oidc/harbour/"), "alice")

    assert page.status_code == 403
    assert "has ended" in page.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_callback_with_a_forged_state_is_refused(client, provider):
    client.get("/accounts/sso/oidc/harbour/")
    response = client.get("/accounts/sso/oidc/callback/?code=stolen&state=forged")
    assert response.status_code == 400
    assert "_auth_user_id" not in client.session


def test_cancelling_at_the_provider_shows_our_page(client, provider):
    client.get("/accounts/sso/oidc/harbour/")
    page = client.get("/accounts/sso/oidc/callback/?error=access_denied&state=x")
    assert page.status_code == 403
    assert "cancelled" in page.content.decode()


def test_an_address_without_sso_is_told_to_use_a_password(client, provider):
    response = client.post("/accounts/sso/", {"email": "someone@freemail.example"})
    assert response.status_code == 400
    assert "Log in with your password instead" in response.content.decode()
    response = client.post("/accounts/log-in/", {"username": "ciso", "password": PASSWORD})
    assert response.status_code == 302  # usernames are not addresses: no discovery


def test_other_organisations_sso_start_is_404(client, db):
    assert client.get("/accounts/sso/oidc/no-such-org/").status_code == 404
