import pytest
from django.urls import reverse

from tests.people.factories import MembershipFactory, UserFactory
from training.people.models import Membership, Organization, Role

pytestmark = pytest.mark.django_db


def test_anyone_signed_in_can_create_an_organisation_and_owns_it(client):
    user = UserFactory()
    client.force_login(user)

    response = client.post(
        reverse("organization_create"),
        {"name": "Kowloon Primary", "kind": "school", "child_age_limit": 13},
    )

    organization = Organization.objects.get()
    assert response.url == reverse("organization_home", args=[organization.slug])
    assert Membership.objects.get(user=user).role == Role.OWNER
    assert organization.slug == "kowloon-primary"


def test_organisation_names_get_unique_addresses(client):
    client.force_login(UserFactory())
    for _ in range(2):
        client.post(
            reverse("organization_create"),
            {"name": "St Mary", "kind": "school", "child_age_limit": 13},
        )

    assert sorted(Organization.objects.values_list("slug", flat=True)) == ["st-mary", "st-mary-2"]


def test_a_bad_organisation_form_is_a_400_and_creates_nothing(client):
    client.force_login(UserFactory())

    response = client.post(
        reverse("organization_create"), {"name": "", "kind": "castle", "child_age_limit": 99}
    )

    assert response.status_code == 400
    assert not Organization.objects.exists()


def test_creating_an_organisation_needs_an_account(client):
    response = client.get(reverse("organization_create"))

    assert response.status_code == 302 and "/accounts/log-in/" in response.url


def test_an_admin_changes_a_role_and_ends_access(client, bank_admin):
    member = MembershipFactory(organization=bank_admin.organization)
    client.force_login(bank_admin.user)
    url = reverse("member_update", args=["harbour", member.pk])

    client.post(url, {"action": "role", "role": "manager"})
    member.refresh_from_db()
    assert member.role == Role.MANAGER

    client.post(url, {"action": "deactivate"})
    member.refresh_from_db()
    assert not member.is_active
    client.force_login(member.user)
    assert client.get(reverse("organization_home", args=["harbour"])).status_code == 404


def test_an_admin_cannot_make_owners_nor_remove_the_last_owner(client, bank_admin):
    owner = MembershipFactory(organization=bank_admin.organization, role=Role.OWNER)
    client.force_login(bank_admin.user)

    promote = client.post(
        reverse("member_update", args=["harbour", bank_admin.pk]),
        {"action": "role", "role": "owner"},
        follow=True,
    )
    owner_client = client.__class__()
    owner_client.force_login(owner.user)
    demote_self = owner_client.post(
        reverse("member_update", args=["harbour", owner.pk]),
        {"action": "role", "role": "learner"},
        follow=True,
    )

    assert "Only an owner can make someone an owner." in promote.content.decode()
    assert "at least one owner" in demote_self.content.decode()
    owner.refresh_from_db()
    bank_admin.refresh_from_db()
    assert (owner.role, bank_admin.role) == (Role.OWNER, Role.ADMIN)


def test_a_learner_cannot_see_the_members_page(client, bank_admin):
    learner = MembershipFactory(organization=bank_admin.organization, role=Role.LEARNER)
    client.force_login(learner.user)

    assert client.get(reverse("member_list", args=["harbour"])).status_code == 403


def test_the_members_page_runs_a_fixed_number_of_queries(
    client, bank_admin, django_assert_max_num_queries
):
    MembershipFactory.create_batch(30, organization=bank_admin.organization)
    client.force_login(bank_admin.user)

    with django_assert_max_num_queries(8):
        response = client.get(reverse("member_list", args=["harbour"]))

    assert response.status_code == 200


def test_one_person_can_belong_to_several_organisations(client, bank_admin, educator):
    MembershipFactory(organization=educator.organization, user=bank_admin.user, role=Role.LEARNER)
    client.force_login(bank_admin.user)

    page = client.get(reverse("organization_list")).content.decode()

    assert "Harbour City Bank" in page and "Kowloon Primary" in page


def test_a_school_sets_the_age_of_childrens_accounts_and_bad_ages_change_nothing(client):
    from awareness.safety.models import AuditEvent
    from tests.people.factories import OrganizationFactory
    from training.people.models import OrganizationKind

    school = OrganizationFactory(slug="kowloon", kind=OrganizationKind.SCHOOL)
    head = MembershipFactory(organization=school, role=Role.ADMIN)
    client.force_login(head.user)
    url = reverse("organization_settings", args=["kowloon"])
    assert b"Children's accounts" in client.get(url).content

    for bad in ("", "19", "-1", "twelve"):
        assert client.post(url, {"child_age_limit": bad}).status_code == 400
    school.refresh_from_db()
    assert school.child_age_limit == 13
    assert not AuditEvent.objects.filter(action="organization.child_age_limit_changed").exists()

    assert client.post(url, {"child_age_limit": "11"}).status_code == 302
    school.refresh_from_db()
    assert school.child_age_limit == 11
    event = AuditEvent.objects.get(action="organization.child_age_limit_changed")
    assert event.details == {"before": 13, "after": 11}


def test_a_bank_is_not_asked_about_childrens_accounts_and_staff_cannot_change_it(
    client, bank_admin
):
    client.force_login(bank_admin.user)
    assert b"Children" not in client.get(reverse("organization_settings", args=["harbour"])).content
    learner = MembershipFactory(organization=bank_admin.organization, role=Role.LEARNER)
    client.force_login(learner.user)
    response = client.post(
        reverse("organization_settings", args=["harbour"]), {"child_age_limit": "11"}
    )
    assert response.status_code in (403, 404)
    bank_admin.organization.refresh_from_db()
    assert bank_admin.organization.child_age_limit == 13
