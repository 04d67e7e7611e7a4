"""What an HR system does through the API: add people with their department and HR id,
change them, end their access; manage departments and their members."""

import pytest

from awareness.safety.models import AuditEvent
from tests.api.conftest import client_with_token, token_for
from tests.people.factories import GroupFactory, MembershipFactory
from training.people.models import Membership, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(bank_admin):
    return client_with_token(token_for(bank_admin))


@pytest.fixture
def retail(bank_admin):
    return GroupFactory(organization=bank_admin.organization, name="Retail", kind="department")


def add(api, **fields):
    body = {"email": "mei.chan@harbour.example", "first_name": "Mei", "last_name": "Chan"}
    return api.post("/api/v1/orgs/harbour/members/", {**body, **fields}, format="json")


def test_adding_a_person_makes_an_account_without_a_password_in_their_department(api, retail):
    response = add(api, external_id="HR-1001", groups=[retail.pk], role="manager")

    assert response.status_code == 201, response.content
    member = response.json()
    assert member["email"] == "mei.chan@harbour.example"
    assert (member["external_id"], member["role"], member["groups"]) == (
        "HR-1001",
        "manager",
        [retail.pk],
    )
    user = User.objects.get(email="mei.chan@harbour.example")
    assert not user.has_usable_password()
    assert AuditEvent.objects.filter(action="member.added").count() == 1


def test_the_same_person_twice_or_the_same_hr_id_twice_is_a_400(api):
    assert add(api, external_id="HR-1").status_code == 201
    twice = add(api)
    assert twice.status_code == 400
    assert "email" in twice.json()["error"]["fields"]
    clash = add(api, email="other@harbour.example", external_id="HR-1")
    assert clash.status_code == 400
    assert "external_id" in clash.json()["error"]["fields"]
    assert Membership.objects.filter(organization__slug="harbour").count() == 2


def test_a_person_with_an_account_is_added_as_they_are(api):
    existing = MembershipFactory(user__email="Mei.Chan@Harbour.example").user
    response = add(api, first_name="Someone else")
    assert response.json()["username"] == existing.username
    existing.refresh_from_db()
    assert existing.first_name != "Someone else"  # one organisation may not rename a person


def test_only_an_owner_can_add_an_owner(api):
    response = add(api, role="owner")
    assert response.status_code == 400


def test_an_hr_system_finds_a_person_by_hr_id_and_changes_them(api, retail):
    member_id = add(api, external_id="HR-7").json()["id"]
    found = api.get("/api/v1/orgs/harbour/members/?external_id=HR-7").json()["results"]
    assert [m["id"] for m in found] == [member_id]

    response = api.patch(
        f"/api/v1/orgs/harbour/members/{member_id}/",
        {"role": "manager", "groups": [retail.pk], "external_id": "HR-8"},
        format="json",
    )

    assert response.status_code == 200
    assert (response.json()["role"], response.json()["groups"]) == ("manager", [retail.pk])
    assert response.json()["external_id"] == "HR-8"


def test_ending_access_keeps_the_member_and_adding_them_again_restores_it(api):
    member_id = add(api).json()["id"]
    response = api.post(f"/api/v1/orgs/harbour/members/{member_id}/deactivate/")
    assert response.json()["is_active"] is False
    inactive = api.get("/api/v1/orgs/harbour/members/?is_active=false").json()["results"]
    assert [m["id"] for m in inactive] == [member_id]

    again = add(api)

    assert again.status_code == 201
    assert (again.json()["id"], again.json()["is_active"]) == (member_id, True)


def test_the_last_owner_cannot_be_deactivated(api, bank_admin):
    owner = MembershipFactory(organization=bank_admin.organization, role="owner")
    response = api.post(f"/api/v1/orgs/harbour/members/{owner.pk}/deactivate/")
    assert response.status_code == 400
    owner.refresh_from_db()
    assert owner.is_active


def test_groups_are_made_renamed_filled_emptied_and_deleted(api, bank_admin):
    people = [MembershipFactory(organization=bank_admin.organization) for _ in range(3)]
    group = api.post("/api/v1/orgs/harbour/groups/", {"name": "Treasury"}, format="json").json()
    base = f"/api/v1/orgs/harbour/groups/{group['id']}"

    renamed = api.patch(f"{base}/", {"name": "Treasury & Markets"}, format="json").json()
    filled = api.post(f"{base}/members/add/", {"members": [p.pk for p in people]}, format="json")
    emptied = api.post(f"{base}/members/remove/", {"members": [people[0].pk]}, format="json")
    in_group = api.get(f"/api/v1/orgs/harbour/members/?group={group['id']}").json()["results"]
    deleted = api.delete(f"{base}/")

    assert (renamed["name"], group["kind"]) == ("Treasury & Markets", "department")
    assert filled.json()["member_count"] == 3
    assert emptied.json()["member_count"] == 2
    assert {m["id"] for m in in_group} == {people[1].pk, people[2].pk}
    assert deleted.status_code == 204
    assert api.get(f"{base}/").status_code == 404
    assert Membership.objects.filter(pk__in=[p.pk for p in people], is_active=True).count() == 3


def test_a_manager_manages_only_the_groups_they_lead(bank_admin, retail):
    from tests.api.conftest import signed_in

    manager = MembershipFactory(organization=bank_admin.organization, role="manager")
    own = GroupFactory(organization=bank_admin.organization, name="Cards", leader=manager)
    api = signed_in(manager)

    listed = api.get("/api/v1/orgs/harbour/groups/").json()["results"]
    assert [g["id"] for g in listed] == [own.pk]
    assert (
        api.patch(
            f"/api/v1/orgs/harbour/groups/{retail.pk}/", {"name": "x"}, format="json"
        ).status_code
        == 403
    )
    retail.refresh_from_db()
    assert retail.name == "Retail"


def test_a_group_patch_without_a_name_changes_nothing_and_an_empty_name_is_a_400(api, retail):
    url = f"/api/v1/orgs/harbour/groups/{retail.pk}/"
    unchanged = api.patch(url, {}, format="json")
    empty = api.patch(url, {"name": ""}, format="json")

    assert (unchanged.status_code, unchanged.json()["name"]) == (200, "Retail")
    assert empty.status_code == 400 and "name" in empty.json()["error"]["fields"]
    retail.refresh_from_db()
    assert retail.name == "Retail"
