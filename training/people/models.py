import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from training.people.domains import TXT_PREFIX, display_domain, validate_e164


class AgeBand(models.TextChoices):
    """Coarse age, never a birth date: enough to keep content age-appropriate."""

    UNDER_13 = "under-13", _("Under 13")
    FROM_13 = "13-15", _("13 to 15")
    FROM_16 = "16-17", _("16 or 17")
    ADULT = "18+", _("18 or older")


# The highest content age rating (see awareness.content.AgeRating) each band may see.
MAX_AGE_RATING = {AgeBand.UNDER_13: 0, AgeBand.FROM_13: 13, AgeBand.FROM_16: 16, AgeBand.ADULT: 18}


class User(AbstractUser):
    """A person who signs in. E-mail is optional: children's classroom accounts have none."""

    email = models.EmailField(_("e-mail address"), blank=True)
    age_band = models.CharField(
        _("age"), max_length=10, choices=AgeBand.choices, default=AgeBand.ADULT
    )
    # A classroom account with a generated name and no e-mail, for children.
    is_pseudonymous = models.BooleanField(default=False)
    # The language of e-mails to this person (the site follows the browser's choice).
    language = models.CharField(
        _("language"), max_length=10, default="en", choices=settings.LANGUAGES
    )

    @property
    def max_age_rating(self) -> int:
        return MAX_AGE_RATING[AgeBand(self.age_band)]

    class Meta(AbstractUser.Meta):
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                condition=~models.Q(email=""),
                name="user_email_unique_when_set",
            ),
        ]


class OrganizationKind(models.TextChoices):
    BANK = "bank", _("Bank")
    SCHOOL = "school", _("School")
    PUBLIC_BODY = "public", _("Public body")
    OTHER = "other", _("Other")


class Organization(models.Model):
    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=OrganizationKind.choices)
    # Learners younger than this get pseudonymous accounts without e-mail.
    child_age_limit = models.PositiveSmallIntegerField(
        _("pseudonymous accounts below age"), default=13
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def group_word(self) -> str:
        return str(_("class") if self.kind == OrganizationKind.SCHOOL else _("department"))


class Role(models.TextChoices):
    OWNER = "owner", _("Owner")
    ADMIN = "admin", _("Administrator")
    MANAGER = "manager", _("Manager")
    EDUCATOR = "educator", _("Educator")
    LEARNER = "learner", _("Learner")


ADMIN_ROLES = {Role.OWNER, Role.ADMIN}
STAFF_ROLES = {Role.OWNER, Role.ADMIN, Role.MANAGER, Role.EDUCATOR}


class Membership(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.LEARNER)
    is_active = models.BooleanField(default=True)
    # Seen by the organisation's staff only, e.g. to match a pseudonym to a pupil.
    staff_note = models.CharField(_("note for staff"), max_length=100, blank=True)
    # The person's id in the organisation's HR system, for provisioning through the API.
    external_id = models.CharField(_("external id"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # The member's own mobile number (E.164), for SMS-style simulations. Only a number its
    # owner confirmed with a code sent to it (phone_confirmed_at set) is ever texted; changing
    # the number clears the confirmation. See training.people.services.phones.
    phone_number = models.CharField(
        _("mobile phone number"), max_length=16, blank=True, validators=[validate_e164]
    )
    phone_confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["organization", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "user"], name="one_membership"),
            models.UniqueConstraint(
                fields=["organization", "external_id"],
                condition=~models.Q(external_id=""),
                name="external_id_unique_when_set",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.organization} ({self.role})"

    @property
    def is_admin(self) -> bool:
        return self.role in ADMIN_ROLES

    @property
    def is_staff_member(self) -> bool:
        return self.role in STAFF_ROLES


class GroupKind(models.TextChoices):
    DEPARTMENT = "department", _("Department")
    CLASS = "class", _("Class")


JOIN_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_join_code() -> str:
    """8 characters, no look-alikes (0/O, 1/I): 40 bits, easy to copy from a projector."""
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(8))


class Group(models.Model):
    """A department of a bank or a class of a school."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="groups")
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=12, choices=GroupKind.choices)
    leader = models.ForeignKey(
        Membership,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_groups",
        verbose_name=_("manager or educator"),
    )
    join_code = models.CharField(max_length=8, unique=True, default=new_join_code)
    join_open = models.BooleanField(_("students can join with the code"), default=True)
    members = models.ManyToManyField(Membership, related_name="groups", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organization", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="group_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class InvitationStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    REVOKED = "revoked", _("Revoked")


class Invitation(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.LEARNER)
    group = models.ForeignKey(Group, null=True, blank=True, on_delete=models.SET_NULL)
    # Only the SHA-256 of the token is kept: a database leak yields no usable links.
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL)
    status = models.CharField(
        max_length=10, choices=InvitationStatus.choices, default=InvitationStatus.PENDING
    )
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    responded_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} to {self.organization} ({self.status})"


class ImportStatus(models.TextChoices):
    PREVIEWED = "previewed", _("Checked, not imported")
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Failed")


class RosterImport(models.Model):
    """A roster file: checked first (a dry run), then imported by a Celery job with progress."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="roster_imports"
    )
    created_by = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL)
    file_name = models.CharField(max_length=200)
    rows = models.JSONField(default=list)  # the valid rows, normalised, ready to import
    problems = models.JSONField(default=list)  # [{"row": n, "message": "..."}]
    status = models.CharField(
        max_length=10, choices=ImportStatus.choices, default=ImportStatus.PREVIEWED
    )
    total = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0)
    created_users = models.PositiveIntegerField(default=0)
    added_members = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Set when queued and after every chunk: a job silent for long has lost its worker.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.status})"

    @property
    def percent(self) -> int:
        return round(100 * self.processed / self.total) if self.total else 100


