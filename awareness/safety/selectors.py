"""Reads of the safety side. `shown_examples` is the one rule of what may be shown: every
learner-facing content selector applies it, computed in the query itself so a revocation or a
removal request takes effect on the very next read."""

from dataclasses import dataclass
from datetime import datetime

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Min, Q
from django.http import Http404

from awareness.content.models import Example
from awareness.safety.models import (
    HIDING_STATUSES,
    OPEN_STATUSES,
    AuditEvent,
    ConsentRecord,
    RemovalRequest,
    RemovalStatus,
)
from training.people.models import ADMIN_ROLES, Invitation, Membership, User
from training.progress.models import Answer

AUDIT_PAGE_SIZE = 50


def shown_examples(now: datetime) -> Q:
    """Examples that depict no real person or whose consent is valid now, and that no removal
    request hides (in any of their languages or versions)."""
    consent_valid = Q(
        Q(consent__expires_at__isnull=True) | Q(consent__expires_at__gt=now),
        consent__granted_at__lte=now,
        consent__revoked_at__isnull=True,
    )
    hidden_slugs = RemovalRequest.objects.filter(status__in=HIDING_STATUSES).values("example_slug")
    return (Q(depicts_real_person=False) | consent_valid) & ~Q(slug__in=hidden_slugs)


def next_consent_change(now: datetime) -> datetime | None:
    """When a consent next starts or ends by the clock alone: what was shown may change then."""
    moments = ConsentRecord.objects.aggregate(
        starts=Min("granted_at", filter=Q(granted_at__gt=now)),
        ends=Min("expires_at", filter=Q(expires_at__gt=now)),
    )
    return min((moment for moment in moments.values() if moment is not None), default=None)


# --- Removal requests -------------------------------------------------------------------------


def require_reviewer(user) -> None:
    """Removal requests and consent are the platform staff's (Django is_staff) to decide."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        raise PermissionDenied("Only the platform's staff review removal requests.")


def removal_queue(*, status: str = "", page: int = 1):
    """Open requests (or those of one status), soonest deadline first; two queries a page."""
    statuses = {status} if status else OPEN_STATUSES
    requests = RemovalRequest.objects.filter(status__in=statuses).select_related("example")
    return Paginator(requests.order_by("due_at", "pk"), AUDIT_PAGE_SIZE).get_page(page)


def removal_request_for(user, request_id: int) -> RemovalRequest:
    require_reviewer(user)
    removal = (
        RemovalRequest.objects.select_related("example", "filed_by").filter(pk=request_id).first()
    )
    if removal is None:
        raise Http404("No such removal request.")
    return removal


def removal_filed_in_session(removal_id) -> RemovalRequest | None:
    """The request this browser just filed, for its confirmation page."""
    if not isinstance(removal_id, int):
        return None
    return RemovalRequest.objects.select_related("example").filter(pk=removal_id).first()


def removal_history(removal: RemovalRequest) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(
            target_type=ContentType.objects.get_for_model(RemovalRequest),
            target_id=str(removal.pk),
        )
        .select_related("actor")
        .order_by("created_at", "pk")
    )


# --- Consent ----------------------------------------------------------------------------------


def consents_for_review():
    return ConsentRecord.objects.annotate(uses=Count("examples")).order_by("key")


def consent_for(user, consent_id: int) -> ConsentRecord:
    require_reviewer(user)
    consent = ConsentRecord.objects.filter(pk=consent_id).first()
    if consent is None:
        raise Http404("No such consent record.")
    return consent


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


# --- Audit log --------------------------------------------------------------------------------


def audit_log(organization, *, page: int = 1):
    """One organisation's events, newest first: two queries a page, whatever its length."""
    events = (
        AuditEvent.objects.filter(organization=organization)
        .select_related("actor", "target_type")
        .order_by("-created_at", "-pk")
    )
    return Paginator(events, AUDIT_PAGE_SIZE).get_page(page)


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


# --- Transparency -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Generator:
    name: str
    examples: int
    methods: list[str]


@dataclass(frozen=True)
class ContentFacts:
    examples: int
    synthetic: int
    real_people: int
    generators: list[Generator]
    removed: int


def content_facts(examples: list[Example]) -> ContentFacts:
    """What the transparency page says about the examples the museum shows today (one per
    slug, in the visitor's language), read from their provenance records."""
    slugs: dict[str, set[str]] = {}
    methods: dict[str, dict[str, None]] = {}  # ordered and unique
    for example in examples:
        generator = example.provenance.get("generator") if example.synthetic else None
        if generator:
            slugs.setdefault(generator, set()).add(example.slug)
            methods.setdefault(generator, {})[example.provenance.get("method", "")] = None
    return ContentFacts(
        examples=len(examples),
        synthetic=sum(example.synthetic for example in examples),
        real_people=sum(example.depicts_real_person for example in examples),
        generators=sorted(
            (
                Generator(name, len(slugs[name]), [method for method in methods[name] if method])
                for name in slugs
            ),
            key=lambda generator: (-generator.examples, generator.name),
        ),
        removed=RemovalRequest.objects.filter(status=RemovalStatus.REMOVED)
        .values("example_slug")
        .distinct()
        .count(),
    )
