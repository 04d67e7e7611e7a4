from django.db import models
from django.utils.translation import gettext_lazy as _

from training.people.models import Group, Membership


class ClassAssignment(models.Model):
    """A module an educator set for a class (or some of its students), with dates.

    Each student's status is derived from their attempts, so students who join the class
    later get the assignment too, and nothing has to be kept in sync.
    """

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="assignments")
    module_slug = models.SlugField()
    module_title = models.CharField(max_length=200)
    starts_at = models.DateTimeField(_("start"))
    due_at = models.DateTimeField(_("due"))
    assigned_by = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL)
    # Empty: the whole class. Otherwise only these members.
    learners = models.ManyToManyField(Membership, blank=True, related_name="assignments")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_at", "module_title"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "module_slug", "starts_at"], name="assignment_once_per_start"
            ),
            models.CheckConstraint(
                condition=models.Q(due_at__gt=models.F("starts_at")), name="due_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.module_title} for {self.group} (due {self.due_at:%Y-%m-%d})"


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SCHEDULED = "scheduled", _("Scheduled")
    RUNNING = "running", _("Running")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class Recurrence(models.TextChoices):
    NONE = "", _("Once")
    MONTHLY = "monthly", _("Every month")
    QUARTERLY = "quarterly", _("Every quarter")
    YEARLY = "yearly", _("Every year")


class Campaign(models.Model):
    """Staff training: modules assigned to departments on a schedule, with reminders."""

    organization = models.ForeignKey(
        "people.Organization", on_delete=models.CASCADE, related_name="campaigns"
    )
    name = models.CharField(_("name"), max_length=150)
    status = models.CharField(
        max_length=10, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT
    )
    groups = models.ManyToManyField(Group, related_name="campaigns", verbose_name=_("groups"))
    starts_at = models.DateTimeField(_("start"))
    due_days = models.PositiveSmallIntegerField(_("days to complete"), default=14)
    recurrence = models.CharField(
        _("repeat"), max_length=10, choices=Recurrence.choices, default=Recurrence.NONE, blank=True
    )
    reminder_every_days = models.PositiveSmallIntegerField(_("remind every (days)"), default=3)
    reminder_limit = models.PositiveSmallIntegerField(_("at most (reminders)"), default=4)
    escalate = models.BooleanField(_("send managers a digest of who is overdue"), default=True)
    created_by = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_at"]

    def __str__(self) -> str:
        return self.name


class CampaignModule(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="modules")
    position = models.PositiveSmallIntegerField()
    module_slug = models.SlugField()
    module_title = models.CharField(max_length=200)

    class Meta:
        ordering = ["campaign", "position"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "module_slug"], name="module_once"),
        ]

    def __str__(self) -> str:
        return self.module_title


class RunStatus(models.TextChoices):
    LAUNCHING = "launching", _("Launching")
    LAUNCHED = "launched", _("Launched")
    CANCELLED = "cancelled", _("Cancelled")


class CampaignRun(models.Model):
    """One period of a campaign (a recurring campaign has one per month, quarter or year)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="runs")
    number = models.PositiveIntegerField()
    starts_at = models.DateTimeField()
    due_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.LAUNCHING)
    recipients = models.PositiveIntegerField(default=0)
    chunks_total = models.PositiveIntegerField(default=0)
    chunks_done = models.PositiveIntegerField(default=0)
    launched_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["campaign", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "number"], name="run_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign} #{self.number}"


class Assignment(models.Model):
    """A person × module of a campaign run: what reminders, dashboards and evidence count."""

    # No single-column indexes: the composite ones below lead with these columns, and every
    # index costs time on a launch of 500,000 rows.
    run = models.ForeignKey(
        CampaignRun, on_delete=models.CASCADE, related_name="assignments", db_index=False
    )
    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="campaign_assignments", db_index=False
    )
    module_slug = models.SlugField(db_index=False)
    due_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)
    score = models.FloatField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["run", "membership", "module_slug"], name="assignment_once"
            ),
        ]
        indexes = [
            models.Index(fields=["membership", "module_slug", "completed_at"]),
            models.Index(fields=["run", "completed_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.module_slug} for {self.membership_id} (run {self.run_id})"


class NotificationKind(models.TextChoices):
    INVITATION = "invitation", _("Invitation")
    REMINDER = "reminder", _("Reminder")
    ESCALATION = "escalation", _("Overdue digest")


class NotificationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


class Notification(models.Model):
    """The outbox: one row per message, unique by key, so nothing is ever sent twice."""

    key = models.CharField(max_length=120, unique=True)
    # Indexed by the composite index below, which leads with it.
    organization = models.ForeignKey(
        "people.Organization",
        on_delete=models.CASCADE,
        related_name="notifications",
        db_index=False,
    )
    run = models.ForeignKey(
        CampaignRun, null=True, on_delete=models.CASCADE, related_name="notifications"
    )
    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=12, choices=NotificationKind.choices)
    status = models.CharField(
        max_length=10, choices=NotificationStatus.choices, default=NotificationStatus.PENDING
    )
    not_before = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["status", "not_before"]),
            models.Index(fields=["organization", "status", "sent_at"]),
        ]

    def __str__(self) -> str:
        return self.key


class SendingPolicy(models.Model):
    """How fast an organisation may send: its mail provider's limits."""

    organization = models.OneToOneField(
        "people.Organization", on_delete=models.CASCADE, related_name="sending_policy"
    )
    per_minute = models.PositiveIntegerField(_("messages per minute"), default=30)
    per_day = models.PositiveIntegerField(_("messages per day"), default=10_000)

    def __str__(self) -> str:
        return f"{self.organization}: {self.per_minute}/min, {self.per_day}/day"


class LaunchChunk(models.Model):
    """A slice of a run's recipients, enrolled by one task: the unit of batched fan-out."""

    run = models.ForeignKey(CampaignRun, on_delete=models.CASCADE, related_name="chunks")
    number = models.PositiveIntegerField()
    membership_ids = models.JSONField()
    done = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["run", "number"], name="chunk_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.run} chunk {self.number}"
