"""A learner's data: downloaded whole (checked table by table against every row that refers to
them), deleted leaving nothing (checked table by table), and purged after the retention
period by a nightly task."""

import json
from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from awareness.safety.models import AuditEvent, RemovalRequest
from tests.people.factories import PASSWORD, MembershipFactory, UserFactory
from tests.safety.conftest import removal_form
from tests.site.test_player import play_to_the_end, start
from training.campaigns.models import ClassAssignment
from training.people.models import (
    Group,
    Membership,
    Role,
    RosterImport,
    User,
)
from training.people.services import (
    accept_invitation,
    change_role,
    invite,
)
from training.privacy.retention import purge_expired_data
from training.privacy.selectors import relations_to_person
from training.progress.models import Answer, Attempt, Certificate, ModuleProgress

pytestmark = pytest.mark.django_db

# Distinctive words of the learner, searched for in every text column after deletion.
USERNAME, EMAIL, FIRST, LAST = "marisol-q", "marisol.quennell@example.net", "Marisol", "Quennell"


@pytest.fixture
def learner(client, educator, loaded_pack):
    """A pupil of Kowloon Primary with one of everything: an invitation she accepted, a role
    change, a class, an assignment, a finished module with its certificate, a removal request,
    sign-ins (one failed), an admin's edit of her account and a roster file naming her."""
    school = educator.organization
    owner = MembershipFactory(organization=school, role=Role.OWNER)
    user = UserFactory(username=USERNAME, email=EMAIL, first_name=FIRST, last_name=LAST)
    now = timezone.now()
    _invitation, token = invite(
        owner, email=EMAIL, role=Role.LEARNER, base_url="https://t.example", now=now
    )
    member = accept_invitation(token, user, now)
    change_role(owner, member, role=Role.LEARNER)
    Membership.objects.filter(pk=member.pk).update(staff_note=f"{FIRST} {LAST}, 4B")
    group = Group.objects.get(name="4B")
    group.members.add(member)
    assignment = ClassAssignment.objects.create(
        group=group,
        module_slug="parcel-fees",
        module_title="Parcel fees",
        starts_at=now - timedelta(days=1),
        due_at=now + timedelta(days=7),
    )
    assignment.learners.add(member)
    client.post(reverse("login"), {"username": USERNAME, "password": PASSWORD})
    Client().post(reverse("login"), {"username": USERNAME, "password": "wrong"})
    play_to_the_end(client, start(client))
    client.post(reverse("removal_request"), removal_form("parcel-fee-sms", reason="other"))
    LogEntry.objects.log_actions(
        owner.user.pk, [user], CHANGE, change_message="Reset", single_object=True
    )
    RosterImport.objects.create(
        organization=school,
        file_name="pupils.csv",
        rows=[{"row": 2, "email": EMAIL, "first_name": FIRST, "last_name": LAST}],
        problems=[{"row": 3, "message": f"“{EMAIL}” is already in row 2."}],
    )
    return user


def test_the_learner_fixture_has_one_of_everything(learner):
    assert Certificate.objects.filter(user=learner).exists()
    assert Answer.objects.filter(attempt__user=learner).count() == 5
    assert RemovalRequest.objects.filter(filed_by=learner).exists()
    assert AccessLog.objects.filter(username=USERNAME).exists()
    assert AccessAttempt.objects.filter(username=USERNAME).exists()  # the failed one
    assert AuditEvent.objects.filter(action="member.role_changed").exists()


def download(client) -> dict:
    response = client.post(reverse("my_data_download"))
    assert response.status_code == 200
    assert (
        response["Content-Disposition"] == f'attachment; filename="personal-data-{USERNAME}.json"'
    )
    return json.loads(response.content)


