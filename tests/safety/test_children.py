"""Children: a child's account reaches nothing above its age band by any address, collects no
e-mail or real name, and never appears on a public page."""

import pytest
from django.urls import reverse
from django.utils import timezone

from awareness.content.models import Example, Module
from training.people.models import Group, User
from training.people.services import create_students, join_group_as_new_student
from training.progress.models import Attempt

pytestmark = pytest.mark.django_db


@pytest.fixture
def child(educator):
    """A pupil of 4B with a classroom account, and the password on their log-in card."""
    [(student, password)] = create_students(
        educator, Group.objects.get(name="4B"), count=1, age_band="under-13"
    )
    return student.user, password


def test_a_child_account_cannot_reach_adult_content_by_any_address(client, loaded_pack, child):
    user, password = child
    picture = Example.objects.get(slug="fake-ad-picture")  # rated 18, used by adult-module
    # Before logging in, the browser claimed to be an adult and began the adult module: its
    # attempt passes to the child's account when they log in.
    client.post(reverse("set_age_band"), {"age_band": "18+"})
    assert client.get(reverse("museum_example", args=["fake-ad-picture"])).status_code == 200
    play_url = client.post(reverse("start", args=["adult-module"])).url
    client.post(reverse("login"), {"username": user.username, "password": password})
    assert Attempt.objects.get(module__slug="adult-module").user == user

    addresses = {
        "module page": client.get(reverse("module_detail", args=["adult-module"])),
        "start": client.post(reverse("start", args=["adult-module"])),
        "play": client.get(play_url),
        "answer": client.post(f"{play_url}answer/", {"position": 0}),
        "continue": client.post(f"{play_url}continue/", {"position": 0}),
        "museum page": client.get(reverse("museum_example", args=["fake-ad-picture"])),
        "media": client.get(reverse("example_media", args=[picture.pk, "image"])),
    }
    lists = {
        "catalogue": client.get(reverse("catalogue")).content.decode(),
        "museum": client.get(reverse("museum")).content.decode(),
        "removal form": client.get(reverse("removal_request")).content.decode(),
    }

    assert {name: r.status_code for name, r in addresses.items()} == dict.fromkeys(addresses, 404)
    titles = ("For adults only", "A fake advert", "fake-ad-picture", "adult-module")
    assert not [(name, t) for name, page in lists.items() for t in titles if t in page]
    assert "Parcel fees" in lists["catalogue"]  # content for all ages is there
    assert Attempt.objects.get(module__slug="adult-module").position == 0


def test_results_of_an_adult_module_are_not_shown_to_a_child(client, loaded_pack, child):
    user, _password = child
    now = timezone.now()
    attempt = Attempt.objects.create(
        module=Module.objects.get(slug="adult-module"),
        user=user,
        started_at=now,
        step_shown_at=now,
        finished_at=now,
        score=1.0,
    )
    client.force_login(user)

    response = client.get(reverse("results", args=[attempt.public_id]))

    assert response.status_code == 404


def test_a_child_declaring_an_older_age_changes_nothing(client, loaded_pack, child):
    user, _password = child
    client.force_login(user)

    client.post(reverse("set_age_band"), {"age_band": "18+"})

    assert client.get(reverse("module_detail", args=["adult-module"])).status_code == 404
    user.refresh_from_db()
    assert user.age_band == "under-13"


def test_childrens_accounts_hold_no_e_mail_address_or_real_name(educator):
    group = Group.objects.get(name="4B")
    made = [
        m.user for m, _password in create_students(educator, group, count=3, age_band="under-13")
    ]
    joined, _password = join_group_as_new_student(group, age_band="under-13")

    for user in [*made, joined.user]:
        user.refresh_from_db()
        assert user.is_pseudonymous
        assert (user.email, user.first_name, user.last_name) == ("", "", "")
    assert User.objects.filter(age_band="under-13").exclude(email="").count() == 0


def test_children_never_appear_on_a_public_page(client, loaded_pack, child):
    user, _password = child
    other = User.objects.create_user(username="grown-up-visitor", age_band="18+")
    pages = [
        reverse("home"),
        reverse("catalogue"),
        reverse("museum"),
        reverse("museum_example", args=["parcel-fee-sms"]),
        reverse("transparency"),
        reverse("removal_request"),
    ]

    for visitor in (None, other):
        if visitor:
            client.force_login(visitor)
        for url in pages:
            page = client.get(url).content.decode()
            assert user.username not in page, url
