"""Someone who finds their own face in an example asks for its removal on the public form: it
disappears at once from the museum, the module and its media address; staff follow the
e-mailed link, review the request in the queue and remove the example for good."""

import re
import time

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from awareness.safety.forms import FASTEST_HUMAN_SECONDS
from tests.e2e.conftest import new_context
from tests.people.factories import PASSWORD, UserFactory
from tests.safety.conftest import write_consent_pack


@pytest.fixture
def familiar_faces(transactional_db, tmp_path, settings, live_server):
    """The test pack plus Lee's portrait (shown with her consent) and a module using it; a
    member of staff, who gets links to this server by e-mail."""
    settings.MEDIA_ROOT = tmp_path / "media-root"
    settings.SITE_URL = live_server.url
    call_command("load_content", str(write_consent_pack(tmp_path / "pack")))
    return UserFactory(username="reviewer", email="reviewer@platform.example", is_staff=True)


def test_a_removal_request_hides_an_example_at_once_and_staff_remove_it(
    browser, phone, live_server, familiar_faces, smtp_sink, screenshot
):
    site = live_server.url
    phone.goto(f"{site}/museum/")
    phone.get_by_role("link", name="A video call from a familiar face").click()
    portrait = phone.get_by_role("img", name="A woman in a bank uniform on a video call.")
    expect(portrait).to_be_visible()
    media_url = site + portrait.get_attribute("src")
    assert phone.request.get(media_url).ok
    screenshot(phone, "museum-example")
    example_url = phone.url

    module = new_context(browser, viewport={"width": 390, "height": 844}).new_page()
    module.goto(f"{site}/learn/familiar-faces/")
    module.get_by_role("button", name="Start").click()
    module.get_by_role("button", name="Continue").click()
    expect(module.get_by_role("img", name="A woman in a bank uniform")).to_be_visible()
    screenshot(module, "in-the-module")

    phone.get_by_role("link", name="Request removal").first.click()
    shown = time.monotonic()
    expect(phone.get_by_label("Which example?")).to_have_value("portrait-call")
    phone.get_by_label("It shows my face or likeness").check()
    phone.get_by_label("Your e-mail address").fill("lee@example.net")
    phone.get_by_label("Anything we should know").fill("This is my face; I did not agree.")
    screenshot(phone, "removal-form")
    # The form refuses what is sent faster than a person types: wait out the rest of it.
    time.sleep(max(0.0, FASTEST_HUMAN_SECONDS + 0.2 - (time.monotonic() - shown)))
    phone.get_by_role("button", name="Send the request").click()
    expect(phone.get_by_text("is now hidden from every page")).to_be_visible()
    screenshot(phone, "request-received")

    # Gone at once, everywhere, for everyone.
    phone.goto(f"{site}/museum/")
    expect(phone.get_by_role("link", name="Parcel fee text")).to_be_visible()
    expect(phone.get_by_role("link", name="A video call from a familiar face")).to_have_count(0)
    assert phone.goto(example_url).status == 404
    assert phone.request.get(media_url).status == 404
    module.reload()
    expect(module.get_by_role("heading", name="Module withdrawn")).to_be_visible()
    expect(module.get_by_role("img", name="A woman in a bank uniform")).to_have_count(0)
    screenshot(module, "module-withdrawn")
    module.goto(f"{site}/learn/")
    expect(module.get_by_role("link", name="Parcel fees")).to_be_visible()
    expect(module.get_by_role("link", name="Familiar faces")).to_have_count(0)

    to_lee = next(m for m in smtp_sink if m["To"] == "lee@example.net")
    assert to_lee["Subject"] == "The example you reported is hidden pending review"
    to_staff = next(m for m in smtp_sink if m["To"] == "reviewer@platform.example")
    review_link = re.search(
        r"http://\S+/staff/removals/\d+/", to_staff.get_body(("plain",)).get_content()
    ).group(0)

    staff = new_context(browser, viewport={"width": 1280, "height": 900}).new_page()
    staff.goto(review_link)
    staff.get_by_label("Username").fill("reviewer")
    staff.get_by_label("Password").fill(PASSWORD)
    staff.get_by_role("button", name="Log in").click()
    expect(staff.get_by_text("Hidden pending review")).to_be_visible()
    staff.get_by_role("link", name="Removal requests").first.click()
    queue_row = staff.get_by_role("row").filter(has_text="A video call from a familiar face")
    expect(queue_row).to_contain_text("It shows my face or likeness")
    screenshot(staff, "staff-queue")
    queue_row.get_by_role("link").click()
    staff.get_by_label("Reason (sent to the requester)").fill("Her consent covers no such use.")
    staff.get_by_role("button", name="Remove for good").click()
    expect(staff.get_by_text("Decision saved; the requester is told by e-mail.")).to_be_visible()
    expect(staff.get_by_text("Removed: Her consent covers no such use.")).to_be_visible()
    screenshot(staff, "staff-decision")

    phone.goto(f"{site}/museum/")
    expect(phone.get_by_role("link", name="A video call from a familiar face")).to_have_count(0)
    assert phone.request.get(media_url).status == 404
    subjects = [m["Subject"] for m in smtp_sink if m["To"] == "lee@example.net"]
    assert subjects[-1] == "The example you reported has been removed"
    for page in (module, staff):
        page.context.close()
