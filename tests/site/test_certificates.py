"""Anonymous progress follows the learner into an account; passes earn a checkable certificate."""

import pytest
from django.urls import reverse

from tests.people.factories import PASSWORD, UserFactory
from tests.site.test_player import attempt_of, play_to_the_end, start
from training.progress.models import Attempt, Certificate, ModuleProgress

pytestmark = pytest.mark.django_db


def test_progress_made_before_signing_up_is_kept_in_the_new_account(client, loaded_pack):
    play_url = start(client)
    play_to_the_end(client, play_url)

    client.post(
        reverse("sign_up"),
        {
            "username": "mei",
            "email": "mei@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "age_band": "18+",
        },
    )

    attempt = attempt_of(play_url)
    assert attempt.user.username == "mei" and attempt.learner_key == ""
    progress = ModuleProgress.objects.get(user=attempt.user, module_slug="parcel-fees")
    assert progress.status == "completed" and progress.best_score == 1.0
    assert Certificate.objects.get(user=attempt.user).score == 1.0


def test_an_unfinished_attempt_moves_to_the_account_on_log_in_and_resumes(client, loaded_pack):
    user = UserFactory()
    play_url = start(client)
    client.post(f"{play_url}continue/", {"position": 0})

    client.post(reverse("login"), {"username": user.username, "password": PASSWORD})

    assert Attempt.objects.get(user=user).position == 1
    assert start(client) == play_url


def test_a_pass_earns_a_certificate_anyone_can_verify(client, loaded_pack):
    user = UserFactory(first_name="Mei", last_name="Chan")
    client.force_login(user)
    play_to_the_end(client, start(client))
    certificate = Certificate.objects.get(user=user)

    page = client.get(reverse("certificate", args=[certificate.code]))
    anyone = client.__class__().get(reverse("certificate", args=[certificate.code.lower()]))

    assert "Mei Chan" in page.content.decode() and "Parcel fees" in page.content.decode()
    assert anyone.status_code == 200
    assert len(certificate.code) == 12


def test_a_fail_earns_no_certificate_but_counts_as_completed(client, loaded_pack):
    user = UserFactory()
    client.force_login(user)
    play_to_the_end(client, start(client), right=False)

    assert not Certificate.objects.exists()
    assert ModuleProgress.objects.get(user=user).status == "completed"


def test_an_unknown_certificate_code_is_404(client, db):
    assert client.get(reverse("certificate", args=["NOSUCHCODE12"])).status_code == 404


def test_results_of_an_anonymous_learner_invite_them_to_sign_up(client, loaded_pack):
    response = client.get(play_to_the_end(client, start(client)).url)

    assert "Sign up</a> or" in response.content.decode()