# The export's sections, by the model their rows come from.
SECTIONS = {
    "people.User": "account",
    "people.Membership": "memberships",
    "progress.Attempt": "attempts",
    "progress.ModuleProgress": "module_progress",
    "progress.Certificate": "certificates",
    "people.Invitation": "invitations",
    "safety.RemovalRequest": "removal_requests",
    "safety.AuditEvent": "audit_events",
}
ABOUT_OTHERS = {("people.Invitation", "invited_by"), ("people.RosterImport", "created_by")}


def exported_ids(data: dict, label: str) -> set:
    if label == "people.Group":
        return {g["id"] for m in data["memberships"] for g in m["groups"]}
    if label in SECTIONS:
        section = data[SECTIONS[label]]
        return {row["id"] for row in (section if isinstance(section, list) else [section])}
    return {row["id"] for row in data["other_records"].get(label, [])}


def test_the_download_holds_every_row_that_refers_to_the_learner_table_by_table(client, learner):
    data = download(client)

    memberships = list(Membership.objects.filter(user=learner).values_list("pk", flat=True))
    checked = []
    for model, field in relations_to_person():
        label = model._meta.label
        if (label, field.name) in ABOUT_OTHERS:
            continue
        own = field.related_model is User
        rows = model._default_manager.filter(
            **({field.name: learner} if own else {f"{field.name}__in": memberships})
        )
        expected = set(rows.values_list("pk", flat=True))
        assert expected <= exported_ids(data, label), (label, field.name)
        checked.append(label)
    assert {"progress.Attempt", "campaigns.ClassAssignment", "people.Group"} <= set(checked)
    for label in ("people.User", "people.Invitation", "safety.AuditEvent"):
        assert exported_ids(data, label)  # found by address or as a target, not by a key
    assert len(data["attempts"][0]["answers"]) == 5
    assert {entry["ip_address"] for entry in data["sign_in_log"]} == {"127.0.0.1"}
    assert len(data["sign_in_log"]) == 2  # the sign-in and the failed one
    assert "password" not in data["account"]
    assert data["account"]["first_name"] == FIRST


def test_the_download_is_audited_and_needs_a_post(client, learner):
    assert client.get(reverse("my_data_download")).status_code == 405

    data = download(client)

    assert "personal_data.exported" in [event["action"] for event in data["audit_events"]]


def test_an_anonymous_visitor_is_asked_to_log_in(client, db):
    assert client.post(reverse("my_data_download")).status_code == 302
    assert client.post(reverse("delete_my_account")).status_code == 302


# --- Deletion, checked table by table ---------------------------------------------------------


def leftovers(user_id: int, membership_ids: list[int], words: list[str]) -> list[str]:
    """Every row, of every table, that still refers to the person: by key, by a generic
    (content type, id) pair, by a word of theirs in any text, or in a live session."""
    found = []
    person_types = {
        ContentType.objects.get_for_model(User): {str(user_id)},
        ContentType.objects.get_for_model(Membership): {str(pk) for pk in membership_ids},
    }
    for model in apps.get_models(include_auto_created=True):
        label, fields = model._meta.label, model._meta.concrete_fields
        for field in fields:
            keys = {User: [user_id], Membership: membership_ids}.get(field.related_model)
            if keys and model._default_manager.filter(**{f"{field.attname}__in": keys}).exists():
                found.append(f"{label}.{field.name}")
        type_fields = [f for f in fields if f.is_relation and f.related_model is ContentType]
        id_fields = [f for f in fields if f.name in ("object_id", "target_id")]
        for type_field in type_fields:
            for id_field in id_fields:
                for content_type, ids in person_types.items():
                    if model._default_manager.filter(
                        **{type_field.attname: content_type.pk, f"{id_field.attname}__in": ids}
                    ).exists():
                        found.append(f"{label}.{id_field.name}")
        texts = [
            f.attname
            for f in fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
        ]
        for row in model._default_manager.values_list("pk", *texts):
            text = json.dumps(row[1:], default=str).casefold()
            found += [f"{label} #{row[0]}: {word}" for word in words if word.casefold() in text]
    for session in Session.objects.all():
        if session.get_decoded().get("_auth_user_id") == str(user_id):
            found.append(f"sessions.Session {session.pk}")
    return found


