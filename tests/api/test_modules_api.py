"""The catalogue through the API goes through the pages' selectors: a child never gets adult
content, and material hidden by safety rules is hidden here too, from the next read."""

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from awareness.safety.models import ConsentRecord
from awareness.safety.services import revoke_consent
from tests.api.conftest import signed_in
from tests.people.factories import MembershipFactory, UserFactory
from tests.safety.conftest import consent_pack, reviewer  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def slugs(client) -> set[str]:
    response = client.get("/api/v1/modules/")
    assert response.status_code == 200
    return {module["slug"] for module in response.json()}


def test_a_child_never_gets_adult_content(loaded_pack):
    child = UserFactory(age_band="under-13")
    adult = UserFactory(age_band="18+")
    as_child, as_adult = APIClient(), APIClient()
    as_child.force_login(child)
    as_adult.force_login(adult)

    assert slugs(as_adult) == {"parcel-fees", "adult-module"}
    assert slugs(as_child) == {"parcel-fees"}
    assert slugs(APIClient()) == {"parcel-fees"}  # anonymous: as a 13-year-old
    assert as_child.get("/api/v1/modules/adult-module/").status_code == 404
    assert as_adult.get("/api/v1/modules/adult-module/").status_code == 200


def test_a_token_reads_as_its_adult_maker(loaded_pack, bank_admin):
    from tests.api.conftest import client_with_token, token_for

    assert "adult-module" in slugs(client_with_token(token_for(bank_admin)))


def test_a_module_whose_example_lost_its_consent_is_gone_from_the_next_read(
    consent_pack,  # noqa: F811
    reviewer,  # noqa: F811
):
    api = APIClient()
    assert "familiar-faces" in slugs(api)

    consent = ConsentRecord.objects.get(key="lee-consent")
    revoke_consent(consent, reviewer=reviewer, reason="Withdrawn.", now=timezone.now())

    assert "familiar-faces" not in slugs(api)
    assert api.get("/api/v1/modules/familiar-faces/").status_code == 404
    assert "parcel-fees" in slugs(api)


def test_the_catalogue_follows_the_requested_language(loaded_pack):
    response = APIClient().get("/api/v1/modules/parcel-fees/", HTTP_ACCEPT_LANGUAGE="zh-hant")
    assert response.json()["title"] == "包裹費用"


def test_filters_narrow_the_catalogue_and_bad_ones_are_400(loaded_pack):
    api = APIClient()
    assert api.get("/api/v1/modules/?length=long").json() == []
    assert api.get("/api/v1/modules/?length=forever").status_code == 400


def test_members_see_their_own_organisation_with_their_role(bank_admin):
    learner = MembershipFactory(organization=bank_admin.organization)
    response = signed_in(learner).get("/api/v1/orgs/")
    assert response.json() == [
        {
            "slug": "harbour",
            "name": "Harbour City Bank",
            "kind": "bank",
            "role": "learner",
            "created_at": response.json()[0]["created_at"],
        }
    ]
