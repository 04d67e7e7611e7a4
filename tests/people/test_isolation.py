"""Tenant isolation: walk every organisation page as a member of another organisation.

Every URL under /orgs/<org>/ is requested (GET and POST) with the real ids of a victim
organisation's objects, both under the victim's address and smuggled under the attacker's own
organisation. Each must answer 404, so nothing can be seen, listed, guessed or changed.
"""

from datetime import timedelta

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from tests.people.factories import MembershipFactory
from training.campaigns.models import (
    Campaign,
    ClassAssignment,
    Delivery,
    ReportedMessage,
    Simulation,
    SimulationTemplate,
)
from training.integrations.models import WebhookSubscription
from training.people.models import (
    ApiToken,
    Group,
    Invitation,
    Membership,
    RosterImport,
    VerifiedDomain,
)

pytestmark = pytest.mark.django_db


def org_patterns() -> list[str]:
    """Route strings of every page below /orgs/<slug:org>/, with their converters."""
    root = next(
        p
        for p in get_resolver().url_patterns
        if isinstance(p, URLResolver) and str(p.pattern) == "orgs/"
    )
    found = []

    def walk(patterns, prefix):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                found.append(prefix + str(pattern.pattern))

    walk(root.url_patterns, "/orgs/")
    return [route for route in found if "<slug:org>" in route]


@pytest.fixture
def victim(educator, db):
    """Kowloon Primary with one of everything."""
    school = educator.organization
    group = Group.objects.get(name="4B")
    student = MembershipFactory(organization=school)
    group.members.add(student)
    now = timezone.now()
    ClassAssignment.objects.create(
        group=group,
        module_slug="m",
        module_title="M",
        starts_at=now,
        due_at=now + timedelta(days=1),
    )
    invitation = Invitation.objects.create(
        organization=school,
        email="new@kowloon.example",
        token_hash="x" * 64,
        created_at=now,
        expires_at=now + timedelta(days=7),
    )
    roster = RosterImport.objects.create(organization=school, file_name="r.csv")
    domain = VerifiedDomain.objects.create(
        organization=school, domain="kowloon.example", method="dns", requested_at=now
    )
    campaign = Campaign.objects.create(organization=school, name="C", starts_at=now)
    campaign.groups.add(group)
    lure = SimulationTemplate.objects.create(
        slug="l", name="L", channel="sms", sender_name="S", text_body="{{ link }}", module_slug="m"
    )
    own_lure = SimulationTemplate.objects.create(
        organization=school, slug="own", name="Own", channel="sms", sender_name="S",
        text_body="{{ link }}", module_slug="m",
    )  # fmt: skip
    reported = ReportedMessage.objects.create(
        organization=school, message_id="<r@x>", reported_by="a@x", subject="Odd", headers="",
        received_at=now,
    )  # fmt: skip
    simulation = Simulation.objects.create(organization=school, template=lure, name="S")
    delivery = Delivery.objects.create(
        simulation=simulation, membership=student, message_ref="r", due_at=now
    )
    owner = MembershipFactory(organization=school, role="owner")
    token = ApiToken.objects.create(
        organization=school,
        created_by=owner,
        name="HR",
        scope="write",
        prefix="victim01",
        token_hash="0" * 64,
        created_at=now,
    )
    webhook = WebhookSubscription.objects.create(
        organization=school, url="https://lms.kowloon.example/hooks", events=["lure.reported"],
        created_at=now,
    )  # fmt: skip
    return {
        "campaign_id": campaign.pk,
        "table": "evidence",
        "org": school.slug,
        "group_id": group.pk,
        "member_id": student.pk,
        "invitation_id": invitation.pk,
        "import_id": roster.pk,
        "simulation_id": simulation.pk,
        "delivery_id": delivery.pk,
        "domain_id": domain.pk,
        "token_id": token.pk,
        "subscription_id": webhook.pk,
        "template_id": own_lure.pk,
        "message_id": reported.pk,
    }


def fill(route: str, ids: dict) -> str:
    import re

    def value(match):
        name = match.group(2)
        assert name in ids, f"the isolation test does not know <{name}> in {route}: add it"
        return str(ids[name])

    return re.sub(r"<(?:(\w+):)?(\w+)>", value, route)


def test_every_organisation_page_is_a_404_for_another_organisations_owner(
    client, victim, other_org_admin
):
    client.force_login(other_org_admin.user)
    routes = org_patterns()
    assert len(routes) >= 14
    own = {**victim, "org": other_org_admin.organization.slug}

    for route in routes:
        for ids in (victim, own):
            address = fill(route, ids)
            if ids is own and not any(
                f"<{k}>" in route or f":{k}>" in route for k in victim if k != "org"
            ):
                continue  # a page of the attacker's own organisation, with no victim object in it
            # A page refuses a method it does not take (405) before any lookup, which says
            # nothing about the object; anything else must find nothing.
            for method in ("get", "post"):
                response = getattr(client, method)(address)
                assert response.status_code in (404, 405), (method, address, response.status_code)

    assert Membership.objects.filter(organization__slug="kowloon", is_active=True).count() == 3
    assert Invitation.objects.get().status == "pending"
    assert VerifiedDomain.objects.filter(organization__slug="kowloon").count() == 1
    assert WebhookSubscription.objects.get().is_enabled
    assert ApiToken.objects.get().revoked_at is None


def test_a_learner_of_the_same_organisation_gets_no_staff_page(client, victim):
    learner = Membership.objects.get(pk=victim["member_id"])
    client.force_login(learner.user)

    for route in org_patterns():
        address = fill(route, victim)
        if address.rstrip("/").endswith(f"/orgs/{victim['org']}") or address.endswith("/me/"):
            continue  # the overview and "my membership" are every member's own pages
        response = client.get(address)
        assert response.status_code in (403, 404, 405), (address, response.status_code)