def test_deleting_an_account_leaves_no_row_about_the_person_in_any_table(client, learner):
    other_device = Client()
    other_device.force_login(learner)
    user_id = learner.pk
    memberships = list(Membership.objects.filter(user=learner).values_list("pk", flat=True))
    words = [USERNAME, EMAIL, FIRST, LAST]
    assert len(leftovers(user_id, memberships, words)) > 10  # the check finds them beforehand

    response = client.post(reverse("delete_my_account"), {"password": PASSWORD})

    assert response.status_code == 302
    assert leftovers(user_id, memberships, words) == []
    assert not client.session.get("_auth_user_id")
    assert not other_device.session.get("_auth_user_id")  # nor in the session cache


def test_the_audit_log_keeps_what_happened_but_not_who(client, learner):
    actions = set(AuditEvent.objects.values_list("action", flat=True))

    client.post(reverse("delete_my_account"), {"password": PASSWORD})

    assert set(AuditEvent.objects.values_list("action", flat=True)) == actions | {"account.deleted"}
    deleted = AuditEvent.objects.get(action="account.deleted")
    assert (deleted.actor, deleted.target_label, deleted.details) == (None, "", {"by": "self"})
    role = AuditEvent.objects.get(action="member.role_changed")
    assert role.actor is not None and role.target_id == "" and role.target_label == ""


def test_deleting_needs_the_password_and_changes_nothing_without_it(client, learner):
    response = client.post(reverse("delete_my_account"), {"password": "guess"})

    assert response.status_code == 400
    assert "That is not your password" in response.content.decode()
    assert User.objects.filter(pk=learner.pk).exists()
    assert Attempt.objects.filter(user=learner).exists()


def test_a_classroom_account_is_deleted_by_its_educator_not_by_the_child(client, educator):
    from training.people.services import create_students

    group = Group.objects.get(name="4B")
    [(student, password)] = create_students(educator, group, count=1, age_band="under-13")
    client.force_login(student.user)

    page = client.get(reverse("my_data")).content.decode()
    refused = client.post(reverse("delete_my_account"), {"password": password})

    assert "your teacher can delete it" in page
    assert refused.status_code == 400 and User.objects.filter(pk=student.user_id).exists()
    client.force_login(educator.user)
    url = reverse("member_delete", args=[educator.organization.slug, student.pk])
    assert client.post(url).status_code == 302
    assert not User.objects.filter(pk=student.user_id).exists()
    event = AuditEvent.objects.get(action="account.deleted")
    assert event.organization == educator.organization and event.actor == educator.user


def test_an_educator_cannot_touch_a_member_outside_their_classes(client, educator):
    outsider = MembershipFactory(organization=educator.organization)
    client.force_login(educator.user)

    for name in ("member_data", "member_data_download", "member_delete"):
        url = reverse(name, args=[educator.organization.slug, outsider.pk])
        response = client.post(url) if name != "member_data" else client.get(url)
        assert response.status_code == 403, name
    assert User.objects.filter(pk=outsider.user_id).exists()


def test_an_admin_downloads_and_deletes_a_member_of_their_organisation_only(
    client, bank_admin, other_org_admin
):
    member = MembershipFactory(organization=bank_admin.organization)
    shared = MembershipFactory(organization=bank_admin.organization)
    MembershipFactory(organization=other_org_admin.organization, user=shared.user)
    client.force_login(bank_admin.user)
    org = bank_admin.organization.slug

    data = json.loads(client.post(reverse("member_data_download", args=[org, member.pk])).content)
    refused = client.post(reverse("member_data_download", args=[org, shared.pk]), follow=True)
    kept = client.post(reverse("member_delete", args=[org, shared.pk]), follow=True)

    assert data["account"]["username"] == member.user.username
    assert "also belongs to another organisation" in refused.content.decode()
    assert "also belongs to another organisation" in kept.content.decode()
    assert User.objects.filter(pk=shared.user_id).exists()
    event = AuditEvent.objects.get(action="personal_data.exported")
    assert (event.organization, event.actor) == (bank_admin.organization, bank_admin.user)
    client.post(reverse("member_delete", args=[org, member.pk]))
    assert not User.objects.filter(pk=member.user_id).exists()
    client.force_login(other_org_admin.user)
    assert client.post(reverse("member_delete", args=[org, shared.pk])).status_code == 404


