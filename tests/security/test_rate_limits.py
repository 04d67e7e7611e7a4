"""No brute force of class codes or live PINs: wrong codes are counted per address, and past
the limit every code is refused with a page that says when to try again."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.people.factories import UserFactory
from training.people.models import Group

pytestmark = pytest.mark.django_db

ME = {"REMOTE_ADDR": "203.0.113.9"}
NEIGHBOUR = {"REMOTE_ADDR": "198.51.100.4"}


@pytest.fixture
def live_pin(loaded_pack) -> str:
    from awareness.content.models import Module
    from training.live.services import start_live_session

    module = Module.objects.get(slug="parcel-fees", language="en", is_current=True)
    return start_live_session(UserFactory(), module, seconds=30, now=timezone.now()).pin


def wrong_pin(right: str) -> str:
    return f"{(int(right) + 1) % 1_000_000:06d}"


def test_after_too_many_wrong_class_codes_even_the_right_one_waits(client, educator, settings):
    settings.RATELIMIT_WRONG_JOIN_CODE = "3/h"
    code = Group.objects.get(name="4B").join_code

    guesses = [client.get(reverse("join_group", args=[f"WRONG{n}"]), **ME) for n in range(3)]
    locked = client.get(reverse("join_group", args=[code]), **ME)
    neighbour = client.get(reverse("join_group", args=[code]), **NEIGHBOUR)

    assert [guess.status_code for guess in guesses] == [404, 404, 404]
    assert locked.status_code == 429
    page = locked.content.decode()
    # The window is a fixed hour: the page gives the minutes left in it, as does Retry-After.
    minutes = int(re.search(r"Please try again in (\d+) minutes?\.", page).group(1))
    assert "Too many wrong codes" in page
    assert 0 < int(locked["Retry-After"]) <= 3600
    assert minutes == -(-int(locked["Retry-After"]) // 60)
    assert neighbour.status_code == 200


def test_right_class_codes_do_not_count_as_wrong(client, educator, settings):
    settings.RATELIMIT_WRONG_JOIN_CODE = "3/h"
    code = Group.objects.get(name="4B").join_code

    statuses = {client.get(reverse("join_group", args=[code]), **ME).status_code for _ in range(6)}

    assert statuses == {200}


def test_after_too_many_wrong_live_pins_every_pin_waits(client, live_pin, settings):
    settings.RATELIMIT_WRONG_LIVE_PIN = "3/h"

    guesses = [client.get(reverse("live_join", args=[wrong_pin(live_pin)]), **ME) for _ in range(3)]
    locked = client.post(reverse("live_join", args=[live_pin]), {"nickname": "Blue Fox"}, **ME)
    neighbour = client.get(reverse("live_join", args=[live_pin]), **NEIGHBOUR)

    assert [guess.status_code for guess in guesses] == [404, 404, 404]
    assert locked.status_code == 429
    assert "Too many wrong codes" in locked.content.decode()
    assert neighbour.status_code == 200
    from training.live.models import Player

    assert not Player.objects.exists()


def test_the_lockout_page_speaks_the_visitors_language(client, educator, settings):
    settings.RATELIMIT_WRONG_JOIN_CODE = "1/h"
    client.get(reverse("join_group", args=["WRONG"]), **ME)

    locked = client.get(
        reverse("join_group", args=["WRONG"]), headers={"accept-language": "zh-hant"}, **ME
    )

    assert locked.status_code == 429
    assert re.search(r"請在 \d+ 分鐘後再試。", locked.content.decode())


def test_a_throttled_form_says_when_to_try_again(client, settings):
    settings.RATELIMIT_SIGNUP = "1/m"
    client.post(reverse("sign_up"), {"username": "a"}, **ME)

    refused = client.post(reverse("sign_up"), {"username": "b"}, **ME)

    assert refused.status_code == 429
    assert "Nothing was changed." in refused.content.decode()
    assert "Please try again in 1 minute." in refused.content.decode()
    assert 0 < int(refused["Retry-After"]) <= 60
