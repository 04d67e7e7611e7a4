from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
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
    # The share of points that passes, 0..1; by default the certificate's (progress' PASS_MARK).
    pass_mark = models.FloatField(
        _("pass mark"),
        default=0.6,
        validators=[MinValueValidator(0.0), MaxValueValidator(1.0)],
    )
    created_by = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(pass_mark__gte=0, pass_mark__lte=1), name="pass_mark_share"
            ),
        ]

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
    # When its launch task was last queued: a launching run not split long after lost it.
    heartbeat_at = models.DateTimeField(default=timezone.now)

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
    score = models.FloatField(null=True, blank=True)  # the best finished attempt's, 0..1
    # When an attempt first reached the campaign's pass mark; completed is not passed.
    passed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["run", "membership", "module_slug"], name="assignment_once"
            ),
        ]
        indexes = [
            models.Index(fields=["membership", "module_slug", "completed_at"]),
            models.Index(fields=["run", "completed_at"]),
            # Who is overdue: the open assignments of a run by due date, read from the index.
            models.Index(
                fields=["run", "due_at", "membership"],
                condition=models.Q(completed_at__isnull=True),
                name="assignment_open_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.module_slug} for {self.membership_id} (run {self.run_id})"


class TallyTopic(models.TextChoices):
    RUN = "run", _("Whole run")
    PEOPLE = "people", _("People")
    DEPARTMENT = "department", _("Department")
    SCORE = "score", _("Score band")
    DAY = "day", _("Day")
    QUESTION = "question", _("Question")
    RED_FLAG = "red_flag", _("Red flag")


class RunTally(models.Model):
    """A run's figures, added to in the transaction that enrols people or finishes an attempt,
    so that its dashboard reads a few hundred of these rows instead of millions of answers.

    By topic, `key` and the counters mean: run (key 0) and department (key: group id):
    `count` assignments, `hits` completed, `passed`, `score_sum` of the completed scores;
    people (key 0): `count` people enrolled; score (key: band 0..9): `count` completed
    assignments in it; day (key: date ordinal): `hits` completed that day; question (key:
    question id): `count` answers, `hits` right; red_flag (key: red flag id): `count` seen,
    `hits` missed.
    """

    run = models.ForeignKey(CampaignRun, on_delete=models.CASCADE, related_name="tallies")
    topic = models.CharField(max_length=10, choices=TallyTopic.choices)
    key = models.BigIntegerField()
    count = models.BigIntegerField(default=0)
    hits = models.BigIntegerField(default=0)
    passed = models.BigIntegerField(default=0)
    score_sum = models.FloatField(default=0.0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["run", "topic", "key"], name="one_tally_per_key"),
        ]

    def __str__(self) -> str:
        return f"{self.run_id} {self.topic}:{self.key}"


class TalliedAttempt(models.Model):
    """An attempt whose answers a run's tallies hold: the key that makes counting idempotent."""

    run = models.ForeignKey(CampaignRun, on_delete=models.CASCADE, related_name="+")
    attempt = models.ForeignKey(
        "progress.Attempt", on_delete=models.CASCADE, related_name="+", db_index=False
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["attempt", "run"], name="attempt_tallied_once"),
        ]

    def __str__(self) -> str:
        return f"attempt {self.attempt_id} in run {self.run_id}"


class NotificationKind(models.TextChoices):
    INVITATION = "invitation", _("Invitation")
    REMINDER = "reminder", _("Reminder")
    ESCALATION = "escalation", _("Overdue digest")
    LURE = "lure", _("Simulated scam")


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
    # Indexed by (run, status) below, which leads with it and lets a dashboard count a run's
    # messages by status from the index alone.
    run = models.ForeignKey(
        CampaignRun,
        null=True,
        on_delete=models.CASCADE,
        related_name="notifications",
        db_index=False,
    )
    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=12, choices=NotificationKind.choices)
    delivery = models.OneToOneField(
        "Delivery", null=True, blank=True, on_delete=models.CASCADE, related_name="notification"
    )
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
            models.Index(fields=["run", "status"], name="notification_run_status"),
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
    # When its task was last queued or taken: an undone chunk not touched since lost it.
    heartbeat_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["run", "number"], name="chunk_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.run} chunk {self.number}"


# --- Scam simulations: lures sent through the same outbox, teachable moments, results ---------


class LureChannel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("Text message (SMS)")


class Landing(models.TextChoices):
    TEACHABLE = "teachable", _("The landing page, or the teachable moment if there is none")
    LOGIN = "login", _("The landing page with a simulated sign-in form")


