"""The transparency page says what the platform does, which tools made today's examples (read
from their provenance records), how consent and removal work and how long data is kept; every
museum example links to how it was made."""

import pytest
from django.urls import reverse
from django.utils import timezone

from awareness.content.models import Example
from awareness.safety.services import file_removal_request

pytestmark = pytest.mark.django_db


def test_the_page_lists_the_generators_of_the_examples_shown_and_the_retention_period(
    client, consent_pack, settings, django_assert_max_num_queries
):
    settings.DATA_RETENTION_DAYS = 400
    settings.REMOVAL_REVIEW_DAYS = 5

    with django_assert_max_num_queries(3):
        response = client.get(reverse("transparency"))

    page = response.content.decode()
    facts = response.context["facts"]
    assert [(g.name, g.examples) for g in facts.generators] == [
        ("FaceSwap Studio 2", 1),
        ("Pillow", 1),
    ]
    assert "Face swap of a consenting actor onto a staged call." in page
    assert (facts.examples, facts.synthetic, facts.real_people) == (4, 2, 1)
    assert "older than 400 days are deleted every night" in page
    assert "We decide within 5 days" in page
    for section in ("what-we-do", "how-examples-are-made", "consent", "removal", "learner-data"):
        assert f'id="{section}"' in page


def test_a_hidden_example_and_its_generator_leave_the_page(client, consent_pack):
    file_removal_request(
        example=Example.objects.get(slug="portrait-call"),
        reason="likeness",
        contact_email="lee@example.net",
        details="",
        language="en",
        now=timezone.now(),
    )

    response = client.get(reverse("transparency"))

    assert "FaceSwap Studio 2" not in response.content.decode()
    assert response.context["facts"].real_people == 0


def test_each_museum_example_links_to_how_it_was_made(client, consent_pack):
    museum = client.get(reverse("museum")).content.decode()
    portrait = client.get(reverse("museum_example", args=["portrait-call"])).content.decode()
    written = client.get(reverse("museum_example", args=["parcel-fee-sms"])).content.decode()

    assert f"{reverse('museum_example', args=['portrait-call'])}#provenance" in museum
    assert 'id="provenance"' in portrait and 'id="provenance"' in written
    assert "FaceSwap Studio 2" in portrait
    assert "who gave their recorded consent to this use (Face, Voice)" in portrait
    assert "no machine generated it" in written
    assert f"{reverse('transparency')}#how-examples-are-made" in written
