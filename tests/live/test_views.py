"""The pages around the game: joining with a PIN, the phone page, the host's pages and CSV."""

import pytest
from django.urls import reverse

from tests.live.conftest import join
from training.live.models import Player
from training.live.selectors import BROWSER_KEY


def test_a_pin_leads_to_its_session_and_a_wrong_one_to_a_clear_error(client, live_session):
    found = client.get(reverse("live_join_start"), {"pin": live_session.pin})
    malformed = client.get(reverse("live_join_start"), {"pin": "12ab"})
    unknown = client.get(reverse("live_join", args=["000000"]))

    assert found.status_code == 302 and found.url == f"/live/{live_session.pin}/"
    assert malformed.status_code == 400 and "6 digits" in malformed.text
    assert unknown.status_code == 404


def test_a_player_joins_with_a_nickname_and_lands_on_the_phone_page(client, live_session):
    refused = client.post(reverse("live_join", args=[live_session.pin]), {"nickname": "fuck"})
    joined = client.post(reverse("live_join", args=[live_session.pin]), {"nickname": "Ann"})
    page = client.get(joined.url)
    again = client.get(reverse("live_join", args=[live_session.pin]))

    assert refused.status_code == 400 and "not allowed" in refused.text
    assert joined.status_code == 302
    assert str(live_session.pk) in client.session[BROWSER_KEY]
    assert page.status_code == 200 and "Ann" in page.text
    assert f"/ws/live/{live_session.public_id}/play/" in page.text
    assert again.status_code == 302 and again.url == joined.url


def test_a_child_joins_under_its_pseudonym_without_choosing_a_name(client, live_session):
    from tests.people.factories import UserFactory
    from training.people.models import AgeBand

    child = UserFactory(
        username="calm-panda-17", first_name="Mei", is_pseudonymous=True, age_band=AgeBand.UNDER_13
    )
    client.force_login(child)

    page = client.get(reverse("live_join", args=[live_session.pin]))
    client.post(reverse("live_join", args=[live_session.pin]), {"nickname": "Mei"})

    assert "calm-panda-17" in page.text and 'name="nickname"' not in page.text
    assert Player.objects.get().nickname == "calm-panda-17"


def test_the_phone_page_sends_a_stranger_to_the_join_form(client, live_session):
    response = client.get(reverse("live_play", args=[live_session.public_id]))

    assert response.status_code == 302 and response.url == f"/live/{live_session.pin}/"


def test_hosting_needs_an_account_and_someone_elses_session_is_a_404(
    client, live_session, parcel_module
):
    from tests.people.factories import UserFactory

    pages = [
        reverse("live_host_new"),
        reverse("live_host_setup", args=[parcel_module.slug]),
        reverse("live_host", args=[live_session.public_id]),
        reverse("live_host_screen", args=[live_session.public_id]),
        reverse("live_results_csv", args=[live_session.public_id]),
    ]
    assert all(client.get(page).status_code == 302 for page in pages)
    client.force_login(UserFactory())
    assert [client.get(page).status_code for page in pages[2:]] == [404, 404, 404]


def test_a_host_starts_a_session_and_sees_its_pin_and_qr_code(client, host, parcel_module):
    from training.live.models import LiveSession
    from training.live.selectors import module_questions

    client.force_login(host)
    first = module_questions(parcel_module)[0]

    response = client.post(
        reverse("live_host_setup", args=[parcel_module.slug]),
        {"questions": [first.pk], "seconds": "10"},
        follow=True,
    )

    session = LiveSession.objects.get()
    assert (session.seconds_per_question, session.questions.count()) == (10, 1)
    assert session.pin in response.text and "<svg" in response.text
    assert f"/live/{session.pin}/" in response.text


def test_the_module_list_for_hosts_runs_a_fixed_number_of_queries(
    client, host, loaded_pack, django_assert_num_queries
):
    from django.utils import timezone

    from awareness.content.models import Module
    from training.live.services import start_live_session

    client.force_login(host)
    for module in Module.objects.filter(language="en", age_rating=0):
        start_live_session(host, module, now=timezone.now())

    # 4 (the session is cached), and with a cold cache the withdrawn modules and when the next
    # consent changes.
    with django_assert_num_queries(6):
        response = client.get(reverse("live_host_new"))

    assert response.status_code == 200 and "Parcel fees" in response.text


def test_the_host_downloads_the_results_as_csv(client, host, live_session):
    join(live_session, "Ann")
    client.force_login(host)

    response = client.get(reverse("live_results_csv", args=[live_session.public_id]))

    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("rank,nickname,signed_in,score")
    assert lines[1].startswith("1,Ann,no,0,0,0")


@pytest.mark.parametrize("state", ["lobby", "question", "reveal", "leaderboard", "ended"])
def test_the_projector_screen_renders_every_state(client, host, live_session, state):
    from django.utils import timezone

    from training.live.services import advance_session

    join(live_session, "Ann")
    client.force_login(host)
    steps = ["lobby", "question", "reveal", "leaderboard"].index(state) if state != "ended" else 3
    for _ in range(steps):
        live_session = advance_session(
            live_session, revision=live_session.revision, now=timezone.now()
        )
    if state == "ended":
        from training.live.services import end_live_session

        end_live_session(live_session, now=timezone.now())

    response = client.get(reverse("live_host_screen", args=[live_session.public_id]))

    assert response.status_code == 200
    assert f'data-state="{state}"' in response.text