class TeachOn(models.TextChoices):
    CLICK = "click", _("On click: soon after the landing page opens")
    SUBMIT = "submit", _("On submit: when the sign-in form is sent")


class SimulationTemplate(models.Model):
    """A lure as authored: placeholders from a fixed list, HTML sanitised on save, the red
    flags it hides and the micro-module that teaches them. No organisation: the library."""

    organization = models.ForeignKey(
        "people.Organization",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="simulation_templates",
    )
    slug = models.SlugField()
    name = models.CharField(_("name"), max_length=150)
    scam_type = models.SlugField(_("scam type"), blank=True)
    channel = models.CharField(_("channel"), max_length=5, choices=LureChannel.choices)
    sender_name = models.CharField(_("sender name"), max_length=100)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    html_body = models.TextField(_("HTML body"), blank=True)
    text_body = models.TextField(_("text body"))
    red_flags = models.JSONField(_("red flags"), default=list)
    module_slug = models.SlugField(_("related micro-module"))
    landing = models.CharField(
        _("landing page"), max_length=10, choices=Landing.choices, default=Landing.TEACHABLE
    )
    # The page the lure's link opens, in the lure's world (sanitised like html_body).
    landing_html = models.TextField(_("landing page HTML"), blank=True)
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    difficulty = models.PositiveSmallIntegerField(
        _("difficulty (1 easy to spot, 5 hard)"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "slug"], name="simulation_template_slug_unique"
            ),
            models.UniqueConstraint(
                fields=["slug"],
                condition=models.Q(organization__isnull=True),
                name="library_template_slug_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def flags(self) -> list[dict[str, str]]:
        """Each red flag as {"flag": the sentence, "mark": the words of the lure it marks}."""
        return [flag if isinstance(flag, dict) else {"flag": flag} for flag in self.red_flags]

    @property
    def has_landing_page(self) -> bool:
        return self.landing == Landing.LOGIN or bool(self.landing_html)


class SendingProfile(models.Model):
    """Who a lure says it comes from: a name and an address on one of the organisation's
    verified domains, where replies go, whether it is DKIM-signed, and the SMS sender name."""

    organization = models.ForeignKey(
        "people.Organization", on_delete=models.CASCADE, related_name="sending_profiles"
    )
    name = models.CharField(_("profile name"), max_length=100)
    from_name = models.CharField(_("From name"), max_length=100)
    from_address = models.EmailField(_("From address"))
    reply_to = models.EmailField(_("Reply-To"), blank=True)
    sign_dkim = models.BooleanField(_("sign with DKIM"), default=False)
    sms_sender = models.CharField(_("SMS sender name"), max_length=11, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "name"], name="sending_profile_name_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name


class DomainKey(models.Model):
    """The DKIM key lures from a verified domain are signed with: the private key is kept
    encrypted and never shown; the public key is what the admin publishes in DNS."""

    domain = models.OneToOneField(
        "people.VerifiedDomain", on_delete=models.CASCADE, related_name="dkim_key"
    )
    selector = models.SlugField(max_length=63)
    private_key = models.TextField()  # Fernet token of the PEM, see services.sending
    public_key = models.TextField()  # base64 DER, the record's p= value
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.selector}._domainkey.{self.domain.domain}"

    @property
    def record_name(self) -> str:
        return str(self)

    @property
    def record_value(self) -> str:
        return f"v=DKIM1; k=rsa; p={self.public_key}"


class SimulationPolicy(models.Model):
    """An organisation's rules for simulations: approval, privacy of results, report inbox."""

    organization = models.OneToOneField(
        "people.Organization", on_delete=models.CASCADE, related_name="simulation_policy"
    )
    require_approval = models.BooleanField(
        _("a second administrator approves each simulation before launch"), default=False
    )
    aggregate_only = models.BooleanField(
        _("show results only in aggregate (no per-person views or CSV)"), default=False
    )
    anonymise_after_days = models.PositiveSmallIntegerField(
        _("anonymise per-person results this many days after a simulation closes"), default=30
    )
    # The secret part of the report-button address the bank wires its mail client to.
    report_key = models.CharField(max_length=64, unique=True)

    def __str__(self) -> str:
        return f"simulation policy of {self.organization}"


class SimulationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    AWAITING_APPROVAL = "awaiting", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    RUNNING = "running", _("Running")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


