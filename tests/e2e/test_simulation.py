"""A bank admin verifies a mail domain, runs a scam simulation from the library in a real
browser, and a real Celery worker sends the lures to a real SMTP sink: one per person. A click
teaches the lure's red flags and assigns its micro-module; a report counts; the results page
shows the rates. A lure aimed at an unverified domain is refused before anything is queued."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.campaigns.simulation_helpers import load_library
from tests.conftest import wait_until
from tests.identity.conftest import enrol_in_browser
from tests.people.factories import PASSWORD, GroupFactory, MembershipFactory, UserFactory
from training.campaigns import services
from training.campaigns.models import Assignment, Notification, SendingPolicy
from training.people.models import Role, VerifiedDomain

SMALL_PHONE = {"width": 360, "height": 780}


class TxtRecord:
    def __init__(self, text: str):
        self.strings = [text.encode()]


class StubResolver:
    """The DNS of harbourbank.example, holding whatever record the admin was asked to publish."""

    def resolve(self, name, rdtype, search=False):
        return [TxtRecord(VerifiedDomain.objects.get(domain=name).txt_record)]


def stub_resolver():
    return StubResolver()


@pytest.fixture
def bank(transactional_db, settings):
    from tests.people.factories import OrganizationFactory

    settings.DOMAIN_RESOLVER_FACTORY = f"{__name__}.stub_resolver"
    load_library()
    bank = OrganizationFactory(name="Harbour City Bank", slug="harbour", kind="bank")
    admin = MembershipFactory(
        organization=bank, role=Role.ADMIN, user=UserFactory(username="it-admin")
    )
    for name in ("Retail", "Treasury"):
        group = GroupFactory(organization=bank, name=name, kind="department")
        group.members.add(*(
            MembershipFactory(organization=bank, user=UserFactory(
                username=f"{name.lower()}{n}", email=f"{name.lower()}{n}@harbourbank.example"))
            for n in range(2)
        ))  # fmt: skip
    contractors = GroupFactory(organization=bank, name="Contractors", kind="department")
    contractors.members.add(
        MembershipFactory(organization=bank, user=UserFactory(email="temp@freemail.example"))
    )
    SendingPolicy.objects.create(organization=bank, per_minute=0, per_day=0)
    return admin


def new_simulation(admin, live_server, name: str, groups: list[str]) -> None:
    admin.goto(f"{live_server.url}/orgs/harbour/simulations/")
    admin.get_by_role("link", name="New simulation").click()
    admin.get_by_label("CEO deepfake call follow-up (E-mail)").check()
    admin.get_by_label("Name").fill(name)
    for group in groups:
        admin.get_by_label(group).check()
    admin.get_by_label("Send over (hours)").fill("0")
    admin.get_by_role("button", name="Save the draft").click()
    admin.get_by_role("button", name="Launch").click()


def test_a_bank_admin_runs_a_scam_simulation_end_to_end(
    browser, live_server, bank, worker, smtp_sink, screenshot
):
    admin = browser.new_context(viewport=SMALL_PHONE).new_page()
    admin.goto(f"{live_server.url}/accounts/log-in/")
    admin.get_by_label("Username").fill("it-admin")
    admin.get_by_label("Password").fill(PASSWORD)
    admin.get_by_role("button", name="Log in").click()
    admin.goto(f"{live_server.url}/accounts/two-factor/")  # launching needs a second factor
    enrol_in_browser(admin)

    admin.goto(f"{live_server.url}/orgs/harbour/domains/")
    admin.get_by_role("textbox", name="Domain").fill("harbourbank.example")
    admin.get_by_role("radio", name="Publish a DNS TXT record").check()
    admin.get_by_role("button", name="Add domain").click()
    admin.get_by_role("button", name="Check now").click()
    expect(admin.get_by_text("Verified", exact=True)).to_be_visible()

    new_simulation(admin, live_server, "Contractors test", ["Contractors"])
    expect(admin.get_by_text("temp@freemail.example")).to_be_visible()
    expect(admin.get_by_text("not on your organisation's verified domains")).to_be_visible()
    screenshot(admin, "refused")
    assert not Notification.objects.exists()

    new_simulation(admin, live_server, "Spring simulation", ["Retail", "Treasury"])
    expect(admin.get_by_text("Launched: the lures go out over the sending window.")).to_be_visible()
    wait_until(  # the test plays celery beat: each pass is one tick
        lambda: services.dispatch_due_work(now=timezone.now()) or len(smtp_sink) >= 4,
        timeout=60,
        worker=worker,
    )
    wait_until(
        lambda: not Notification.objects.exclude(status="sent").exists(), timeout=20, worker=worker
    )
    assert sorted(m["To"] for m in smtp_sink) == [
        "retail0@harbourbank.example", "retail1@harbourbank.example",
        "treasury0@harbourbank.example", "treasury1@harbourbank.example",
    ]  # fmt: skip
    assert all(m["X-Awareness-Simulation"] == f"harbour-{bank.organization_id}" for m in smtp_sink)

    links = {
        m["To"]: re.search(r"(http://\S+/s/[\w-]+/)", m.get_body(("plain",)).get_content()).group(1)
        for m in smtp_sink
    }
    person = browser.new_context(viewport=SMALL_PHONE, is_mobile=True).new_page()
    person.goto(links["retail0@harbourbank.example"])
    expect(person.get_by_role("heading", name="This was a scam simulation")).to_be_visible()
    expect(
        person.get_by_text("Confidential: the transfer we discussed on the call")
    ).to_be_visible()
    expect(person.get_by_text("Pressure to act before a close deadline.")).to_be_visible()
    assert person.evaluate("document.documentElement.scrollWidth") <= SMALL_PHONE["width"]
    screenshot(person, "teachable-moment")
    assert Assignment.objects.filter(
        membership__user__username="retail0", module_slug="deepfake-cfo"
    ).exists()

    person.goto(links["treasury1@harbourbank.example"] + "report/")
    person.get_by_role("button", name="Report it").click()
    expect(person.get_by_role("heading", name="Thank you for reporting")).to_be_visible()

    admin.reload()
    figures = admin.locator(".figures")
    expect(figures).to_contain_text("Click rate25%")
    expect(figures).to_contain_text("Report rate25%")
    expect(figures).to_contain_text("Enrolled in the micro-module1")
    assert admin.evaluate("document.documentElement.scrollWidth") <= SMALL_PHONE["width"]
    screenshot(admin, "results")
