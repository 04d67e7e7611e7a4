"""Learning records: an LRS configured by an organisation's admin, statements queued when an
attempt is finished, sent by Celery with PUT (idempotent in the LRS by statement id)."""

import base64
import json
from collections.abc import Iterator
from datetime import datetime

from django.db import transaction
from django.db.models import prefetch_related_objects

from awareness.safety.services import record_audit
from training.integrations import outbound
from training.integrations.models import LearningRecordStore, Statement
from training.integrations.selectors import (
    answers_with_questions,
    attempts_to_record,
    module_titles,
    stores_recording,
)
from training.integrations.services.outbox import claimed, record_failure, record_sent
from training.integrations.statements import XAPI_VERSION, statements_for
from training.people.models import Membership
from training.people.selectors import require_admin

EXPORT_CHUNK = 500


def learning_record_store_of(membership: Membership) -> LearningRecordStore:
    store, _created = LearningRecordStore.objects.select_related("organization").get_or_create(
        organization=membership.organization
    )
    return store


@transaction.atomic
def configure_learning_record_store(
    membership: Membership, store: LearningRecordStore, *, changed: list[str]
) -> LearningRecordStore:
    """Save the form's changes; the audit says which settings changed, never the secret."""
    require_admin(membership)
    store.save()
    record_audit(
        actor=membership.user,
        organization=membership.organization,
        action="integrations.lrs_configured",
        target=store,
        details={"changed": sorted(changed), "enabled": store.is_enabled},
    )
    return store


def queue_statements(attempt, *, now: datetime) -> int:
    """Outbox rows for every LRS that records this finished attempt; a row already queued
    (same deterministic id) stays as it is."""
    stores = stores_recording(attempt)
    if not stores:
        return 0
    prefetch_related_objects([attempt], answers_with_questions())
    titles = module_titles([attempt.module.slug]).get(attempt.module.slug, {})
    rows = [
        Statement(
            statement_id=body["id"],
            organization_id=store.organization_id,
            attempt=attempt,
            verb=verb,
            body=body,
            not_before=now,
            created_at=now,
        )
        for store in stores
        for verb, body in statements_for(store, attempt, titles)
    ]
    Statement.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def deliver_statements(statement_ids: list[int]) -> int:
    """PUT each claimed statement to its organisation's LRS; returns how many were stored."""
    rows = list(
        claimed(Statement, statement_ids).select_related("organization__learning_record_store")
    )
    stored = 0
    for row in rows:
        store = row.organization.learning_record_store
        try:
            if not store.is_enabled or not store.endpoint:
                raise outbound.DeliveryFailed("the LRS is switched off", transient=False)
            status = outbound.send(
                "PUT",
                f"{store.endpoint.rstrip('/')}/statements?statementId={row.statement_id}",
                json.dumps(row.body).encode(),
                _headers(store),
            )
        except outbound.DeliveryFailed as error:
            record_failure(row, error)
        else:
            stored += record_sent(row, status)
    return stored


def _headers(store: LearningRecordStore) -> dict[str, str]:
    credentials = base64.b64encode(f"{store.key}:{store.secret}".encode()).decode()
    return {
        "Authorization": f"Basic {credentials}",
        "X-Experience-API-Version": XAPI_VERSION,
        "Content-Type": "application/json",
    }


def export_statements(store: LearningRecordStore, start: datetime, end: datetime) -> Iterator[str]:
    """JSON lines of every statement of the period, built on the fly in chunks."""
    attempts = attempts_to_record(store.organization_id, start, end)
    titles: dict[str, dict[str, str]] = {}  # one query per module met, not per attempt
    for attempt in attempts.iterator(chunk_size=EXPORT_CHUNK):
        slug = attempt.module.slug
        if slug not in titles:
            titles[slug] = module_titles([slug]).get(slug, {})
        for _verb, body in statements_for(store, attempt, titles[slug]):
            yield json.dumps(body, ensure_ascii=False) + "\n"
