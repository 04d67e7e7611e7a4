"""Reads of the integrations pages, each behind the organisation's own gate."""

from collections import defaultdict
from datetime import datetime

from django.db.models import Count, Prefetch, Q
from django.http import Http404

from awareness.content.models import Module
from training.campaigns.selectors.classes import set_by_organization
from training.integrations.models import (
    LearningRecordStore,
    OutboxStatus,
    Statement,
    WebhookDelivery,
    WebhookSubscription,
)
from training.people.models import AgeBand, Membership
from training.progress.models import Answer, Attempt

RECENT_DELIVERIES = 50


def subscriptions_of(membership: Membership) -> list[WebhookSubscription]:
    return list(
        WebhookSubscription.objects.filter(organization_id=membership.organization_id).annotate(
            failed=Count("deliveries", filter=Q(deliveries__status=OutboxStatus.FAILED)),
            waiting=Count("deliveries", filter=Q(deliveries__status=OutboxStatus.PENDING)),
        )
    )


def subscription_for(membership: Membership, subscription_id: int) -> WebhookSubscription:
    """Another organisation's (or a missing) subscription is a 404."""
    subscription = WebhookSubscription.objects.filter(
        pk=subscription_id, organization_id=membership.organization_id
    ).first()
    if subscription is None:
        raise Http404("No such webhook.")
    return subscription


def recent_deliveries(subscription: WebhookSubscription) -> list[WebhookDelivery]:
    return list(subscription.deliveries.defer("body")[:RECENT_DELIVERIES])


def statement_counts(membership: Membership) -> dict[str, int]:
    rows = (
        Statement.objects.filter(organization_id=membership.organization_id)
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {status: n for status, n in rows}


def recorded_learners(organization_id):
    """Members whose attempts an organisation may record: active adults with accounts of
    their own (children and anonymous learners never are)."""
    return Membership.objects.filter(
        organization_id=organization_id,
        is_active=True,
        user__age_band=AgeBand.ADULT,
        user__is_pseudonymous=False,
    )


def stores_recording(attempt: Attempt) -> list[LearningRecordStore]:
    """The enabled LRSs of organisations that set this module for this learner."""
    user = attempt.user
    if user is None or user.age_band != AgeBand.ADULT or user.is_pseudonymous:
        return []
    stores = LearningRecordStore.objects.filter(
        is_enabled=True,
        organization__memberships__user=user,
        organization__memberships__is_active=True,
    ).select_related("organization")
    return [
        store
        for store in stores
        if Attempt.objects.filter(pk=attempt.pk)
        .filter(set_by_organization(store.organization_id))
        .exists()
    ]


def attempts_to_record(organization_id, start: datetime, end: datetime):
    """Finished attempts in [start, end) that the organisation may record, ready to build."""
    learners = recorded_learners(organization_id).values("user_id")
    return (
        Attempt.objects.filter(finished_at__gte=start, finished_at__lt=end, user_id__in=learners)
        .filter(set_by_organization(organization_id))
        .select_related("module", "user")
        .prefetch_related(answers_with_questions())
        .order_by("finished_at", "pk")
    )


def answers_with_questions() -> Prefetch:
    """What statements_for reads of an attempt's answers, in one query per batch."""
    return Prefetch("answers", queryset=Answer.objects.select_related("question").order_by("pk"))


def module_titles(slugs) -> dict[str, dict[str, str]]:
    """{slug: {language: title}} of the current versions."""
    titles: dict[str, dict[str, str]] = defaultdict(dict)
    rows = Module.objects.filter(slug__in=set(slugs), is_current=True).values_list(
        "slug", "language", "title"
    )
    for slug, language, title in rows:
        titles[slug][language] = title
    return titles
