"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

The test setup never downloads a browser: .ci/run installs Debian's chromium, and without it
these tests skip on a newcomer's machine (and fail in CI, with REQUIRE_SERVICES=1).
"""

import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import ROOT, service_missing

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"
PHONE = {"width": 390, "height": 844}
AXE_SUMMARY = pytest.StashKey[str]()


def pytest_terminal_summary(terminalreporter, config):
    """The accessibility walk's table, page by page, in the test output (passed or not)."""
    if summary := config.stash.get(AXE_SUMMARY, ""):
        terminalreporter.write_sep("-", "axe-core violations by impact, per page and language")
        terminalreporter.write(summary)


# What the browser reported as blocked by the Content Security Policy during the current test.
CSP_VIOLATIONS: list[str] = []


class WatchedBrowser:
    """The browser, with every new context reporting CSP violations from its console."""

    def __init__(self, browser):
        self._browser = browser

    def new_context(self, **options):
        context = self._browser.new_context(**options)
        context.on("console", note_csp_violation)
        return context

    def __getattr__(self, name):
        return getattr(self._browser, name)


def note_csp_violation(message) -> None:
    if "Content Security Policy" in message.text:
        CSP_VIOLATIONS.append(f"{message.location.get('url')}: {message.text}")


@pytest.fixture(autouse=True)
def no_csp_violations():
    """Every browser test also proves the strict CSP blocks nothing our own pages need."""
    CSP_VIOLATIONS.clear()
    yield
    assert CSP_VIOLATIONS == []


@pytest.fixture(scope="module")
def browser():
    """One browser per test module, closed afterwards: Playwright's sync API runs an event
    loop in this thread, which must not outlive the browser tests."""
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        service_missing(f"Chromium is not installed at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    # Django refuses database calls from a thread with a running event loop; here the loop
    # is Playwright's, and the test's queries are ordinary synchronous ones.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield WatchedBrowser(browser)
        browser.close()
    del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


def new_context(browser, **options):
    """A browser context that enforces the site's Content-Security-Policy, as real browsers
    do: axe-core runs through Playwright's evaluate, which the policy does not govern."""
    return browser.new_context(**options)


@pytest.fixture
def phone(browser):
    """A new phone-sized page with JavaScript on."""
    context = new_context(browser, viewport=PHONE, is_mobile=True, has_touch=True)
    yield context.new_page()
    context.close()


@pytest.fixture
def phone_without_js(browser):
    context = new_context(browser, viewport=PHONE, java_script_enabled=False)
    yield context.new_page()
    context.close()


@pytest.fixture
def screenshot(request):
    """Save a screenshot of a key screen as a test artifact."""

    def take(page, name: str) -> None:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=ARTIFACTS / f"{request.node.name}-{name}.png", full_page=True)

    return take


@pytest.fixture
def loaded_pack(transactional_db, tmp_path, settings):
    from django.core.management import call_command

    from tests.content.builders import write_pack

    settings.MEDIA_ROOT = tmp_path / "media-root"
    call_command("load_content", str(write_pack(tmp_path / "pack")))
    return tmp_path / "pack"


@pytest.fixture
def worker(start_mail_worker, live_server):
    """A real worker whose mail links point at the live server."""
    return start_mail_worker(site_url=live_server.url)
