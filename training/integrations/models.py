"""Per-organisation connections to other systems, and their outboxes: one row per statement
or webhook delivery, claimed before sending, so a retry never sends anything twice."""

import base64
import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from training.people.models import Membership, Organization
from training.progress.models import Attempt


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Gave up")


class OutboxRow(models.Model):
    """Claimed by the tick (PENDING -> SENDING), sent by a worker; retries wait in the database."""

    status = models.CharField(
        max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.PENDING
    )
    not_before = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        abstract = True


def new_pseudonym_salt() -> str:
    return secrets.token_hex(32)


class LearningRecordStore(models.Model):
    """Where an organisation's learning records go (xAPI 1.0.3), and how learners are named."""

    organization = models.OneToOneField(
        Organization, on_delete=models.CASCADE, related_name="learning_record_store"
    )
    endpoint = models.URLField(_("LRS endpoint"), max_length=500, blank=True)
    key = models.CharField(_("key"), max_length=200, blank=True)
    # Needed in clear to sign in to the LRS; never shown back in full.
    secret = models.CharField(_("secret"), max_length=200, blank=True)
    identify_by_email = models.BooleanField(
        _("identify learners by e-mail address instead of a pseudonym"), default=False
    )
    is_enabled = models.BooleanField(_("send learning records"), default=False)
    # Pseudonyms are keyed with this per-organisation salt: stable, and unlinkable across
    # organisations.
    pseudonym_salt = models.CharField(max_length=64, default=new_pseudonym_salt, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"LRS of {self.organization}"


class Statement(OutboxRow):
    """One xAPI statement for one organisation's LRS; its id is derived, never random."""

    statement_id = models.UUIDField(unique=True)
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="statements", db_index=False
    )
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="statements")
    verb = models.CharField(max_length=20)
    body = models.JSONField()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "not_before"]),
            models.Index(fields=["organization", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.verb} {self.statement_id} ({self.status})"


class WebhookEvent(models.TextChoices):
    CAMPAIGN_COMPLETED = "campaign.completed", _("Campaign completed")
    ASSIGNMENT_OVERDUE = "assignment.overdue", _("Assignments overdue")
    LURE_REPORTED = "lure.reported", _("Simulated scam reported")


def new_webhook_secret() -> str:
    """As Standard Webhooks writes secrets: "whsec_" and the base64 of 32 random bytes."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


class WebhookSubscription(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="webhook_subscriptions"
    )
    url = models.URLField(_("address"), max_length=500)
    events = models.JSONField(_("events"), default=list)  # WebhookEvent values
    # Signs every delivery; shown once when the subscription is created.
    secret = models.CharField(max_length=80, default=new_webhook_secret, editable=False)
    is_enabled = models.BooleanField(_("enabled"), default=True)
    created_by = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["organization", "-created_at"]

    def __str__(self) -> str:
        return self.url

    def event_labels(self) -> list[str]:
        return [str(WebhookEvent(e).label) for e in self.events if e in WebhookEvent.values]


class WebhookDelivery(OutboxRow):
    """One event for one subscription; the pair is unique, so an event is delivered once."""

    subscription = models.ForeignKey(
        WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries", db_index=False
    )
    event_id = models.UUIDField()
    event_type = models.CharField(max_length=40, choices=WebhookEvent.choices)
    body = models.TextField()  # the exact JSON that is signed and sent

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "event_id"], name="webhook_event_once_per_subscription"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "not_before"]),
            models.Index(fields=["subscription", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} {self.event_id} ({self.status})"
