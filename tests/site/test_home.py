import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_home_page_says_what_the_platform_is_for(client):
    response = client.get(reverse("home"))

    page = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="en">' in page
    assert "Cloned voices" in page
    assert 'href="#content"' in page  # skip link
    assert 'id="content"' in page


def test_home_page_speaks_traditional_chinese_when_the_browser_asks(client):
    response = client.get(reverse("home"), headers={"accept-language": "zh-TW,zh;q=0.9"})

    page = response.content.decode()
    assert '<html lang="zh-hant">' in page
    assert "電話裡的真的是你兒子嗎？" in page
    assert "Cloned voices" not in page


def test_the_language_switcher_remembers_the_choice(client):
    response = client.post(reverse("set_language"), {"language": "zh-hant", "next": "/"})

    assert response.status_code == 302
    assert "識破騙局" in client.get(reverse("home")).content.decode()


def test_an_unknown_language_is_ignored(client):
    client.post(reverse("set_language"), {"language": "xx", "next": "/"})

    assert "Spot the scam" in client.get(reverse("home")).content.decode()


def test_pages_send_security_headers(client):
    response = client.get(reverse("home"))

    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_a_missing_page_is_a_friendly_404(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_the_navigation_offers_only_pages_that_exist(client):
    from django.test import Client

    page = client.get(reverse("home")).content.decode()
    links = {href for href in _hrefs(page) if href.startswith("/") and not href.startswith("//")}

    assert links
    for href in links:
        assert Client().get(href).status_code == 200, href


def _hrefs(page: str) -> list[str]:
    import re

    return re.findall(r'href="([^"#]+)"', page)
