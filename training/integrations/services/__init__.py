"""Integrations writes, split by sub-domain; import from here."""

from datetime import datetime

from training.integrations.models import Statement, WebhookDelivery
from training.integrations.services import outbox
from training.integrations.services.records import (
    configure_learning_record_store,
    deliver_statements,
    export_statements,
    learning_record_store_of,
    queue_statements,
)
from training.integrations.services.webhooks import (
    create_webhook,
    delete_webhook,
    deliver_webhooks,
    queue_webhook_event,
    signature,
    switch_webhook,
)


def dispatch_integrations(*, now: datetime) -> None:
    """The tick's share: hand back stalled rows, then claim what is due and enqueue it."""
    # the tasks module imports this one: imported when the work is queued
    from training.integrations import tasks

    outbox.release_stalled(Statement, now=now)
    outbox.release_stalled(WebhookDelivery, now=now)
    outbox.claim_due(Statement, now=now, enqueue=tasks.deliver_statements.delay)
    outbox.claim_due(WebhookDelivery, now=now, enqueue=tasks.deliver_webhooks.delay)


__all__ = [
    "configure_learning_record_store",
    "create_webhook",
    "delete_webhook",
    "deliver_statements",
    "deliver_webhooks",
    "dispatch_integrations",
    "export_statements",
    "learning_record_store_of",
    "queue_statements",
    "queue_webhook_event",
    "signature",
    "switch_webhook",
]
