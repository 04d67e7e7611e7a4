"""The named campaign signals become webhook deliveries (one-way fan-out, after commit), and a
finished attempt becomes learning records."""

from django.utils import timezone

from training.campaigns import signals
from training.integrations.models import WebhookEvent
from training.integrations.services import queue_statements, queue_webhook_event
from training.progress.signals import attempt_completed

EVENTS = {
    signals.campaign_completed: WebhookEvent.CAMPAIGN_COMPLETED,
    signals.assignment_overdue: WebhookEvent.ASSIGNMENT_OVERDUE,
    signals.lure_reported: WebhookEvent.LURE_REPORTED,
}


def _receiver_for(event_type: str):
    def queue(sender, *, organization, payload, key=None, **kwargs):
        queue_webhook_event(
            event_type, organization=organization, payload=payload, key=key, now=timezone.now()
        )

    return queue


for signal, event_type in EVENTS.items():
    signal.connect(_receiver_for(event_type), weak=False, dispatch_uid=f"webhook:{event_type}")


def _queue_statements(sender, *, attempt, **kwargs) -> None:
    queue_statements(attempt, now=timezone.now())


attempt_completed.connect(_queue_statements, dispatch_uid="integrations:statements")
