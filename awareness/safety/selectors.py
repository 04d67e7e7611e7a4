"""Reads of the safety side. `shown_examples` is the one rule of what may be shown: every
learner-facing content selector applies it, computed in the query itself so a revocation or a
removal request takes effect on the very next read."""

from dataclasses import dataclass
from datetime import datetime

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


# --- Audit log --------------------------------------------------------------------------------


def audit_log(organization, *, page: int = 1):
    """One organisation's events, newest first: two queries a page, whatever its length."""
    events = (
        AuditEvent.objects.filter(organization=organization)
        .select_related("actor", "target_type")
        .order_by("-created_at", "-pk")
    )
    return Paginator(events, AUDIT_PAGE_SIZE).get_page(page)


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
