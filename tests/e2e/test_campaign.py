"""A bank admin launches a campaign in a real browser; staff get real e-mails, follow the link
and complete the module; the dashboard moves. A real Celery worker does the sending."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.conftest import wait_until
from tests.e2e.test_play_module import play_parcel_module
from tests.people.factories import PASSWORD, GroupFactory, MembershipFactory, UserFactory
from training.campaigns import services
from training.campaigns.models import SendingPolicy
from training.people.models import Role


@pytest.fixture
def bank(transactional_db, loaded_pack):
    from tests.people.factories import OrganizationFactory

    bank = OrganizationFactory(name="Harbour City Bank", slug="harbour", kind="bank")
    admin = MembershipFactory(
        organization=bank, role=Role.ADMIN, user=UserFactory(username="it-admin")
    )
    for name in ("Retail", "Treasury"):
        group = GroupFactory(organization=bank, name=name, kind="department")
        group.members.add(*(MembershipFactory(organization=bank) for _ in range(2)))
    SendingPolicy.objects.create(organization=bank, per_minute=0, per_day=0)
    return admin


def test_a_bank_admin_launches_a_campaign_and_watches_it_complete(
    browser, live_server, bank, worker, smtp_sink, screenshot
):
    admin = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    admin.goto(f"{live_server.url}/accounts/log-in/")
    admin.get_by_label("Username").fill("it-admin")
    admin.get_by_label("Password").fill(PASSWORD)
    admin.get_by_role("button", name="Log in").click()
    admin.goto(f"{live_server.url}/orgs/harbour/campaigns/")
    admin.get_by_role("link", name="New campaign").click()
    admin.get_by_label("Name").fill("Q1 scam awareness")
    admin.get_by_label("Parcel fees").check()
    admin.get_by_label("Retail").check()
    admin.get_by_label("Treasury").check()
    admin.get_by_label("Start").fill(timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
    admin.get_by_role("button", name="Save the draft").click()
    admin.get_by_role("button", name="Launch").click()
    expect(admin.get_by_text("Launched: invitations are on their way.")).to_be_visible()

    wait_until(  # the test plays celery beat: each pass is one tick
        lambda: services.dispatch_due_work(now=timezone.now()) or len(smtp_sink) >= 4,
        timeout=60,
        worker=worker,
    )
    admin.reload()
    expect(admin.locator(".figures")).to_contain_text("4")
    screenshot(admin, "dashboard-launched")

    invitation = smtp_sink[0]
    link = re.search(
        r"(http://\S+/my-training/parcel-fees/)", invitation.get_body(("plain",)).get_content()
    ).group(1)
    staff_user = invitation["To"].split("@")[0]
    member = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    member.goto(f"{live_server.url}/accounts/log-in/")
    member.get_by_label("Username").fill(staff_user)
    member.get_by_label("Password").fill(PASSWORD)
    member.get_by_role("button", name="Log in").click()
    member.goto(link)
    expect(member.get_by_role("heading", name="Parcel fees")).to_be_visible()
    play_parcel_module(member, live_server, screenshot)

    admin.reload()
    expect(admin.get_by_text("1 / 2 (50%)")).to_be_visible()
    screenshot(admin, "dashboard-after-completion")
