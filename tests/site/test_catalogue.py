"""The catalogue and the scam museum: what a learner may see, filtered, in bounded queries."""

import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from awareness.content.models import Example
from tests.content.builders import write_pack

pytestmark = pytest.mark.django_db


def titles(response) -> list[str]:
    return [module.title for module in response.context["modules"]]


def test_the_catalogue_lists_modules_for_the_learners_age(client, loaded_pack):
    response = client.get(reverse("catalogue"))

    assert response.status_code == 200
    assert titles(response) == ["Parcel fees"]  # the 18+ module is hidden by default
    assert "Fees by text" not in response.content.decode()  # lessons are not listed


def test_declaring_adult_age_shows_adult_modules(client, loaded_pack):
    client.post(reverse("set_age_band"), {"age_band": "18+"})

    assert "For adults only" in titles(client.get(reverse("catalogue")))


def test_an_adult_module_cannot_be_opened_or_started_by_a_younger_learner(client, loaded_pack):
    assert client.get(reverse("module_detail", args=["adult-module"])).status_code == 404
    assert client.post(reverse("start", args=["adult-module"])).status_code == 404


def test_a_bad_age_band_is_refused_with_a_message(client, loaded_pack):
    response = client.post(reverse("set_age_band"), {"age_band": "99"}, follow=True)

    assert "Choose an age from the list." in response.content.decode()
    assert titles(response) == ["Parcel fees"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("scam_type=parcel", ["Parcel fees"]),
        ("scam_type=bank-impersonation", []),
        ("audience=seniors", ["Parcel fees"]),
        ("audience=staff", []),
        ("length=short", ["Parcel fees"]),
        ("length=long", []),
        ("available_in=zh-hant", ["Parcel fees"]),
    ],
)
def test_the_catalogue_filters(client, loaded_pack, query, expected):
    assert titles(client.get(f"{reverse('catalogue')}?{query}")) == expected


def test_an_unknown_filter_value_is_a_clear_400(client, loaded_pack):
    response = client.get(f"{reverse('catalogue')}?length=forever")

    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_the_catalogue_speaks_the_learners_language_and_falls_back_to_english(client, loaded_pack):
    chinese = client.get(reverse("catalogue"), headers={"accept-language": "zh-hant"})

    assert titles(chinese) == ["包裹費用"]


def test_catalogue_queries_do_not_grow_with_the_number_of_modules(
    client, tmp_path, settings, django_assert_max_num_queries
):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_content", str(write_pack(tmp_path / "small")))
    # Scam types, withdrawn modules, the page (modules, their scam types, languages), each
    # with when the next consent starts or ends.
    with django_assert_max_num_queries(8) as few:
        client.get(reverse("catalogue"))
    call_command("load_content", str(write_pack(tmp_path / "big", extra_modules=30)))

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("catalogue"))

    assert len(response.context["modules"]) == 31


def test_the_anonymous_catalogue_is_cached_until_content_changes(
    client, tmp_path, settings, django_assert_num_queries
):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_content", str(write_pack(tmp_path / "small")))
    client.get(reverse("catalogue"))

    with django_assert_num_queries(0):
        cached = client.get(reverse("catalogue"))
    call_command("load_content", str(write_pack(tmp_path / "big", extra_modules=30)))
    fresh = client.get(reverse("catalogue"))

    assert cached.status_code == fresh.status_code == 200
    assert cached.content.count(b'class="module-card"') == 1
    assert fresh.content.count(b'class="module-card"') == 31


def test_a_cached_catalogue_carries_each_visitors_own_csrf_token(loaded_pack):
    Client(enforce_csrf_checks=True).get(reverse("catalogue"))  # fills the cache
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get(reverse("catalogue")).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)

    response = visitor.post(
        reverse("set_age_band"), {"age_band": "18+", "csrfmiddlewaretoken": token}
    )

    assert response.status_code == 302
    assert visitor.session["age_band"] == "18+"


def test_the_player_page_runs_a_bounded_number_of_queries(
    client, loaded_pack, django_assert_max_num_queries
):
    play_url = client.post(reverse("start", args=["parcel-fees"])).url
    for _ in range(3):  # lesson, example (red flags), first question
        with django_assert_max_num_queries(12):
            assert client.get(play_url).status_code == 200
        client.post(f"{play_url}continue/", {"position": _})


def test_the_museum_lists_examples_and_reveals_their_red_flags(
    client, loaded_pack, django_assert_max_num_queries
):
    with django_assert_max_num_queries(4):
        listing = client.get(reverse("museum"))
    page = client.get(reverse("museum_example", args=["parcel-fee-sms"])).content.decode()

    names = [example.title for example in listing.context["examples"]]
    assert names == ["Parcel fee text", "Genuine delivery text"]  # scams first; 18+ hidden
    assert "A lookalike link" in page and "The real postal service" in page


def test_museum_filters_by_channel(client, loaded_pack):
    client.post(reverse("set_age_band"), {"age_band": "18+"})

    response = client.get(f"{reverse('museum')}?channel=image")

    assert [e.title for e in response.context["examples"]] == ["A fake advert"]


def test_example_media_is_served_only_within_the_learners_age(client, loaded_pack):
    picture = Example.objects.get(slug="fake-ad-picture")
    url = reverse("example_media", args=[picture.pk, "image"])

    assert client.get(url).status_code == 404
    client.post(reverse("set_age_band"), {"age_band": "18+"})
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    assert client.get(reverse("example_media", args=[picture.pk, "secret"])).status_code == 404
    assert client.get(reverse("example_media", args=[picture.pk, "audio"])).status_code == 404
