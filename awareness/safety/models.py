"""Consent of the people an example depicts, removal requests, and the append-only audit log."""

from datetime import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class Likeness(models.TextChoices):
    """What of a real person an example shows or imitates."""

    FACE = "face", _("Face")
    VOICE = "voice", _("Voice")
    NAME = "name", _("Name")


class ConsentQuerySet(models.QuerySet):
    def valid_at(self, now: datetime):
        return self.filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now),
            granted_at__lte=now,
            revoked_at__isnull=True,
        )


class ConsentRecord(models.Model):
    """A real person's permission to show their face, voice or name. Declared in a pack's
    consents.yaml; revoked here (a revocation survives reloading the pack)."""

    key = models.SlugField(_("id"), unique=True)
    person = models.CharField(_("who is depicted"), max_length=200)
    likeness = models.JSONField(_("what is shown"), default=list)  # values of Likeness
    permitted_use = models.TextField(_("permitted use"))
    obtained_how = models.TextField(_("how consent was obtained"))
    granted_at = models.DateTimeField(_("granted"))
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revocation_reason = models.TextField(_("reason for revocation"), blank=True)
    pack = models.CharField(max_length=100, blank=True)

    objects = ConsentQuerySet.as_manager()

    class Meta:
        ordering = ["key"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__isnull=True)
                | models.Q(expires_at__gt=models.F("granted_at")),
                name="consent_expires_after_grant",
            ),
        ]

    def __str__(self) -> str:
        return self.key

    def is_valid_at(self, now: datetime) -> bool:
        return (
            self.granted_at <= now
            and self.revoked_at is None
            and (self.expires_at is None or self.expires_at > now)
        )

    def likeness_labels(self) -> list[str]:
        return [str(Likeness(value).label) for value in self.likeness if value in Likeness.values]


class RemovalReason(models.TextChoices):
    LIKENESS = "likeness", _("It shows my face or likeness")
    VOICE = "voice", _("It uses my voice")
    HARMFUL = "harmful", _("It is harmful")
    OTHER = "other", _("Another reason")


# A request about one's own likeness or voice hides the item at once, pending review: where
# the example is recorded as depicting a real person, or once the requester has confirmed
# their address; and never more often than the platform-wide hourly cap allows.
HIDES_AT_ONCE = {RemovalReason.LIKENESS, RemovalReason.VOICE}


class RemovalStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    HIDDEN = "hidden", _("Hidden pending review")
    REMOVED = "removed", _("Removed")
    REJECTED = "rejected", _("Rejected")


OPEN_STATUSES = {RemovalStatus.RECEIVED, RemovalStatus.HIDDEN}
HIDING_STATUSES = {RemovalStatus.HIDDEN, RemovalStatus.REMOVED}


class RemovalRequest(models.Model):
    """Anyone's request to take an example down. It covers the example in every language and
    version (they share the slug)."""

    example = models.ForeignKey(
        "content.Example", on_delete=models.PROTECT, related_name="removal_requests"
    )
    example_slug = models.SlugField(db_index=True)
    reason = models.CharField(_("reason"), max_length=10, choices=RemovalReason.choices)
    contact_email = models.EmailField(_("your e-mail address"), blank=True)
    details = models.TextField(_("details"), blank=True)
    language = models.CharField(max_length=10, default="en")  # of the e-mails to the requester
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="removal_requests",
    )
    status = models.CharField(
        max_length=10, choices=RemovalStatus.choices, default=RemovalStatus.RECEIVED
    )
    filed_at = models.DateTimeField()
    due_at = models.DateTimeField(_("decide by"))
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    # Reminders to staff claimed so far: 1 as the deadline nears, 2 once it has passed.
    reminders_sent = models.PositiveSmallIntegerField(default=0)
    # When the requester opened the link e-mailed to the contact address.
    contact_confirmed_at = models.DateTimeField(null=True, blank=True)
    # When the request hid its example without a reviewer (counted against the hourly cap).
    hidden_automatically_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_at", "pk"]
        indexes = [
            models.Index(fields=["status", "due_at"]),
            models.Index(fields=["hidden_automatically_at"], name="removal_auto_hidden"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.example_slug} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class AppendOnly(Exception):
    """The audit log is never edited; only retention and account deletion may touch it."""


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnly("Audit events cannot be changed.")

    def delete(self):
        raise AppendOnly("Audit events cannot be deleted.")

    def _purge(self) -> int:
        """Retention only: delete these events."""
        return super().delete()[0]

    def _forget_person(self, **changes) -> int:
        """Account deletion only: keep what happened, drop who it was."""
        return super().update(**changes)


class AuditEvent(models.Model):
    """A sensitive action: who did what to what, when. Rows are never changed."""

    created_at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    organization = models.ForeignKey(
        "people.Organization",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_events",
    )
    action = models.CharField(max_length=64)  # dotted: "consent.revoked"
    target_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    target_id = models.CharField(max_length=64, blank=True)
    target_label = models.CharField(max_length=200, blank=True)
    details = models.JSONField(default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["organization", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.target_label}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnly("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("Audit events cannot be deleted.")
