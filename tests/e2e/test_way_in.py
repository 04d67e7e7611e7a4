"""The way in, as people take it in a real browser: a bank admin signs up and follows the
setup checklist; a staff member imported from a roster gets a set-up link by mail, sets up the
account, finds the campaign's module in "my training" and completes it; later she signs in with
an e-mailed link only; a child who joins a class sees a child's home page. Every link comes
from the mail the real SMTP sink received; a real Celery worker imports and sends. The live
server listens on a random port, not 8000: the links follow it (SITE_URL)."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.conftest import wait_until
from tests.e2e.conftest import PHONE
from tests.e2e.test_play_module import play_parcel_module
from training.campaigns import services

WIDE = {"width": 1280, "height": 900}
ROSTER = (
    "email,first_name,last_name,department,role\r\n"
    "alice.wong@harbour.example,Alice,Wong,Retail,learner\r\n"
    "ben.lau@harbour.example,Ben,Lau,Retail,\r\n"
)


def mail_to(smtp_sink, address: str, subject_part: str, *, worker, after: int = 0):
    """The newest message to `address` whose subject says `subject_part`, waiting for it."""

    def found():
        for message in reversed(smtp_sink[after:]):
            if address in message["To"] and subject_part in message["Subject"]:
                return message
        return None

    return wait_until(found, timeout=60, worker=worker)


def link_in(message, path: str) -> str:
    return re.search(rf"(http://\S+{path}\S*)", message.get_body(("plain",)).get_content()).group(1)


def sign_up(page, live_server, username: str, email: str) -> None:
    page.goto(f"{live_server.url}/accounts/sign-up/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("E-mail address").fill(email)
    page.locator("#id_password1").fill("a long enough passphrase 7")
    page.locator("#id_password2").fill("a long enough passphrase 7")
    page.get_by_label("Your age").select_option("18+")
    page.get_by_role("button", name="Create account").click()


def test_a_bank_admin_sets_up_and_a_staff_member_finds_her_way_in(
    browser, live_server, loaded_pack, worker, smtp_sink, screenshot
):
    assert not live_server.url.endswith(":8000")
    admin = browser.new_context(viewport=WIDE).new_page()
    sign_up(admin, live_server, "it-admin", "it@harbour.example")
    expect(admin.get_by_role("heading", name="Next step")).to_be_visible()
    screenshot(admin, "1-after-sign-up")
    admin.get_by_role("link", name="Set up an organisation").click()
    admin.get_by_label("Name of your school or organisation").fill("Harbour City Bank")
    admin.get_by_label("Kind").select_option("bank")
    expect(admin.get_by_text("younger than")).to_have_count(0)  # no questions about children
    admin.get_by_role("button", name="Create").click()
    checklist = admin.locator(".checklist")
    expect(checklist.locator(".step-todo")).to_have_count(4)
    expect(admin.locator(".org-nav")).not_to_contain_text("API tokens")  # under Settings
    screenshot(admin, "2-checklist")

    # Import staff into a department that does not exist yet.
    checklist.get_by_role("link", name="Import your staff").click()
    admin.get_by_label("Roster file").set_input_files(
        {"name": "staff.csv", "mimeType": "text/csv", "buffer": ROSTER.encode()}
    )
    admin.get_by_role("button", name="Check the file").click()
    expect(admin.locator(".new-groups")).to_contain_text("Retail")
    screenshot(admin, "3-roster-check-offers-the-department")
    admin.get_by_label("Create them, and put these people in them").check()
    admin.get_by_role("button", name="Import 2 people").click()
    expect(admin.get_by_text("Imported", exact=False).first).to_be_visible(timeout=60_000)
    set_up = mail_to(smtp_sink, "alice.wong@harbour.example", "set up your account", worker=worker)
    assert set_up.get_body(("plain",)).get_content().startswith("Hello Alice,")

    admin.goto(f"{live_server.url}/orgs/harbour-city-bank/")
    expect(checklist.locator(".step-done")).to_have_count(2)  # departments, staff
    admin.get_by_role("link", name="Members", exact=True).click()
    expect(admin.locator("table.data")).to_contain_text("Not activated yet")
    admin.get_by_label("Search").fill("alice")
    admin.get_by_role("button", name="Show").click()
    expect(admin.locator("table.data tbody tr")).to_have_count(1)
    expect(admin.locator("table.data")).to_contain_text("Retail")
    screenshot(admin, "4-members-not-activated")

    # Verify the mail domain through its administrator's mailbox.
    admin.goto(f"{live_server.url}/orgs/harbour-city-bank/")
    checklist.get_by_role("link", name="Verify your mail domain").click()
    admin.get_by_role("textbox", name="Domain").fill("harbour.example")
    admin.get_by_label("Send a link to the domain's administrator mailbox").check()
    admin.get_by_role("button", name="Add domain").click()
    admin.get_by_label("postmaster@harbour.example").check()
    admin.get_by_role("button", name="Send the link").click()
    confirm = mail_to(smtp_sink, "postmaster@harbour.example", "", worker=worker)
    admin.goto(link_in(confirm, "/domain-verification/"))
    admin.get_by_role("button", name="Confirm harbour.example").click()
    expect(admin.get_by_role("heading", name="harbour.example is verified")).to_be_visible()

    # The first campaign.
    admin.goto(f"{live_server.url}/orgs/harbour-city-bank/")
    checklist.get_by_role("link", name="Launch your first campaign").click()
    admin.get_by_role("link", name="New campaign").click()
    admin.get_by_label("Name").fill("Q1 scam awareness")
    admin.get_by_label("Parcel fees").check()
    admin.get_by_label("Retail").check()
    admin.get_by_label("Start").fill(timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
    admin.get_by_role("button", name="Save the draft").click()
    admin.get_by_role("button", name="Launch").click()
    expect(admin.get_by_text("Launched: invitations are on their way.")).to_be_visible()
    before = len(smtp_sink)
    wait_until(  # the test plays celery beat: each pass is one tick
        lambda: (
            services.dispatch_due_work(now=timezone.now())
            or any("alice.wong" in m["To"] for m in smtp_sink[before:])
        ),
        timeout=60,
        worker=worker,
    )
    campaign_page = admin.url
    admin.goto(f"{live_server.url}/orgs/harbour-city-bank/")
    expect(admin.locator(".checklist")).to_have_count(0)  # every step done
    screenshot(admin, "5-overview-set-up")

    # Alice sets up her account from the set-up mail, then finds the module in "my training".
    alice = browser.new_context(viewport=PHONE).new_page()
    alice.goto(link_in(set_up, "/accounts/set-up/"))
    expect(alice.get_by_role("heading", name="Set up your account")).to_be_visible()
    screenshot(alice, "6-set-up")
    alice.get_by_label("Password", exact=True).fill("alice's own passphrase 42")
    alice.get_by_label("The same password again").fill("alice's own passphrase 42")
    alice.get_by_role("button", name="Save my password").click()
    expect(alice.get_by_role("heading", name="My training")).to_be_visible()
    expect(alice.locator(".assignments-list")).to_contain_text("Parcel fees")
    expect(alice.locator(".assignments-list")).to_contain_text("Q1 scam awareness")
    expect(alice.locator(".assignments-list")).to_contain_text("Not started")
    screenshot(alice, "7-my-training")
    play_parcel_module(alice, live_server, screenshot)
    expect(alice.locator(".counted-for")).to_contain_text("Q1 scam awareness")
    alice.goto(f"{live_server.url}/my-training/")
    expect(alice.locator(".assignments-list")).to_contain_text("Completed")

    admin.goto(campaign_page)
    expect(admin.get_by_text("1 / 2 (50%)")).to_be_visible()
    screenshot(admin, "8-dashboard-counts-it")

    # Later, on another device: the campaign mail's link asks her to sign in, and an
    # e-mailed sign-in link alone takes her on to the module.
    invitation = mail_to(smtp_sink, "alice.wong@harbour.example", "Q1", worker=worker)
    module_link = link_in(invitation, "/my-training/parcel-fees/")
    phone = browser.new_context(viewport=PHONE).new_page()
    phone.goto(module_link)
    expect(phone.get_by_text("Sign in to continue to your training.")).to_be_visible()
    phone.get_by_role("link", name="E-mail me a sign-in link").click()
    phone.get_by_label("E-mail address").fill("alice.wong@harbour.example")
    before = len(smtp_sink)
    phone.get_by_role("button", name="Send the link").click()
    expect(phone.get_by_role("heading", name="Check your e-mail")).to_be_visible()
    sign_in = mail_to(
        smtp_sink, "alice.wong@harbour.example", "sign-in link", worker=worker, after=before
    )
    phone.goto(link_in(sign_in, "/accounts/sign-in-link/"))
    phone.get_by_role("button", name="Sign me in").click()
    expect(phone.get_by_role("heading", name="Parcel fees")).to_be_visible()
    phone.goto(f"{live_server.url}/my-training/")
    expect(phone.locator(".assignments-list")).to_contain_text("Completed")

    # The same link a second time does nothing.
    again = browser.new_context(viewport=PHONE).new_page()
    again.goto(link_in(sign_in, "/accounts/sign-in-link/"))
    expect(again.get_by_text("already been used")).to_be_visible()


@pytest.fixture
def school_pack(loaded_pack):
    return loaded_pack


def test_a_child_who_joins_a_class_gets_a_child_home_page(
    browser, live_server, school_pack, screenshot
):
    teacher = browser.new_context(viewport=WIDE).new_page()
    sign_up(teacher, live_server, "ms-chan", "chan@kowloon.example")
    teacher.get_by_role("link", name="Set up an organisation").click()
    teacher.get_by_label("Name of your school or organisation").fill("Kowloon Primary")
    teacher.get_by_label("Kind").select_option("school")
    teacher.get_by_role("button", name="Create").click()
    expect(teacher.locator(".checklist .step-todo")).to_have_count(3)
    expect(teacher.locator(".org-nav")).not_to_contain_text("Scam simulations")
    screenshot(teacher, "school-checklist")
    teacher.locator(".checklist").get_by_role("link", name="Create your first class").click()
    teacher.get_by_label("Name").fill("4B")
    teacher.get_by_role("button", name="Create").click()
    expect(teacher.get_by_role("heading", name="4B")).to_be_visible()
    teacher.get_by_role("link", name="Print the code with a QR code").click()
    join_code = teacher.locator(".join-code").inner_text().strip()
    teacher.go_back()
    teacher.get_by_role("link", name="Assign modules").first.click()
    teacher.get_by_label("Parcel fees").check()
    teacher.get_by_label("Start").fill("2026-01-01T08:00")
    teacher.get_by_label("Due").fill("2099-01-01T08:00")
    teacher.get_by_role("button", name="Assign").click()

    child = browser.new_context(viewport=PHONE).new_page()
    child.goto(f"{live_server.url}/join/")
    child.get_by_label("Class code").fill(join_code)
    child.get_by_role("button", name="Continue").click()
    child.get_by_label("How old are you?").select_option("under-13")
    child.get_by_role("button", name="Make my class account").click()
    child.get_by_role("link", name="I have written it down: continue").click()
    expect(child.get_by_role("heading", name="Your missions from your teacher")).to_be_visible()
    expect(child.get_by_role("link", name="Parcel fees", exact=True)).to_be_visible()
    expect(child.get_by_text("before any money leaves your account")).to_have_count(0)
    screenshot(child, "child-home")

    teacher.goto(f"{live_server.url}/orgs/kowloon-primary/")
    expect(teacher.locator(".checklist")).to_have_count(0)  # class, a student, an assignment
