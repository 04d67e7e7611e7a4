"""A citizen on a phone plays a module to the end, with JavaScript and without."""

import re

import pytest
from playwright.sync_api import expect


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def play_parcel_module(page, live_server, screenshot):
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

    # Spot the red flags: tap the suspicious parts of the message itself.
    expect(page.get_by_text("Tap every part")).to_be_visible()
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
    expect(page.get_by_role("heading", name="Which is real?")).to_be_visible()
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


FOCUSED = """() => {
  const element = document.activeElement;
  const label = element.labels && element.labels[0];
  const ringed = [element, element.closest("label")].filter(Boolean).some((e) => {
    const style = getComputedStyle(e);
    return style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
  });
  return {
    text: (label || element).textContent.replace(/\\s+/g, " ").trim(),
    name: element.name || "",
    ringed: ringed || element.tabIndex < 0,
  };
}"""


class Keyboard:
    """Tab to things and press keys, as someone without a mouse or touch screen does; every
    control that takes the focus must show a visible ring."""

    def __init__(self, page):
        self.page = page

    def tab_to(self, found) -> dict:
        for _ in range(80):
            self.page.keyboard.press("Tab")
            focused = self.page.evaluate(FOCUSED)
            assert focused["ringed"], f"no visible focus on {focused['text']!r}"
            if found(focused):
                return focused
        pytest.fail("never reached by Tab")

    def activate(self, text: str, key: str = "Enter") -> None:
        self.tab_to(lambda focused: focused["text"] == text)
        self.page.keyboard.press(key)

    def follow(self, text: str, arrives) -> None:
        """Press a link or button that leads to the next step, and wait until that step is
        there (`arrives`, a locator): the next Tab must not run in the page being left."""
        self.activate(text)
        expect(arrives).to_be_visible()

    def tick(self, *texts: str) -> None:
        for text in texts:
            self.activate(text, "Space")

    def choose(self, group: str, text: str) -> None:
        """Tab into a group of radio buttons, then move to the option with the arrow keys."""
        focused = self.tab_to(lambda focused: focused["name"] == group)
        for _ in range(10):
            if focused["text"] == text:
                self.page.keyboard.press("Space")
                return
            self.page.keyboard.press("ArrowDown")
            focused = self.page.evaluate(FOCUSED)
        pytest.fail(f"no option {text!r} in {group}")


def test_a_module_is_completed_with_the_keyboard_alone(phone, live_server, loaded_pack, screenshot):
    keys = Keyboard(phone)
    text = phone.get_by_text

    def heading(name: str, **level):
        return phone.get_by_role("heading", name=name, **level)

    phone.goto(f"{live_server.url}/learn/")
    # The catalogue's card is a heading too: the module's own page has it as its title.
    keys.follow("Parcel fees", heading("Parcel fees", level=1))
    keys.follow("Start", heading("Fees by text"))
    keys.follow("Continue", text("Look closely"))
    keys.follow("Continue", heading("Scam or genuine?"))

    keys.choose("verdict", "It's a scam")
    keys.choose("confidence", "Fairly sure")
    keys.follow("Check my answer", heading("Correct"))
    keys.follow("Continue", text("Tap every part"))

    keys.tick("+44 7700 900123", "hkpost-redeliver.top")
    screenshot(phone, "spot-the-flags-by-keyboard")
    keys.follow("Check my answer", text("You spotted this").first)
    assert phone.get_by_text("You missed this").count() == 0
    keys.follow("Continue", heading("What do you do?"))

    keys.choose("choice", "Check in the official app.")
    keys.choose("confidence", "Certain")
    keys.follow("Check my answer", heading("Correct"))
    keys.follow("Continue", heading("Which are warning signs?"))

    keys.tick("A deadline.", "A lookalike link.")
    keys.choose("confidence", "Certain")
    keys.follow("Check my answer", heading("Correct"))
    keys.follow("Continue", heading("Which is real?"))

    keys.choose("real", "B is real")
    keys.choose("confidence", "Just guessing")
    keys.follow("Check my answer", text("B is the real one"))
    keys.follow("See my results", text("You scored 100%."))
    screenshot(phone, "results-by-keyboard")