class Simulation(models.Model):
    """One lure sent to some departments over a window, and what people did with it."""

    organization = models.ForeignKey(
        "people.Organization", on_delete=models.CASCADE, related_name="simulations"
    )
    template = models.ForeignKey(
        SimulationTemplate, on_delete=models.PROTECT, related_name="simulations"
    )
    name = models.CharField(_("name"), max_length=150)
    groups = models.ManyToManyField(Group, related_name="simulations", verbose_name=_("groups"))
    status = models.CharField(
        max_length=10, choices=SimulationStatus.choices, default=SimulationStatus.DRAFT
    )
    send_over_hours = models.PositiveSmallIntegerField(_("send over (hours)"), default=4)
    open_days = models.PositiveSmallIntegerField(_("results open for (days)"), default=14)
    teach_on = models.CharField(
        _("teachable moment"), max_length=6, choices=TeachOn.choices, default=TeachOn.CLICK
    )
    sending_profile = models.ForeignKey(
        SendingProfile,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="simulations",
        verbose_name=_("sending profile"),
    )
    created_by = models.ForeignKey(
        Membership, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_by = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    launched_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    anonymised_at = models.DateTimeField(null=True, blank=True)
    # Where the teachable moment enrols people: a run of a follow-up campaign, so reminders,
    # dashboards and evidence treat it like any other assignment.
    follow_up = models.OneToOneField(
        CampaignRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="simulation"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name


class Delivery(models.Model):
    """One lure to one person: a hashed token and a timeline, nothing else about them."""

    simulation = models.ForeignKey(Simulation, on_delete=models.CASCADE, related_name="deliveries")
    # Cleared when results are anonymised; the department stays for aggregate figures.
    membership = models.ForeignKey(
        Membership, null=True, on_delete=models.SET_NULL, related_name="lure_deliveries"
    )
    group = models.ForeignKey(Group, null=True, on_delete=models.SET_NULL, related_name="+")
    # SHA-256 of the link token; set when the lure is sent (the token itself is never kept).
    # NULL until then and after anonymising, so that uniqueness holds only for real tokens.
    token_hash = models.CharField(max_length=64, null=True, unique=True)  # noqa: DJ001
    message_ref = models.CharField(max_length=32, unique=True)
    due_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    clicked_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reported_at = models.DateTimeField(null=True, blank=True)
    enrolled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["simulation", "membership"], name="one_lure_per_person"
            ),
        ]

    def __str__(self) -> str:
        return f"lure {self.pk} of {self.simulation_id}"


# --- Reports forwarded to a mailbox: simulations counted, real suspicious mail triaged -------


class ReportMailbox(models.Model):
    """The mailbox staff forward suspicious mail to, read over IMAP. The password is kept
    encrypted (see services.sending.secret_box) and never shown again."""

    organization = models.OneToOneField(
        "people.Organization", on_delete=models.CASCADE, related_name="report_mailbox"
    )
    host = models.CharField(_("IMAP server"), max_length=253)
    port = models.PositiveIntegerField(_("port"), default=993)
    use_tls = models.BooleanField(_("TLS (IMAPS)"), default=True)
    username = models.CharField(_("user name"), max_length=254)
    password = models.TextField()
    folder = models.CharField(_("folder"), max_length=100, default="INBOX")
    checked_at = models.DateTimeField(null=True, blank=True)
    problem = models.CharField(max_length=300, blank=True)

    def __str__(self) -> str:
        return f"{self.username}@{self.host}"


class Verdict(models.TextChoices):
    NEW = "new", _("Not triaged yet")
    HARMLESS = "harmless", _("Harmless")
    SPAM = "spam", _("Spam")
    MALICIOUS = "malicious", _("Malicious")


class ReportedMessage(models.Model):
    """A message staff forwarded to the report mailbox that is not one of our lures: the
    security team sees its headers and triages it."""

    organization = models.ForeignKey(
        "people.Organization", on_delete=models.CASCADE, related_name="reported_messages"
    )
    message_id = models.CharField(max_length=300)  # the forward's own Message-ID
    reported_by = models.CharField(_("reported by"), max_length=254)
    subject = models.CharField(_("subject"), max_length=300)
    original_sender = models.CharField(_("original sender"), max_length=300, blank=True)
    headers = models.TextField(_("headers"))
    received_at = models.DateTimeField()
    verdict = models.CharField(
        _("verdict"), max_length=10, choices=Verdict.choices, default=Verdict.NEW
    )
    triaged_by = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    triaged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "message_id"], name="reported_message_once"
            )
        ]

    def __str__(self) -> str:
        return self.subject
