"""An educator sets up a class in a real browser and watches the grid fill as students play."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.test_play_module import play_parcel_module


@pytest.fixture
def three_modules(transactional_db, tmp_path, settings):
    from django.core.management import call_command

    from tests.content.builders import write_pack

    settings.MEDIA_ROOT = tmp_path / "media-root"
    call_command("load_content", str(write_pack(tmp_path / "pack", extra_modules=2)))


def test_an_educator_runs_a_class_from_sign_up_to_the_grid(
    browser, live_server, three_modules, screenshot
):
    from tests.e2e.conftest import PHONE

    teacher = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    teacher.goto(f"{live_server.url}/accounts/sign-up/")
    teacher.get_by_label("Username").fill("ms-chan")
    teacher.get_by_label("E-mail address").fill("chan@kowloon.example")
    teacher.locator("#id_password1").fill("a long enough passphrase 7")
    teacher.locator("#id_password2").fill("a long enough passphrase 7")
    teacher.get_by_label("Your age").select_option("18+")
    teacher.get_by_role("button", name="Create account").click()

    teacher.goto(f"{live_server.url}/orgs/new/")
    teacher.get_by_label("Name of your school or organisation").fill("Kowloon Primary")
    teacher.get_by_label("Kind").select_option("school")
    teacher.get_by_role("button", name="Create").click()
    teacher.get_by_role("link", name="Create a class").click()
    teacher.get_by_label("Name").fill("4B")
    teacher.get_by_role("button", name="Create").click()
    expect(teacher.get_by_role("heading", name="4B")).to_be_visible()

    teacher.get_by_role("link", name="Print the code with a QR code").click()
    expect(teacher.locator(".qr svg")).to_be_visible()
    join_code = teacher.locator(".join-code").inner_text().strip()
    screenshot(teacher, "join-code")
    teacher.go_back()

    teacher.get_by_label("How many students?").fill("4")
    teacher.get_by_label("Their age").select_option("under-13")
    teacher.get_by_role("button", name="Create accounts and print cards").click()
    expect(teacher.locator(".login-card")).to_have_count(4)
    screenshot(teacher, "login-cards")
    assert re.match(
        r"[a-z]+-[a-z]+-\d\d", teacher.locator(".login-card dd.credential").first.inner_text()
    )
    teacher.get_by_role("link", name="Back to the class").click()

    teacher.get_by_role("link", name="Assign modules").first.click()
    expect(teacher.get_by_label("For adults only")).to_have_count(0)  # too old for 4B
    for title in ("Parcel fees", "Extra module 0", "Extra module 1"):
        teacher.get_by_label(title).check()
    teacher.get_by_label("Start").fill("2026-01-01T08:00")
    teacher.get_by_label("Due").fill("2099-01-01T08:00")
    teacher.get_by_role("button", name="Assign").click()
    expect(teacher.locator("td.cell-not_started")).to_have_count(4 * 3)

    # One more student joins on her own phone with the class code, and gets the assignments.
    student = browser.new_context(viewport=PHONE).new_page()
    student.goto(f"{live_server.url}/join/")
    student.get_by_label("Class code").fill(join_code.lower())
    student.get_by_role("button", name="Continue").click()
    expect(student.get_by_role("heading", name="Join 4B at Kowloon Primary")).to_be_visible()
    student.get_by_label("How old are you?").select_option("under-13")
    student.get_by_role("button", name="Make my class account").click()
    expect(student.locator(".login-card")).to_have_count(1)
    screenshot(student, "joined-with-the-code")
    student.get_by_role("link", name="I have written it down: continue").click()
    expect(student.get_by_role("heading", name="Your missions from your teacher")).to_be_visible()
    expect(student.get_by_role("link", name="Parcel fees", exact=True)).to_be_visible()
    screenshot(student, "my-assignments")
    play_parcel_module(student, live_server, screenshot)

    teacher.reload()
    expect(teacher.locator("td[class*='cell-']")).to_have_count(5 * 3)
    completed = teacher.locator("td.cell-completed")
    expect(completed).to_have_count(1)
    expect(completed).to_contain_text("100%")
    screenshot(teacher, "grid")
