"""Webhooks: each event becomes one outbox row per subscription that wants it, delivered by
Celery as a signed JSON POST. Receivers verify the signature and drop repeated event ids."""

import base64
import binascii
import hashlib
import hmac
import json
import uuid
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from awareness.safety.services import record_audit
from training.integrations import outbound
from training.integrations.models import WebhookDelivery, WebhookSubscription
from training.integrations.services.outbox import claimed, record_failure, record_sent
from training.people.models import Membership
from training.people.selectors import require_admin

EVENT_NAMESPACE = uuid.UUID("0c9b5f0e-7d3c-4b0b-8d36-3a9a5a1f6e22")
SIGNATURE_VERSION = "v1"


@transaction.atomic
def create_webhook(membership: Membership, *, url: str, events: list[str], now: datetime):
    """A new subscription with a fresh secret, which the admin sees only now."""
    require_admin(membership)
    subscription = WebhookSubscription.objects.create(
        organization=membership.organization,
        url=url,
        events=sorted(events),
        created_by=membership,
        created_at=now,
    )
    record_audit(
        actor=membership.user,
        organization=membership.organization,
        action="integrations.webhook_created",
        target=subscription,
        details={"events": subscription.events},
    )
    return subscription


@transaction.atomic
def switch_webhook(membership: Membership, subscription, *, enabled: bool) -> None:
    require_admin(membership)
    subscription.is_enabled = enabled
    subscription.save(update_fields=["is_enabled"])
    record_audit(
        actor=membership.user,
        organization=membership.organization,
        action="integrations.webhook_enabled" if enabled else "integrations.webhook_disabled",
        target=subscription,
    )


@transaction.atomic
def delete_webhook(membership: Membership, subscription) -> None:
    require_admin(membership)
    record_audit(
        actor=membership.user,
        organization=membership.organization,
        action="integrations.webhook_deleted",
        target=subscription,
    )
    subscription.delete()


def event_id(event_type: str, payload: dict, key: str | None) -> uuid.UUID:
    """Derived from the sender's key (or the payload itself): the same event twice is one."""
    name = key or json.dumps(payload, sort_keys=True, default=str)
    return uuid.uuid5(EVENT_NAMESPACE, f"{event_type}:{name}")


def queue_webhook_event(
    event_type: str, *, organization, payload: dict, key: str | None = None, now: datetime
) -> int:
    """One delivery per enabled subscription to this event; repeats are left out by the
    unique (subscription, event) pair."""
    subscriptions = [
        s
        for s in WebhookSubscription.objects.filter(organization=organization, is_enabled=True)
        if event_type in s.events
    ]
    if not subscriptions:
        return 0
    identifier = event_id(event_type, payload, key)
    body = json.dumps(
        {"id": str(identifier), "type": event_type, "created": now.isoformat(), "data": payload},
        default=str,
        ensure_ascii=False,
    )
    WebhookDelivery.objects.bulk_create(
        [
            WebhookDelivery(
                subscription=subscription,
                event_id=identifier,
                event_type=event_type,
                body=body,
                not_before=now,
                created_at=now,
            )
            for subscription in subscriptions
        ],
        ignore_conflicts=True,
    )
    return len(subscriptions)


def signature(secret: str, message_id: str, timestamp: str, body: bytes) -> str:
    """Standard Webhooks' v1: base64 HMAC-SHA256, keyed by the secret's base64-decoded bytes,
    over "<id>.<timestamp>.<body>", as sent in Webhook-Signature."""
    signed = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(signing_key(secret), signed, hashlib.sha256).digest()
    return f"{SIGNATURE_VERSION},{base64.b64encode(digest).decode()}"


def signing_key(secret: str) -> bytes:
    """The key a "whsec_" secret encodes. A secret made before secrets were base64 (it does not
    decode) signs with its own bytes until its webhook is created again."""
    try:
        return base64.b64decode(secret.removeprefix("whsec_"), validate=True)
    except binascii.Error:
        return secret.encode()


def deliver_webhooks(delivery_ids: list[int]) -> int:
    """POST each claimed delivery, freshly signed; returns how many were accepted."""
    accepted = 0
    for delivery in claimed(WebhookDelivery, delivery_ids).select_related("subscription"):
        subscription = delivery.subscription
        body = delivery.body.encode()
        timestamp = str(int(timezone.now().timestamp()))
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "ScamAwareness-Webhooks/1",
            "Webhook-Id": str(delivery.event_id),
            "Webhook-Event": delivery.event_type,
            "Webhook-Timestamp": timestamp,
            "Webhook-Signature": signature(
                subscription.secret, str(delivery.event_id), timestamp, body
            ),
        }
        try:
            if not subscription.is_enabled:
                raise outbound.DeliveryFailed("the webhook is disabled", transient=False)
            status = outbound.send("POST", subscription.url, body, headers)
        except outbound.DeliveryFailed as error:
            record_failure(delivery, error)
        else:
            accepted += record_sent(delivery, status)
    return accepted
