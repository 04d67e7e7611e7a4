"""The strict Content Security Policy in a real browser: the main pages and a played step
(htmx swaps, the red-flag close-up) run without a single violation."""

from playwright.sync_api import expect

from tests.e2e.conftest import CSP_VIOLATIONS


def test_main_pages_load_with_no_csp_violation(phone, live_server, loaded_pack):
    for path in (
        "/",
        "/learn/",
        "/museum/",
        "/accounts/log-in/",
        "/accounts/sign-up/",
        "/removal/",
        "/join/",
        "/live/",
        "/transparency/",
    ):
        response = phone.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        assert "script-src 'self'" in response.headers["content-security-policy"]

    phone.goto(f"{live_server.url}/learn/")
    phone.get_by_role("link", name="Parcel fees").click()
    phone.get_by_role("button", name="Start").click()
    expect(phone.get_by_role("heading", name="Fees by text")).to_be_visible()
    phone.get_by_role("button", name="Continue").click()
    expect(phone.get_by_text("Look closely")).to_be_visible()
    phone.get_by_role("button", name="Continue").click()
    phone.get_by_label("It's a scam").check()
    phone.get_by_label("Fairly sure").check()
    phone.get_by_role("button", name="Check my answer").click()
    expect(phone.get_by_role("heading", name="Correct")).to_be_visible()

    # An inline style is refused, and the refusal is reported: the check can see one.
    with phone.expect_console_message(lambda message: "style-src" in message.text):
        phone.evaluate(
            "document.body.insertAdjacentHTML('beforeend', '<p style=\"color:red\">x</p>')"
        )
    assert any("style-src" in violation for violation in CSP_VIOLATIONS)
    CSP_VIOLATIONS.clear()


def test_close_ups_and_progress_bars_drawn_without_inline_styles_keep_their_shape(
    phone, live_server, loaded_pack, screenshot
):
    """Geometry moved from style="" to SVG attributes for the CSP: the close-up of a red flag
    still shows its region at the picture's proportions, the progress bar its share."""
    phone.goto(f"{live_server.url}/learn/")
    phone.locator("details.age-gate summary").click()
    phone.locator("details.age-gate select").select_option("18+")
    phone.locator("details.age-gate").get_by_role("button", name="Save").click()
    phone.get_by_role("link", name="For adults only").click()
    phone.get_by_role("button", name="Start").click()
    phone.get_by_role("button", name="Continue").click()
    phone.get_by_label("It's a scam").check()
    phone.get_by_label("Certain").check()
    phone.get_by_role("button", name="Check my answer").click()

    close_up = phone.locator("svg.zoom").first
    expect(close_up).to_be_visible()
    screenshot(phone, "close-up")
    box = close_up.bounding_box()
    # The region is 20% × 20% of a 20 × 10 picture: 4 × 2 pixels, twice as wide as high.
    assert abs(box["width"] / box["height"] - 2) < 0.1
    bar = phone.locator(".progress-bar rect").bounding_box()
    track = phone.locator(".progress").bounding_box()
    assert 0 < bar["width"] < track["width"]