def test_an_admin_cannot_delete_themselves_or_an_owner_this_way(client, bank_admin):
    owner = MembershipFactory(organization=bank_admin.organization, role=Role.OWNER)
    client.force_login(bank_admin.user)
    org = bank_admin.organization.slug

    for member in (bank_admin, owner):
        client.post(reverse("member_delete", args=[org, member.pk]))

    assert User.objects.filter(pk__in=[bank_admin.user_id, owner.user_id]).count() == 2


# --- Retention ----------------------------------------------------------------------------------


def test_data_older_than_the_retention_period_is_purged_and_a_second_run_purges_nothing(
    client, learner, settings
):
    settings.DATA_RETENTION_DAYS = 30
    now = timezone.now()
    old = now - timedelta(days=31)
    kept_attempt = Attempt.objects.get(user=learner)  # has a certificate: kept, without answers
    Attempt.objects.filter(pk=kept_attempt.pk).update(started_at=old)
    Answer.objects.filter(attempt=kept_attempt).update(answered_at=old)
    play_to_the_end(client, start(client))  # a new attempt: kept whole
    stale = Attempt.objects.create(
        module=kept_attempt.module, learner_key="anon", started_at=old, step_shown_at=old
    )
    AuditEvent.objects.create(created_at=old, action="old.event")
    for log in (AccessLog, AccessFailureLog, AccessAttempt):
        log.objects.filter(username=USERNAME).update(attempt_time=old)
    RosterImport.objects.update(created_at=old)
    removal = RemovalRequest.objects.get()
    RemovalRequest.objects.filter(pk=removal.pk).update(decided_at=old, status="rejected")

    purged = purge_expired_data(now=now)

    assert purged == {
        "answers": 5,
        "attempts": 1,
        "audit_events": 1,
        "roster_imports": 1,
        "removal_contacts": 1,
        "expired_sessions": 0,
        "sign_in_logs": 2,
    }
    assert not Attempt.objects.filter(pk=stale.pk).exists()
    assert Attempt.objects.filter(pk=kept_attempt.pk).exists()
    assert not Answer.objects.filter(attempt=kept_attempt).exists()
    assert Answer.objects.filter(attempt__user=learner).count() == 5  # the new attempt's
    assert ModuleProgress.objects.filter(user=learner).exists()
    removal.refresh_from_db()
    assert (removal.contact_email, removal.status) == ("", "rejected")
    assert set(purge_expired_data(now=now).values()) == {0}


def test_the_purge_runs_nightly_from_celery_beat():
    from celery.schedules import crontab
    from django.conf import settings

    from training.privacy.tasks import purge_expired_data as purge_expired_data_task

    entry = settings.CELERY_BEAT_SCHEDULE["purge-expired-data"]

    assert entry["task"] == purge_expired_data_task.name
    assert entry["schedule"] == crontab(hour=3, minute=30)
    assert settings.DATA_RETENTION_DAYS == 730


@pytest.mark.django_db(transaction=True)
def test_the_purge_task_runs_in_a_real_worker(celery_worker, settings):
    from tests.conftest import wait_until
    from training.privacy.tasks import purge_expired_data as purge_expired_data_task

    queue, worker = celery_worker
    long_ago = timezone.now() - timedelta(days=800)
    AuditEvent.objects.create(created_at=long_ago, action="old.event")

    purge_expired_data_task.apply_async(queue=queue)

    wait_until(
        lambda: not AuditEvent.objects.filter(action="old.event").exists(),
        timeout=45,
        worker=worker,
    )
