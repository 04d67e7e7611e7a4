"""The audit log: append-only, written by every sensitive action, read by an organisation's
admins for their own organisation, a page at a time in a fixed number of queries."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from awareness.safety.models import AppendOnly, AuditEvent
from awareness.safety.services import record_audit
from tests.people.factories import MembershipFactory
from tests.people.test_invitations import send_invitation
from training.people.models import Invitation, Role, RosterImport
from training.people.services import (
    accept_invitation,
    change_role,
    deactivate_member,
    decline_invitation,
    revoke_invitation,
)

pytestmark = pytest.mark.django_db


def actions(organization) -> list[str]:
    return list(
        AuditEvent.objects.filter(organization=organization)
        .order_by("pk")
        .values_list("action", flat=True)
    )


def test_an_event_records_who_did_what_to_what(bank_admin):
    member = MembershipFactory(organization=bank_admin.organization)

    event = record_audit(
        actor=bank_admin.user,
        organization=bank_admin.organization,
        action="member.role_changed",
        target=member,
        details={"from": "learner", "to": "manager"},
    )

    event.refresh_from_db()
    assert (event.actor, event.organization) == (bank_admin.user, bank_admin.organization)
    assert (event.target_type.model, event.target_id) == ("membership", str(member.pk))
    assert event.target_label == str(member)
    assert event.details == {"from": "learner", "to": "manager"}


def test_events_can_be_neither_changed_nor_deleted(bank_admin):
    event = record_audit(action="test.done", organization=bank_admin.organization)

    event.action = "test.undone"
    with pytest.raises(AppendOnly):
        event.save()
    with pytest.raises(AppendOnly):
        event.delete()
    with pytest.raises(AppendOnly):
        AuditEvent.objects.filter(pk=event.pk).update(action="test.undone")
    with pytest.raises(AppendOnly):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get().action == "test.done"


def test_the_admin_site_shows_events_read_only(admin_client, bank_admin):
    event = record_audit(action="test.done", organization=bank_admin.organization)

    page = admin_client.get(reverse("admin:safety_auditevent_change", args=[event.pk]))
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert admin_client.get(reverse("admin:safety_auditevent_add")).status_code == 403
    admin_client.post(reverse("admin:safety_auditevent_delete", args=[event.pk]), {"post": "yes"})
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_role_changes_and_deactivations_are_audited(bank_admin):
    member = MembershipFactory(organization=bank_admin.organization)

    change_role(bank_admin, member, role=Role.MANAGER)
    deactivate_member(bank_admin, member)

    assert actions(bank_admin.organization) == ["member.role_changed", "member.deactivated"]
    changed = AuditEvent.objects.get(action="member.role_changed")
    assert changed.details == {"from": "learner", "to": "manager"}
    assert changed.actor == bank_admin.user


def test_invitations_are_audited_at_each_step(bank_admin, django_capture_on_commit_callbacks):
    from tests.people.factories import UserFactory

    with django_capture_on_commit_callbacks():
        accepted = send_invitation(bank_admin, email="a@example.org")
        declined = send_invitation(bank_admin, email="d@example.org")
        send_invitation(bank_admin, email="r@example.org")
    now = timezone.now()
    accept_invitation(accepted, UserFactory(email="a@example.org"), now)
    decline_invitation(declined, now)
    revoke_invitation(bank_admin, Invitation.objects.get(email="r@example.org"), now)

    assert actions(bank_admin.organization) == [
        "invitation.sent",
        "invitation.sent",
        "invitation.sent",
        "invitation.accepted",
        "invitation.declined",
        "invitation.revoked",
    ]


def test_roster_imports_are_audited(bank_admin, django_capture_on_commit_callbacks):
    from tests.people.test_roster_import import HEADER, checked_and_imported, csv_bytes

    done = checked_and_imported(
        bank_admin, csv_bytes([HEADER, ["ann@example.org"]]), django_capture_on_commit_callbacks
    )

    assert actions(bank_admin.organization) == ["roster.import_started", "roster.imported"]
    imported = AuditEvent.objects.get(action="roster.imported")
    assert imported.details == {"created_users": 1, "added_members": 1}
    assert imported.target_id == str(done.pk)
    assert RosterImport.objects.get().status == "done"


# --- The audit log page -------------------------------------------------------------------------


def test_an_admin_reads_their_organisations_events_newest_first(
    client, bank_admin, other_org_admin
):
    now = timezone.now()
    member = MembershipFactory(organization=bank_admin.organization)
    change_role(bank_admin, member, role=Role.MANAGER)
    deactivate_member(bank_admin, member)
    record_audit(organization=other_org_admin.organization, action="elsewhere.secret")
    client.force_login(bank_admin.user)

    page = client.get(reverse("audit_log", args=[bank_admin.organization.slug]))

    events = list(page.context["page"].object_list)
    assert [event.action for event in events] == ["member.deactivated", "member.role_changed"]
    assert "elsewhere.secret" not in page.content.decode()
    assert all(event.created_at <= timezone.now() and event.created_at >= now for event in events)
    assert "from: learner" in page.content.decode() and "to: manager" in page.content.decode()


def test_the_audit_log_is_paginated_in_a_fixed_number_of_queries(
    client, bank_admin, django_assert_num_queries
):
    organization = bank_admin.organization
    url = reverse("audit_log", args=[organization.slug])
    client.force_login(bank_admin.user)
    record_audit(actor=bank_admin.user, organization=organization, action="first.event")
    client.get(url)  # content types are cached once per process
    with django_assert_num_queries(4):  # user, membership, count, page (the session is cached)
        client.get(url)
    members = MembershipFactory.create_batch(3, organization=organization)
    for number in range(120):
        member = members[number % 3]
        record_audit(
            actor=member.user, organization=organization, action=f"bulk.{number}", target=member
        )

    with django_assert_num_queries(4):
        first = client.get(url)
    with django_assert_num_queries(4):
        last = client.get(f"{url}?page=3")

    assert len(first.context["page"].object_list) == 50
    assert [e.action for e in last.context["page"].object_list][-2:] == ["bulk.0", "first.event"]
    assert 'href="?page=2"' in first.content.decode()


def test_only_admins_see_the_audit_log_and_it_is_in_their_menu(client, bank_admin, educator):
    client.force_login(educator.user)
    assert client.get(reverse("audit_log", args=[educator.organization.slug])).status_code == 403

    client.force_login(bank_admin.user)
    home = client.get(reverse("organization_home", args=[bank_admin.organization.slug]))

    assert reverse("audit_log", args=[bank_admin.organization.slug]) in home.content.decode()


def test_another_organisations_audit_log_is_a_404(client, bank_admin, other_org_admin):
    client.force_login(other_org_admin.user)

    response = client.get(reverse("audit_log", args=[bank_admin.organization.slug]))

    assert response.status_code == 404


def test_old_events_are_purged_by_retention_only(bank_admin, settings):
    from training.privacy.retention import purge_expired_data

    settings.DATA_RETENTION_DAYS = 10
    now = timezone.now()
    AuditEvent.objects.create(created_at=now - timedelta(days=11), action="old.event")
    AuditEvent.objects.create(created_at=now - timedelta(days=9), action="recent.event")

    purge_expired_data(now=now)

    assert list(AuditEvent.objects.values_list("action", flat=True)) == ["recent.event"]
