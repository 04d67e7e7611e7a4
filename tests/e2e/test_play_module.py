"""A citizen on a phone plays a module to the end, with JavaScript and without."""

import re

from playwright.sync_api import expect


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def play_parcel_module(page, live_server, screenshot, *, keyboard: bool = False):
    page.goto(f"{live_server.url}/learn/")
    screenshot(page, "catalogue")
    assert no_horizontal_scroll(page)
    page.get_by_role("link", name="Parcel fees").click()
    page.get_by_role("button", name="Start").click()

    expect(page.get_by_role("heading", name="Fees by text")).to_be_visible()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("Look closely")).to_be_visible()
    page.get_by_role("button", name="Continue").click()

    # Scam or legit, with a confidence rating.
    page.get_by_label("It's a scam").check()
    page.get_by_label("Fairly sure").check()
    page.get_by_role("button", name="Check my answer").click()
    expect(page.get_by_role("heading", name="Correct")).to_be_visible()
    screenshot(page, "feedback")
    page.get_by_role("button", name="Continue").click()

    # Spot the red flags: tap the suspicious text, or reach it with Tab and Space.
    expect(page.get_by_text("Tap every part")).to_be_visible()
    if keyboard:
        for text in ("+44 7700 900123", "hkpost-redeliver.top"):
            checkbox = page.get_by_role("checkbox", name=text)
            checkbox.focus()
            page.keyboard.press("Space")
    else:
        page.get_by_text("+44 7700 900123").click()
        page.get_by_text("hkpost-redeliver.top").click()
    screenshot(page, "spot-the-flags")
    page.get_by_role("button", name="Check my answer").click()
    expect(page.get_by_text("You spotted this").first).to_be_visible()
    assert page.get_by_text("You missed this").count() == 0
    page.get_by_role("button", name="Continue").click()

    page.get_by_label("Check in the official app.").check()
    page.get_by_label("Certain").check()
    page.get_by_role("button", name="Check my answer").click()
    page.get_by_role("button", name="Continue").click()

    page.get_by_label("A deadline.").check()
    page.get_by_label("A lookalike link.").check()
    page.get_by_label("Certain").check()
    page.get_by_role("button", name="Check my answer").click()
    page.get_by_role("button", name="Continue").click()

    # Which is real: two specimens side by side.
    screenshot(page, "which-is-real")
    page.get_by_label("B is real").check()
    page.get_by_label("Just guessing").check()
    page.get_by_role("button", name="Check my answer").click()
    expect(page.get_by_text("B is the real one")).to_be_visible()
    page.get_by_role("button", name="See my results").click()

    expect(page.get_by_text("You scored 100%.")).to_be_visible()
    screenshot(page, "results")
    assert no_horizontal_scroll(page)


def test_a_citizen_plays_a_module_on_a_phone_with_javascript(
    phone, live_server, loaded_pack, screenshot
):
    loads = []
    phone.on("load", lambda: loads.append(phone.url))

    play_parcel_module(phone, live_server, screenshot)

    # htmx swapped the steps in place: from "Start" to the results only two page loads.
    player_loads = [url for url in loads if re.search(r"/attempts/[^/]+/$", url)]
    assert len(player_loads) == 1


def test_a_citizen_plays_a_module_without_javascript(
    phone_without_js, live_server, loaded_pack, screenshot
):
    play_parcel_module(phone_without_js, live_server, screenshot)


def test_spot_the_flags_works_with_the_keyboard_alone(phone, live_server, loaded_pack, screenshot):
    play_parcel_module(phone, live_server, screenshot, keyboard=True)
