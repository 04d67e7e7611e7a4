"""The named campaign signals become webhook deliveries (one-way fan-out, after commit)."""

from django.utils import timezone

from training.campaigns import signals
from training.integrations.models import WebhookEvent
from training.integrations.services import queue_webhook_event

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
