"""Reads of a person's data across the platform, for export and erasure: the access gate for a
member's data and everything held about a person. Above every app whose rows it reads."""

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from awareness.safety.models import AuditEvent, RemovalRequest
from training.people.models import ADMIN_ROLES, Invitation, Membership, User
from training.progress.models import Answer

# --- Members' data, for their organisation ----------------------------------------------------


def member_for_privacy(actor: Membership, member_id: int) -> Membership:
    """The access gate for exporting or deleting a member: admins, for any member of their
    organisation; educators and managers, for members of the groups they lead. Another
    organisation's member (or none) is a 404."""
    member = (
        Membership.objects.filter(pk=member_id, organization_id=actor.organization_id)
        .select_related("user", "organization")
        .first()
    )
    if member is None:
        raise Http404("No such member.")
    if actor.role not in ADMIN_ROLES and not member.groups.filter(leader=actor).exists():
        raise PermissionDenied("Only admins, or the member's educator, can do this.")
    return member


# --- Personal data ----------------------------------------------------------------------------

EXPORT_FORMAT = "scam-awareness-personal-data/1"
# Never exported, even of one's own rows: secrets that only prove who one is.
SECRET_FIELDS = {
    "password",
    "token_hash",
    "session_key",
    "session_data",
    "session_hash",
    "code_hash",
}
# Relations that record what a person did to others, holding those others' personal data.
ABOUT_OTHERS = {("people.Invitation", "invited_by"), ("people.RosterImport", "created_by")}
# Rows the export lists in sections of their own, below.
EXPORTED_IN_SECTIONS = {
    "people.User",
    "people.Membership",
    "people.Group",
    "people.Invitation",
    "progress.Attempt",
    "progress.ModuleProgress",
    "progress.Certificate",
    "safety.RemovalRequest",
    "safety.AuditEvent",
}


def _row(instance) -> dict:
    return {
        field.attname: getattr(instance, field.attname)
        for field in instance._meta.concrete_fields
        if field.name not in SECRET_FIELDS
    }


def _rows(queryset, *fields: str) -> list[dict]:
    return [dict(row) for row in queryset.values(*fields)]


def relations_to_person():
    """Every concrete relation of every model to an account or a membership, as
    (model, field); how the export finds what it must cover."""
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if field.is_relation and field.concrete and field.related_model in (User, Membership):
                yield model, field


def audit_targets(person) -> Q:
    """Events done to the person, to one of their memberships or to an invitation to them."""

    def targets(model, ids) -> Q:
        ids = [str(pk) for pk in ids]
        return Q(target_type=ContentType.objects.get_for_model(model), target_id__in=ids)

    return (
        targets(User, [person.pk])
        | targets(Membership, person.memberships.values_list("pk", flat=True))
        | targets(Invitation, invitations_to(person).values_list("pk", flat=True))
    )


def audit_events_about(person):
    return AuditEvent.objects.filter(Q(actor=person) | audit_targets(person))


def invitations_to(person):
    to_address = Q(email__iexact=person.email) if person.email else Q(pk__in=[])
    return Invitation.objects.filter(to_address | Q(accepted_by=person))


def removal_requests_by(person):
    by_address = Q(contact_email__iexact=person.email) if person.email else Q(pk__in=[])
    return RemovalRequest.objects.filter(by_address | Q(filed_by=person))


def personal_data(person) -> dict:
    """Everything held about a person, ready for JSON: their account, memberships, attempts
    with answers, progress, certificates, invitations, removal requests, sign-in log, audit
    events, and any other row that refers to them."""
    attempts = _rows(
        person.attempts.order_by("started_at"),
        "id",
        "public_id",
        "module__slug",
        "module__language",
        "module__version",
        "module__title",
        "position",
        "started_at",
        "finished_at",
        "score",
    )
    answers: dict[int, list] = {}
    for answer in _rows(
        Answer.objects.filter(attempt__user=person).order_by("answered_at"),
        "id",
        "attempt_id",
        "question__prompt",
        "response",
        "is_correct",
        "score",
        "confidence",
        "seconds",
        "answered_at",
    ):
        answers.setdefault(answer.pop("attempt_id"), []).append(answer)
    for attempt in attempts:
        attempt["answers"] = answers.get(attempt["id"], [])
    memberships = _rows(
        person.memberships.order_by("created_at"),
        "id",
        "organization__name",
        "role",
        "is_active",
        "staff_note",
        "phone_number",
        "phone_confirmed_at",
        "created_at",
    )
    groups: dict[int, list] = {}
    for membership_id, group_id, name in person.memberships.values_list(
        "pk", "groups__pk", "groups__name"
    ):
        if group_id is not None:
            groups.setdefault(membership_id, []).append({"id": group_id, "name": name})
    for membership in memberships:
        membership["groups"] = groups.get(membership["id"], [])
    return {
        "format": EXPORT_FORMAT,
        "account": _row(person),
        "memberships": memberships,
        "attempts": attempts,
        "module_progress": _rows(
            person.module_progress.all(),
            "id",
            "module_slug",
            "status",
            "best_score",
            "completed_at",
            "updated_at",
        ),
        "certificates": _rows(
            person.certificates.all(),
            "id",
            "code",
            "name_on_certificate",
            "module_title",
            "score",
            "issued_at",
        ),
        "invitations": _rows(
            invitations_to(person),
            "id",
            "organization__name",
            "email",
            "role",
            "status",
            "created_at",
            "responded_at",
        ),
        "removal_requests": _rows(
            removal_requests_by(person),
            "id",
            "example_slug",
            "reason",
            "contact_email",
            "details",
            "status",
            "filed_at",
            "due_at",
            "decided_at",
            "decision_reason",
        ),
        "sign_in_log": _rows(
            AccessLog.objects.filter(username=person.get_username()),
            "attempt_time",
            "logout_time",
            "ip_address",
            "user_agent",
        )
        + _rows(
            AccessAttempt.objects.filter(username=person.get_username()),
            "attempt_time",
            "ip_address",
            "user_agent",
            "failures_since_start",
        )
        + _rows(
            AccessFailureLog.objects.filter(username=person.get_username()),
            "attempt_time",
            "ip_address",
            "user_agent",
            "locked_out",
        ),
        "audit_events": _rows(
            audit_events_about(person).order_by("created_at", "pk"),
            "id",
            "created_at",
            "action",
            "organization__name",
            "target_label",
            "details",
        ),
        "other_records": _other_records(person),
    }


def _other_records(person) -> dict[str, list[dict]]:
    """Rows of any other model that refer to the person or their memberships, field by field:
    nothing held about someone stays out of their export because nobody listed it here."""
    memberships = list(person.memberships.values_list("pk", flat=True))
    found: dict[str, dict] = {}
    for model, field in relations_to_person():
        label = model._meta.label
        if label in EXPORTED_IN_SECTIONS or (label, field.name) in ABOUT_OTHERS:
            continue
        is_account = field.related_model is type(person)
        lookup = {field.name: person} if is_account else {f"{field.name}__in": memberships}
        for row in model._default_manager.filter(**lookup).distinct():
            found.setdefault(label, {})[row.pk] = _row(row)
    return {label: list(rows.values()) for label, rows in sorted(found.items())}
