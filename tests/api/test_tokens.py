"""API tokens: made and revoked by an organisation's administrators on its page, shown once,
kept only hashed, scoped, and refused once revoked or once their maker is no admin."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from awareness.safety.models import AuditEvent
from tests.api.conftest import client_with_token, token_for
from tests.people.factories import MembershipFactory
from training.people.models import ApiToken, Role, TokenScope
from training.people.services import change_role

pytestmark = pytest.mark.django_db


def make_on_page(client, org: str, scope: str = "write") -> str:
    response = client.post(f"/orgs/{org}/api-tokens/", {"name": "HR sync", "scope": scope})
    assert response.status_code == 200
    return response.context["secret"]


def test_an_admin_makes_a_token_that_is_shown_once_and_kept_only_as_a_hash(client, bank_admin):
    client.force_login(bank_admin.user)
    secret = make_on_page(client, "harbour")

    token = ApiToken.objects.get()
    assert secret.startswith(f"sat_{token.prefix}_") and len(secret) > 40
    assert secret not in str(ApiToken.objects.values().get())
    assert secret not in client.get("/orgs/harbour/api-tokens/").content.decode()
    assert AuditEvent.objects.filter(action="api_token.created").count() == 1
    response = client_with_token(secret).get("/api/v1/orgs/harbour/")
    assert response.json()["slug"] == "harbour"


def test_a_revoked_token_is_refused_with_401(client, bank_admin):
    client.force_login(bank_admin.user)
    secret = make_on_page(client, "harbour")
    api = client_with_token(secret)
    assert api.get("/api/v1/orgs/harbour/members/").status_code == 200

    token = ApiToken.objects.get()
    client.post(f"/orgs/harbour/api-tokens/{token.pk}/revoke/")

    response = api.get("/api/v1/orgs/harbour/members/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["error"]["code"] == "authentication_failed"
    assert AuditEvent.objects.filter(action="api_token.revoked").count() == 1


@pytest.mark.parametrize(
    "secret",
    ["sat_nope_nothing", "not-even-ours", "sat_", "sat__x", "Bearer", "sat_x_y z"],
)
def test_a_made_up_token_is_refused_with_401(bank_admin, secret):
    response = client_with_token(secret).get("/api/v1/orgs/")
    assert response.status_code == 401


def test_a_tampered_token_with_a_real_prefix_is_refused(bank_admin):
    secret = token_for(bank_admin)
    response = client_with_token(secret[:-2] + "xx").get("/api/v1/orgs/")
    assert response.status_code == 401


def test_a_read_only_token_may_read_but_not_write(bank_admin):
    api = client_with_token(token_for(bank_admin, TokenScope.READ))
    assert api.get("/api/v1/orgs/harbour/members/").status_code == 200

    response = api.post("/api/v1/orgs/harbour/groups/", {"name": "Retail"}, format="json")

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "read_only_token"
    assert not bank_admin.organization.groups.exists()


def test_a_token_stops_working_when_its_maker_is_no_longer_an_admin(bank_admin):
    owner = MembershipFactory(organization=bank_admin.organization, role=Role.OWNER)
    api = client_with_token(token_for(bank_admin))
    assert api.get("/api/v1/orgs/").status_code == 200

    change_role(owner, bank_admin, role=Role.LEARNER)

    assert api.get("/api/v1/orgs/").status_code == 401


def test_last_use_is_written_at_most_once_a_minute(bank_admin, django_assert_num_queries):
    api = client_with_token(token_for(bank_admin))
    api.get("/api/v1/orgs/")
    token = ApiToken.objects.get()
    first_use = token.last_used_at
    assert first_use is not None

    with django_assert_num_queries(1):  # the token look-up only: no write
        api.get("/api/v1/orgs/")
    token.refresh_from_db()
    assert token.last_used_at == first_use

    ApiToken.objects.update(last_used_at=timezone.now() - timedelta(minutes=2))
    api.get("/api/v1/orgs/")
    token.refresh_from_db()
    assert token.last_used_at > first_use


def test_learners_and_managers_cannot_see_or_make_tokens(client, bank_admin):
    for role in (Role.LEARNER, Role.MANAGER):
        person = MembershipFactory(organization=bank_admin.organization, role=role)
        client.force_login(person.user)
        assert client.get("/orgs/harbour/api-tokens/").status_code == 403
        assert (
            client.post("/orgs/harbour/api-tokens/", {"name": "x", "scope": "write"}).status_code
            == 403
        )
    assert not ApiToken.objects.exists()


def test_a_bad_form_changes_nothing(client, bank_admin):
    client.force_login(bank_admin.user)
    response = client.post("/orgs/harbour/api-tokens/", {"name": "", "scope": "root"})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_the_browser_session_needs_csrf_for_writes(bank_admin):
    browser = APIClient(enforce_csrf_checks=True)
    browser.force_login(bank_admin.user)
    assert browser.get("/api/v1/orgs/harbour/groups/").status_code == 200

    response = browser.post("/api/v1/orgs/harbour/groups/", {"name": "Retail"}, format="json")

    assert response.status_code == 403
    assert "CSRF" in response.json()["error"]["message"]
    assert not bank_admin.organization.groups.exists()
