"""A bank admin is asked for a second factor when launching a scam simulation: she sets up an
authenticator app from the key on the page, launches; signed in again another day, the
launch waits until she types the app's code."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.test_simulation import bank, new_simulation  # noqa: F401 (bank: a fixture)
from tests.identity.conftest import code_from_secret, enrol_in_browser
from tests.people.factories import PASSWORD
from training.campaigns.models import Simulation
from training.people.models import Organization, VerifiedDomain


def log_in(page, live_server):
    page.goto(f"{live_server.url}/accounts/log-in/")
    page.get_by_label("Username").fill("it-admin")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text("Signed in as it-admin")).to_be_visible()


@pytest.mark.usefixtures("bank")
def test_launching_a_simulation_waits_for_the_second_factor(browser, live_server, screenshot):
    now = timezone.now()
    VerifiedDomain.objects.create(
        organization=Organization.objects.get(slug="harbour"), domain="harbourbank.example",
        method="dns", requested_at=now, verified_at=now,
    )  # fmt: skip
    context = browser.new_context()
    admin = context.new_page()
    log_in(admin, live_server)

    new_simulation(admin, live_server, "Spring simulation", ["Retail"])
    expect(admin.get_by_role("heading", name="Set up two-factor authentication")).to_be_visible()
    screenshot(admin, "enrol")
    secret = enrol_in_browser(admin)
    admin.get_by_role("link", name="Continue").click()
    admin.get_by_role("button", name="Launch").click()
    expect(admin.get_by_text("Launched: the lures go out over the sending window.")).to_be_visible()

    admin.get_by_role("button", name="Log out").click()
    log_in(admin, live_server)
    new_simulation(admin, live_server, "Autumn simulation", ["Treasury"])
    expect(admin.get_by_role("heading", name="Confirm it's you")).to_be_visible()
    assert Simulation.objects.get(name="Autumn simulation").status == "draft"
    admin.get_by_label("Code").fill(code_from_secret(secret, drift=1))  # the next code
    admin.get_by_role("button", name="Confirm").click()
    admin.get_by_role("button", name="Launch").click()
    expect(admin.get_by_text("Launched: the lures go out over the sending window.")).to_be_visible()
    assert Simulation.objects.get(name="Autumn simulation").status != "draft"
    context.close()
