"""A staff member clicks a lure from their mailbox and lands on the lure host, on a page of
the lure's world with nothing of the training site; the teachable moment follows the click,
with the red flags marked and numbered on the lure and its links disarmed."""

import re
from html import escape

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from awareness.content.models import Module
from tests.campaigns.simulation_helpers import load_library, template, unpaced, verify
from tests.people.factories import GroupFactory, MembershipFactory, OrganizationFactory, UserFactory
from training.campaigns import services
from training.people.models import Role

TRAINING_WORDS = ("simulation", "training", "scam", "awareness", "spot the", "report", "localhost")


@pytest.fixture
def lure_mail(transactional_db, live_server, smtp_sink, settings):
    """The lure in Amy's mailbox: the bank set it up and launched it (the scene, not the step)."""
    lure_url = live_server.url.replace("localhost", "127.0.0.1")  # the same server, another host
    settings.SITE_URL, settings.LURE_URL = live_server.url, lure_url
    settings.LURE_HOSTS, settings.LURE_TEACH_AFTER_SECONDS = ["127.0.0.1"], 1
    load_library()
    Module.objects.create(slug="fake-bank-login", title="The fake bank sign-in page",
                          language="en", is_current=True, version=1, minutes=5)  # fmt: skip
    bank = OrganizationFactory(name="Harbour City Bank", slug="harbour", kind="bank")
    admin = MembershipFactory(organization=bank, role=Role.ADMIN)
    verify(bank, "harbourbank.example")
    unpaced(bank)
    retail = GroupFactory(organization=bank, name="Retail", kind="department")
    retail.members.add(MembershipFactory(organization=bank, user=UserFactory(
        first_name="Amy", email="amy@harbourbank.example")))  # fmt: skip
    simulation = services.create_simulation(
        admin, template=template("bank-security-alert"), name="Spring", groups=[retail],
        send_over_hours=0,
    )  # fmt: skip
    now = timezone.now()
    services.launch_simulation(admin, simulation, now=now)
    for batch in services.claim_due_notifications(now=now):
        services.deliver(batch)
    (mail,) = smtp_sink
    return mail, lure_url


def test_a_click_on_a_lure_lands_in_its_world_then_teaches_with_the_flags_marked(
    browser, lure_mail, screenshot
):
    mail, lure_url = lure_mail
    assert "report" not in mail.get_body(("html",)).get_content().lower()
    link = re.search(r"(http://\S+/s/[\w-]+/)", mail.get_body(("plain",)).get_content()).group(1)
    assert link.startswith(f"{lure_url}/s/")

    person = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    # What Amy sees in her mail app: the headers a client shows, then the HTML part as sent.
    person.set_content(
        f"<p><b>{escape(mail['From'])}</b><br>{escape(mail['Subject'])}</p><hr>"
        + mail.get_body(("html",)).get_content()
    )
    screenshot(person, "inbox")
    person.goto(link)
    expect(person.get_by_role("heading", name="Verify your identity")).to_be_visible()
    landing = person.content()
    assert not [word for word in TRAINING_WORDS if word in landing.lower()]
    assert "site-header" not in landing and "footer" not in landing
    screenshot(person, "landing")

    # On click (the default) the teachable moment replaces the page without anything typed.
    expect(person.get_by_role("heading", name="This was a scam simulation")).to_be_visible()
    flags = person.locator(".lure mark.flag")
    expect(flags).to_have_count(3)
    expect(flags.nth(0)).to_contain_text("Account Security Team3")
    expect(flags.nth(1)).to_contain_text("To avoid suspension1")
    expect(flags.nth(2)).to_contain_text("Verify my account2")
    expect(person.locator(".lure a")).to_have_count(0)  # its links are disarmed
    expect(person.get_by_role("link", name="Start the module")).to_have_attribute(
        "href", f"{lure_mail[1].replace('127.0.0.1', 'localhost')}/learn/fake-bank-login/"
    )
    screenshot(person, "teachable-moment")
