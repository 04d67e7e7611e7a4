"""Hidden everywhere at once: when consent is revoked or expires, or a removal request hides an
example, no page shows it, nor any module that uses it, from the very next read."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from awareness.content import selectors as content
from awareness.content.caching import content_changed
from awareness.content.models import Example
from awareness.safety.models import ConsentRecord, RemovalStatus
from awareness.safety.selectors import next_consent_change
from awareness.safety.services import (
    file_removal_request,
    reject_removal_request,
    revoke_consent,
)
from tests.site.test_player import start

pytestmark = pytest.mark.django_db


def revoke(reviewer):
    consent = ConsentRecord.objects.get(key="lee-consent")
    revoke_consent(consent, reviewer=reviewer, reason="Withdrawn.", now=timezone.now())


def expire(reviewer):
    """As if the clock passed the expiry: cached content never outlives the next consent
    change (test_cached_content_ends_when_the_next_consent_starts_or_ends), so the edit
    stands for the clock and drops the cache as the clock would."""
    ConsentRecord.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    content_changed()


def ask_for_removal(reviewer, reason="voice"):
    return file_removal_request(
        example=Example.objects.get(slug="portrait-call"),
        reason=reason,
        contact_email="lee@example.net",
        details="",
        language="en",
        now=timezone.now(),
    )


HIDE = {"revoked consent": revoke, "expired consent": expire, "removal request": ask_for_removal}


def shown_everywhere(client) -> dict[str, bool]:
    """Every way a learner can reach the example or its module."""
    portrait = Example.objects.get(slug="portrait-call")
    media = reverse("example_media", args=[portrait.pk, "image"])
    return {
        "catalogue": "Familiar faces" in client.get(reverse("catalogue")).content.decode(),
        "module page": client.get(reverse("module_detail", args=["familiar-faces"])).status_code
        == 200,
        "start": client.post(reverse("start", args=["familiar-faces"])).status_code == 302,
        "museum": "A video call from a familiar face"
        in client.get(reverse("museum")).content.decode(),
        "museum page": client.get(reverse("museum_example", args=["portrait-call"])).status_code
        == 200,
        "media": client.get(media).status_code == 200,
        "removal form": "portrait-call" in client.get(reverse("removal_request")).content.decode(),
        "languages": "familiar-faces" in content.languages_by_module(),
    }


@pytest.mark.parametrize("how", HIDE)
def test_the_example_and_its_module_are_hidden_everywhere_from_the_next_read(
    client, consent_pack, reviewer, how
):
    assert all(shown_everywhere(client).values())

    HIDE[how](reviewer)

    assert not any(shown_everywhere(client).values()), shown_everywhere(client)
    # Other content is untouched.
    assert "Parcel fees" in client.get(reverse("catalogue")).content.decode()


@pytest.mark.parametrize("how", HIDE)
def test_an_attempt_in_progress_gets_a_clear_message_not_an_error(
    client, consent_pack, reviewer, how
):
    play_url = start(client, "familiar-faces")
    assert client.get(play_url).status_code == 200

    HIDE[how](reviewer)

    page = client.get(play_url)
    assert page.status_code == 410
    assert "This module has been withdrawn" in page.content.decode()
    assert client.post(f"{play_url}continue/", {"position": 0}).status_code == 410
    assert client.post(f"{play_url}answer/", {"position": 0}).status_code == 410


def test_results_of_a_withdrawn_module_are_withdrawn_too(client, consent_pack, reviewer):
    play_url = start(client, "familiar-faces")
    for position in range(3):
        if position == 2:
            client.post(f"{play_url}answer/", {"position": 2, "verdict": "scam", "confidence": 80})
        response = client.post(f"{play_url}continue/", {"position": position})
    assert client.get(response.url).status_code == 200

    ask_for_removal(reviewer)

    assert client.get(response.url).status_code == 410


def test_a_rejected_request_shows_the_example_again(client, consent_pack, reviewer):
    removal = ask_for_removal(reviewer)
    assert removal.status == RemovalStatus.HIDDEN
    assert client.get(reverse("museum_example", args=["portrait-call"])).status_code == 404

    reject_removal_request(removal, reviewer=reviewer, reason="Not her.", now=timezone.now())

    assert client.get(reverse("museum_example", args=["portrait-call"])).status_code == 200


def test_a_request_that_is_not_about_likeness_hides_nothing_until_staff_decide(
    client, consent_pack, reviewer
):
    ask_for_removal(reviewer, reason="harmful")

    assert client.get(reverse("museum_example", args=["portrait-call"])).status_code == 200


def test_hiding_adds_no_query_to_the_catalogue(
    client, consent_pack, reviewer, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8) as before:  # a cold cache: see tests/site
        client.get(reverse("catalogue"))
    ask_for_removal(reviewer)

    with django_assert_max_num_queries(len(before.captured_queries)):
        client.get(reverse("catalogue"))


def test_cached_content_ends_when_the_next_consent_starts_or_ends(consent_pack):
    now = timezone.now()
    consent = ConsentRecord.objects.get(key="lee-consent")
    ConsentRecord.objects.update(expires_at=now + timedelta(minutes=3))
    later = ConsentRecord.objects.create(
        key="later", person="Sam", permitted_use="Training.", obtained_how="In writing.",
        granted_at=now + timedelta(minutes=1),
    )  # fmt: skip

    assert next_consent_change(now) == later.granted_at
    later.delete()
    assert next_consent_change(now) == now + timedelta(minutes=3)
    consent.refresh_from_db()
    assert next_consent_change(consent.expires_at) is None
