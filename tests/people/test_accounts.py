import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.people.factories import PASSWORD, UserFactory

User = get_user_model()
pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a brand new passphrase 42"


def sign_up(client, **overrides):
    data = {
        "username": "mei",
        "email": "mei@example.org",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "age_band": "18+",
        **overrides,
    }
    return client.post(reverse("sign_up"), data)


def test_sign_up_creates_an_account_hashed_with_argon2_and_signs_in(client):
    response = sign_up(client)

    assert response.status_code == 302
    user = User.objects.get(username="mei")
    assert user.password.startswith("argon2$")
    assert client.get(reverse("home")).context["user"] == user


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"email": "not-an-address"}, "Enter a valid email address."),
        ({"password2": "something else"}, "The two password fields"),
        ({"password1": "123", "password2": "123"}, "This password is too short"),
        ({"username": ""}, "This field is required."),
    ],
)
def test_bad_sign_up_explains_the_problem_and_creates_nothing(client, overrides, message):
    response = sign_up(client, **overrides)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.exists()


def test_sign_up_refuses_an_e_mail_address_already_in_use_whatever_its_case(client):
    UserFactory(email="mei@example.org")

    response = sign_up(client, email="MEI@example.org")

    assert "already exists. Log in or reset" in response.content.decode()
    assert User.objects.count() == 1


def test_sign_up_is_rate_limited_per_address_and_changes_nothing_when_over(client, settings):
    settings.RATELIMIT_SIGNUP = "2/h"
    sign_up(client, username="a1", email="a1@example.org")
    client.logout()
    sign_up(client, username="a2", email="a2@example.org")
    client.logout()

    response = sign_up(client, username="a3", email="a3@example.org")

    assert response.status_code == 429
    assert "Nothing was changed" in response.content.decode()
    assert not User.objects.filter(username="a3").exists()


def test_log_in_and_log_out(client):
    user = UserFactory()

    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("home")).context["user"] == user

    client.post(reverse("logout"))
    assert not client.get(reverse("home")).context["user"].is_authenticated


def test_a_wrong_password_says_so_without_revealing_whether_the_user_exists(client):
    user = UserFactory()

    wrong_password = client.post(reverse("login"), {"username": user.username, "password": "x"})
    no_such_user = client.post(reverse("login"), {"username": "nobody", "password": "x"})

    assert wrong_password.status_code == no_such_user.status_code == 200
    assert "Please enter a correct username and password" in wrong_password.content.decode()
    assert "Please enter a correct username and password" in no_such_user.content.decode()


def test_repeated_failures_lock_the_username_out_even_with_the_right_password(client, settings):
    user = UserFactory()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": user.username, "password": "guess"})

    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})

    assert response.status_code == 429
    assert "Too many failed log-ins" in response.content.decode()
    assert not client.get(reverse("home")).context["user"].is_authenticated


def test_log_in_pages_need_a_csrf_token(client):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    user = UserFactory()

    response = strict.post(reverse("login"), {"username": user.username, "password": PASSWORD})

    assert response.status_code == 403
    assert "This form has expired" in response.content.decode()


def test_password_reset_by_e_mail_over_smtp_end_to_end(client, smtp_sink):
    user = UserFactory(email="mei@example.org")

    response = client.post(reverse("password_reset"), {"email": "MEI@example.org"})

    assert response.status_code == 302
    assert len(smtp_sink) == 1
    message = smtp_sink[0]
    assert message["To"] == "mei@example.org"
    assert message.is_multipart()
    assert {part.get_content_type() for part in message.iter_parts()} == {
        "text/plain",
        "text/html",
    }
    text = message.get_body(("plain",)).get_content()
    link = re.search(r"https?://[^/\s]+(/accounts/password-reset/\S+/)", text).group(1)

    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"]
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert not client.get(link, follow=True).context["validlink"]  # single use


def test_password_reset_for_an_unknown_address_sends_nothing_and_looks_the_same(client, smtp_sink):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"})

    assert response.status_code == 302
    assert response.url == reverse("password_reset_done")
    assert smtp_sink == []


def test_sign_up_returns_to_the_page_that_sent_you_but_never_off_site(client):
    back = sign_up(client, next="/invitations/abc/")
    client.logout()
    away = sign_up(client, username="b", email="b@example.org", next="https://evil.example/")

    assert back.url == "/invitations/abc/"
    assert away.url == reverse("home")


def test_someone_imported_without_a_password_sets_one_through_password_reset(client, smtp_sink):
    from django.contrib.auth.hashers import make_password

    imported = UserFactory(email="amy@harbour.example", password=make_password(None))
    assert not imported.has_usable_password()

    client.post(reverse("password_reset"), {"email": "amy@harbour.example"})

    assert len(smtp_sink) == 1 and smtp_sink[0]["To"] == "amy@harbour.example"
