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
