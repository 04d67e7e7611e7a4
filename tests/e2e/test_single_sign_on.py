"""A bank's owner connects its OpenID Connect provider (a real provider process on loopback)
in the browser; a colleague types her work address, is sent there by domain discovery, signs
in (code flow with PKCE) and comes back a member of her department."""

import pytest
from playwright.sync_api import expect

from tests.identity.conftest import bank_with_owner, start_oidc_provider
from tests.people.factories import PASSWORD
from training.people.models import Membership

ALICE = {"sub": "alice", "email": "alice@harbourbank.example", "name": "Alice Chan",
         "department": "Treasury"}  # fmt: skip


@pytest.fixture
def bank_owner(transactional_db):
    return bank_with_owner()


def test_a_colleague_signs_in_through_the_banks_provider(
    browser, live_server, bank_owner, start_process, screenshot
):
    issuer = start_oidc_provider(start_process, ALICE)
    owner = browser.new_context().new_page()
    owner.goto(f"{live_server.url}/accounts/log-in/")
    owner.get_by_label("Username").fill("ciso")
    owner.get_by_label("Password").fill(PASSWORD)
    owner.get_by_role("button", name="Log in").click()
    owner.goto(f"{live_server.url}/orgs/harbour/")
    owner.get_by_role("link", name="Single sign-on").click()
    expect(owner.locator("#redirect-uri")).to_have_text(
        f"{live_server.url}/accounts/sso/oidc/callback/"
    )
    owner.get_by_label("Issuer").fill(issuer)
    owner.get_by_label("Client ID").fill("awareness-web")
    owner.get_by_label("Client secret").fill("s3cret-from-the-idp")
    owner.get_by_label("Claim that names the department").fill("department")
    owner.get_by_role("button", name="Save", exact=True).click()
    expect(owner.get_by_text("Single sign-on settings saved.")).to_be_visible()
    expect(owner.get_by_label("Client secret")).to_have_value("")
    screenshot(owner, "settings")

    alice = browser.new_context().new_page()
    alice.goto(f"{live_server.url}/accounts/log-in/")
    alice.get_by_role("link", name="Sign in with your organisation").click()
    alice.get_by_label("Work e-mail address").fill("alice@harbourbank.example")
    alice.get_by_role("button", name="Continue").click()
    expect(alice.get_by_role("heading", name="Authorize Client")).to_be_visible()
    assert alice.url.startswith(issuer)
    alice.get_by_placeholder("sub").fill("alice")
    alice.get_by_role("button", name="Authorize").click()

    alice.wait_for_url(f"{live_server.url}/")
    alice.goto(f"{live_server.url}/orgs/")
    expect(alice.get_by_role("link", name="Harbour City Bank")).to_be_visible()
    membership = Membership.objects.get(user__email="alice@harbourbank.example")
    assert [g.name for g in membership.groups.all()] == ["Treasury"]
    screenshot(alice, "signed-in")