class DomainMethod(models.TextChoices):
    DNS = "dns", _("DNS TXT record")
    EMAIL = "email", _("E-mail to the domain's administrator")


def new_verification_token() -> str:
    """32 URL-safe characters (192 bits): the value of the TXT record to publish."""
    return secrets.token_urlsafe(24)


class VerifiedDomain(models.Model):
    """A mail domain an organisation asked to verify, and (once verified_at is set) proved it
    controls. Simulated lures go only to addresses on its verified domains, and a domain is
    verified by one organisation at a time, so no organisation can target another's staff."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="domains")
    # Lowercase ASCII (IDNA) without a trailing dot: see training.people.domains.
    domain = models.CharField(_("domain"), max_length=253)
    method = models.CharField(_("verification method"), max_length=5, choices=DomainMethod.choices)
    token = models.CharField(max_length=64, default=new_verification_token)
    # E-mail method: the administrator mailbox the link was sent to, and when.
    admin_address = models.EmailField(blank=True)
    email_sent_at = models.DateTimeField(null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_at = models.DateTimeField()
    # DNS method: the last "check now", and what went wrong, in words for the admin.
    checked_at = models.DateTimeField(null=True, blank=True)
    check_problem = models.CharField(max_length=300, blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    # Who confirmed: the admin who checked DNS, or whoever opened the e-mailed link (possibly
    # nobody signed in).
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["domain"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "domain"], name="domain_once_per_organization"
            ),
            models.UniqueConstraint(
                fields=["domain"],
                condition=models.Q(verified_at__isnull=False),
                name="domain_verified_by_one_organization",
            ),
        ]

    def __str__(self) -> str:
        return self.domain

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None

    @property
    def txt_record(self) -> str:
        return f"{TXT_PREFIX}{self.token}"

    @property
    def display_name(self) -> str:
        """The domain as people read it: Unicode for an internationalised name."""
        return display_domain(self.domain)


class PhoneCode(models.Model):
    """The one pending confirmation code of a membership's phone number. Only a hash of the
    code is kept; it is bound to the number it was sent to and dies with a new code."""

    membership = models.OneToOneField(
        Membership, on_delete=models.CASCADE, related_name="phone_code"
    )
    phone_number = models.CharField(max_length=16, validators=[validate_e164])
    code_hash = models.CharField(max_length=64)
    sent_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    # Codes sent to this membership in the current hour window (for the resend limit).
    window_started_at = models.DateTimeField()
    sends_in_window = models.PositiveSmallIntegerField(default=1)

    def __str__(self) -> str:
        return f"code for {self.membership_id}"


class TokenScope(models.TextChoices):
    READ = "read", _("Read only")
    WRITE = "write", _("Read and write")


class ApiToken(models.Model):
    """A machine's key to the API of one organisation, acting for the administrator who made it.

    Only a prefix (to find the row) and the SHA-256 of the whole token are kept; the token is
    shown once. It stops working when revoked, or when its maker is no longer an active admin.
    """

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="api_tokens"
    )
    created_by = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    scope = models.CharField(_("access"), max_length=5, choices=TokenScope.choices)
    prefix = models.CharField(max_length=12, unique=True)
    token_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
