"""Session fixation (a new session key whenever a browser gains an identity) and open
redirects (every `next` stays on this site)."""

from urllib.parse import urlsplit

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.urls import reverse
from django.utils import timezone

from tests.people.factories import PASSWORD, UserFactory
from training.people.models import Group

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def quick_hashing(settings):
    """New accounts hash with a fast hasher here: these tests are about redirects."""
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.Argon2PasswordHasher",
    ]


def planted_session(client) -> str:
    """A session key the browser holds before it gains an identity, as an attacker could
    have planted it."""
    client.post(reverse("set_age_band"), {"age_band": "18+"})
    key = client.session.session_key
    assert key and SessionStore().exists(key)
    return key


def assert_replaced(client, old_key: str) -> None:
    assert client.session.session_key != old_key
    assert not SessionStore().exists(old_key)


def test_logging_in_replaces_the_session_key(client):
    user = UserFactory()
    old_key = planted_session(client)

    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})

    assert response.status_code == 302
    assert_replaced(client, old_key)


def test_signing_up_replaces_the_session_key(client):
    old_key = planted_session(client)

    response = client.post(
        reverse("sign_up"),
        {
            "username": "mei",
            "email": "mei@example.org",
            "age_band": "18+",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )

    assert response.status_code == 302
    assert_replaced(client, old_key)


def test_joining_a_class_as_a_new_student_replaces_the_session_key(client, educator):
    group = Group.objects.get(name="4B")
    old_key = planted_session(client)

    response = client.post(
        reverse("join_group", args=[group.join_code]), {"action": "new", "age_band": "under-13"}
    )

    assert response.status_code == 200
    assert_replaced(client, old_key)


def test_joining_a_live_quiz_replaces_the_session_key(client, loaded_pack):
    from awareness.content.models import Module
    from training.live.services import start_live_session

    module = Module.objects.get(slug="parcel-fees", language="en", is_current=True)
    session = start_live_session(UserFactory(), module, seconds=30, now=timezone.now())
    old_key = planted_session(client)

    response = client.post(reverse("live_join", args=[session.pin]), {"nickname": "Blue Fox"})

    assert response.status_code == 302
    assert_replaced(client, old_key)
    assert client.get(response.url).status_code == 200  # the player is still recognised


# Off-site in every spelling a browser would follow.
HOSTILE_NEXT = [
    "https://evil.example/",
    "http://evil.example",
    "//evil.example/",
    "///evil.example/",
    "\\\\evil.example",
    "/\\evil.example",
    "\\/evil.example",
    "https:evil.example",
    " //evil.example",
    "javascript:alert(document.cookie)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "http://testserver@evil.example/",
]


def assert_stays_on_site(response) -> None:
    assert response.status_code == 302, response.status_code
    target = urlsplit(response.url)
    assert target.scheme == "" and target.netloc == "", response.url
    assert response.url.startswith("/") and not response.url.startswith(("//", "/\\"))


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_no_next_parameter_leads_off_site(client, target):
    user = UserFactory()

    logged_in = client.post(
        f"{reverse('login')}?next={target}",
        {"username": user.username, "password": PASSWORD, "next": target},
    )
    assert_stays_on_site(logged_in)
    language = client.post(reverse("set_language"), {"language": "en", "next": target})
    assert_stays_on_site(language)
    referred = client.post(reverse("set_language"), {"language": "en"}, headers={"referer": target})
    assert_stays_on_site(referred)
    logged_out = client.post(f"{reverse('logout')}?next={target}", {"next": target})
    assert_stays_on_site(logged_out)
    signed_up = client.post(
        reverse("sign_up"),
        {
            "username": "mei",
            "email": "mei@example.org",
            "age_band": "18+",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "next": target,
        },
    )
    assert_stays_on_site(signed_up)
    assert "evil.example" not in client.get(f"{reverse('login')}?next={target}").content.decode()


def test_a_next_on_this_site_is_followed(client):
    user = UserFactory()

    response = client.post(
        reverse("login"), {"username": user.username, "password": PASSWORD, "next": "/learn/"}
    )

    assert response.url == "/learn/"
