"""CSRF: every URL that could take a POST refuses one without a valid token, htmx or not."""

import itertools
import uuid

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.converters import IntConverter, UUIDConverter
from django.urls.exceptions import NoReverseMatch

from tests.people.factories import UserFactory

pytestmark = pytest.mark.django_db

# Values by URL keyword where the name says what fits; otherwise by the converter's type.
NAMED = {"pin": ["123456"], "app_label": ["people", "content", "auth"], "slot": ["image"]}
GUESSES = ["1", "x", str(uuid.uuid4())]
# Machine endpoints, not browser forms: a secret in the address authenticates the caller, and
# the mail system posting there cannot hold a CSRF token.
MACHINE_ENDPOINTS = {"lure_report_inbox"}


def every_named_route() -> list[tuple[str, list[str], dict]]:
    """(name, keyword names, converters) of every named URL in the URLconf."""
    found = []

    def walk(patterns, namespace, keywords, converters):
        for pattern in patterns:
            own = getattr(pattern.pattern, "converters", {})
            inner_keywords = keywords + list(pattern.pattern.regex.groupindex)
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, inner, inner_keywords, {**converters, **own})
            elif isinstance(pattern, URLPattern) and pattern.name:
                found.append((namespace + pattern.name, inner_keywords, {**converters, **own}))

    walk(get_resolver().url_patterns, "", [], {})
    return found


def address_of(name: str, keywords: list[str], converters: dict) -> str | None:
    def candidates(keyword):
        converter = converters.get(keyword)
        if isinstance(converter, IntConverter):
            return ["1"]
        if isinstance(converter, UUIDConverter):
            return [str(uuid.uuid4())]
        return NAMED.get(keyword, GUESSES)

    for values in itertools.product(*(candidates(keyword) for keyword in keywords)):
        try:
            return reverse(name, kwargs=dict(zip(keywords, values, strict=True)))
        except NoReverseMatch:
            continue
    return None


@pytest.fixture
def attacker_page_client():
    """A signed-in staff browser that already holds a CSRF cookie, as a victim would: only
    the token, which another site cannot read, is missing."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    client.get(reverse("home"))
    assert "csrftoken" in client.cookies
    return client


def test_every_post_without_a_token_is_refused_htmx_or_not(attacker_page_client):
    routes = every_named_route()
    addresses = {name: address_of(name, *rest) for name, *rest in routes}
    unreachable = [name for name, address in addresses.items() if address is None]
    assert unreachable == []
    assert len(addresses) > 60

    for name, address in addresses.items():
        if name.split(":")[-1] in MACHINE_ENDPOINTS:
            continue
        assert resolve(address).url_name == name.split(":")[-1]
        for headers in ({}, {"hx-request": "true", "x-csrftoken": "forged"}):
            response = attacker_page_client.post(address, {"anything": "1"}, headers=headers)
            assert response.status_code == 403, (address, headers, response.status_code)
            if not address.startswith("/api/"):  # the API answers in its own formats
                assert "This form has expired" in response.content.decode(), address


def test_the_same_post_with_the_token_goes_through(attacker_page_client):
    token = attacker_page_client.cookies["csrftoken"].value

    plain = attacker_page_client.post(
        reverse("set_language"), {"language": "zh-hant", "next": "/learn/"}, headers={}
    )
    with_token = attacker_page_client.post(
        reverse("set_language"),
        {"language": "zh-hant", "next": "/learn/"},
        headers={"hx-request": "true", "x-csrftoken": token},
    )

    assert plain.status_code == 403
    assert with_token.status_code == 302 and with_token.url == "/learn/"
