"""Security headers on the main pages: a strict CSP, no framing, no referrer leaks, no
powerful browser features; and production cookies and HSTS."""

import json
import re
from pathlib import Path

import pytest
from django.test import Client

from tests.conftest import ROOT
from tests.test_settings import PRODUCTION, manage

pytestmark = pytest.mark.django_db


def policy(header: str) -> dict[str, list[str]]:
    directives = [part.split() for part in header.split(";") if part.strip()]
    return {name: values for name, *values in directives}


def test_every_main_page_sends_a_strict_content_security_policy(client, main_pages):
    for address, user in main_pages:
        browser = client
        if user:
            browser = Client()
            browser.force_login(user)
        response = browser.get(address)
        assert response.status_code == 200, address

        header = response["Content-Security-Policy"]
        csp = policy(header)
        assert csp["default-src"] == ["'self'"], address
        assert csp["script-src"] == ["'self'"], address
        assert csp["style-src"] == ["'self'"], address
        assert csp["object-src"] == ["'none'"] and csp["base-uri"] == ["'none'"], address
        assert csp["form-action"] == ["'self'"], address
        assert "unsafe-" not in header, address
        assert response["Referrer-Policy"] == "same-origin", address
        assert response["X-Content-Type-Options"] == "nosniff", address
        features = response["Permissions-Policy"]
        for feature in ("camera", "microphone", "geolocation", "payment"):
            assert f"{feature}=()" in features, address


def test_no_page_can_be_framed_by_another_site(main_pages, client):
    """Clickjacking: both the old header and the CSP directive refuse every frame, also on
    error pages and htmx fragments."""
    addresses = [address for address, user in main_pages if user is None]
    responses = [client.get(address) for address in addresses]
    responses.append(client.get("/no-such-page/"))
    responses.append(client.get(main_pages[2][0], headers={"hx-request": "true"}))

    for response in responses:
        assert response["X-Frame-Options"] == "DENY"
        assert policy(response["Content-Security-Policy"])["frame-ancestors"] == ["'none'"]


def test_hsts_is_sent_over_https_with_production_values(settings, main_pages):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True

    response = Client().get(main_pages[0][0], secure=True)

    assert response["Strict-Transport-Security"] == ("max-age=31536000; includeSubDomains; preload")


def test_production_cookies_are_https_only_and_plain_http_is_redirected():
    names = [
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "X_FRAME_OPTIONS",
    ]
    code = (
        "import json; from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {names!r}}}))"
    )
    result = manage("shell", "--no-imports", "-c", code, **PRODUCTION)

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == {
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "X_FRAME_OPTIONS": "DENY",
    }


# Inline code the CSP would block: <script> without src, <style>, style="", on…="" handlers.
INLINE = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=|\son[a-z]+=", re.IGNORECASE)
# In Python (template tags), a tag with such an attribute inside a string.
INLINE_IN_CODE = re.compile(r"<[a-z]+[^<>]*\s(?:style|on[a-z]+)=", re.IGNORECASE)


def page_templates() -> list[Path]:
    """Every template a browser renders as a page, and the template tags that build HTML;
    e-mails are exempt (no CSP in mail)."""
    found = []
    for folder in ("awareness", "training"):
        for path in (ROOT / folder).rglob("templates/**/*.html"):
            if "/email/" in path.as_posix() or path.stem.endswith("_email"):
                continue
            found.append(path)
        found += (ROOT / folder).rglob("templatetags/*.py")
    return found


def test_no_template_carries_inline_script_style_or_event_handlers():
    """New pages follow the rule too: behaviour in static/js, looks in static/css."""
    templates = page_templates()
    assert len(templates) > 40

    offenders = [
        f"{path.relative_to(ROOT)}: {match.group().strip()}"
        for path in templates
        for match in (INLINE_IN_CODE if path.suffix == ".py" else INLINE).finditer(path.read_text())
    ]
    assert offenders == []
