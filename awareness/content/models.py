"""Learning content. Examples and modules are immutable versions: loading a changed pack adds
a version and moves `is_current`, so attempts keep pointing at what the learner saw."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

DEFAULT_LANGUAGE = "en"


class Language(models.TextChoices):
    EN = "en", "English"
    ZH_HANT = "zh-hant", "繁體中文"


class AgeRating(models.IntegerChoices):
    """The minimum age of a learner who may see the content."""

    ALL = 0, _("All ages")
    THIRTEEN = 13, _("13+")
    SIXTEEN = 16, _("16+")
    EIGHTEEN = 18, _("18+")


class Channel(models.TextChoices):
    SMS = "sms", _("Text message")
    CHAT = "chat", _("Chat")
    EMAIL = "email", _("E-mail")
    WEB = "web", _("Web page")
    CALL = "call", _("Phone call")
    VIDEO = "video", _("Video")
    IMAGE = "image", _("Image")
    SOCIAL = "social", _("Social media post")


class Audience(models.TextChoices):
    EVERYONE = "everyone", _("Everyone")
    SENIORS = "seniors", _("Older adults")
    STAFF = "staff", _("Staff at work")
    STUDENTS = "students", _("Students")
    PARENTS = "parents", _("Parents")


def localized(texts: dict[str, str], language: str | None = None) -> str:
    """The text in the active language, else English."""
    language = language or get_language() or DEFAULT_LANGUAGE
    return texts.get(language) or texts.get(DEFAULT_LANGUAGE, "")


class ScamType(models.Model):
    slug = models.SlugField(unique=True)
    names = models.JSONField(default=dict)
    descriptions = models.JSONField(default=dict)

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self.names)

    @property
    def description(self) -> str:
        return localized(self.descriptions)


class VersionedContent(models.Model):
    slug = models.SlugField()
    language = models.CharField(max_length=10, choices=Language.choices)
    version = models.PositiveIntegerField()
    content_hash = models.CharField(max_length=64)
    is_current = models.BooleanField(default=True)
    pack = models.CharField(max_length=100)
    loaded_at = models.DateTimeField(auto_now_add=True)
    title = models.CharField(max_length=200)
    summary = models.TextField()
    age_rating = models.PositiveSmallIntegerField(choices=AgeRating.choices, default=AgeRating.ALL)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.title} ({self.language}, v{self.version})"


class Example(VersionedContent):
    """One scam or legitimate specimen, rendered as a mock of its channel."""

    channel = models.CharField(max_length=10, choices=Channel.choices)
    scam_type = models.ForeignKey(ScamType, on_delete=models.PROTECT, related_name="examples")
    is_scam = models.BooleanField()
    body = models.JSONField(default=dict)
    image = models.FileField(blank=True)
    poster = models.FileField(blank=True)
    audio = models.FileField(blank=True)
    video = models.FileField(blank=True)
    alt = models.TextField(blank=True)
    # Pixel size of the image (or the video's poster), for red-flag close-ups.
    picture_width = models.PositiveIntegerField(null=True, blank=True)
    picture_height = models.PositiveIntegerField(null=True, blank=True)
    synthetic = models.BooleanField(default=False)
    provenance = models.JSONField(default=dict, blank=True)
    # C2PA content credentials found in the media as submitted, per slot, for authors.
    content_credentials = models.JSONField(default=dict, blank=True)
    # Shows or imitates a real, identifiable person: shown only while `consent` is valid.
    depicts_real_person = models.BooleanField(default=False)
    consent = models.ForeignKey(
        "safety.ConsentRecord",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="examples",
    )

    class Meta:
        ordering = ["slug", "language", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["slug", "language", "version"], name="example_version_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(depicts_real_person=False) | models.Q(consent__isnull=False),
                name="example_real_person_has_consent",
            ),
            models.UniqueConstraint(
                fields=["slug", "language"],
                condition=models.Q(is_current=True),
                name="example_one_current_version",
            ),
        ]
        indexes = [models.Index(fields=["is_current", "language"])]

    @property
    def picture(self):
        """The still a region refers to: the image, or the video's poster."""
        return self.image or self.poster


class RedFlag(models.Model):
    """A tell of an example (`is_flag`), or an innocent "safe spot" offered as a distractor."""

    example = models.ForeignKey(Example, on_delete=models.CASCADE, related_name="spots")
    key = models.SlugField()
    is_flag = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField()
    label = models.CharField(max_length=200)
    explanation = models.TextField()
    field = models.CharField(max_length=50, blank=True)
    text = models.TextField(blank=True)
    region = models.JSONField(null=True, blank=True)
    time_start = models.FloatField(null=True, blank=True)
    time_end = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["example", "position"]
        constraints = [
            models.UniqueConstraint(fields=["example", "key"], name="red_flag_key_unique"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def kind(self) -> str:
        if self.field:
            return "span"
        return "region" if self.region else "time"


class Module(VersionedContent):
    scam_types = models.ManyToManyField(ScamType, related_name="modules")
    # Stored as ",everyone,seniors," so one indexed LIKE filters on every database.
    audience_tags = models.CharField(max_length=200, default=",")
    minutes = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["slug", "language", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["slug", "language", "version"], name="module_version_unique"
            ),
            models.UniqueConstraint(
                fields=["slug", "language"],
                condition=models.Q(is_current=True),
                name="module_one_current_version",
            ),
        ]
        indexes = [models.Index(fields=["is_current", "language"])]

    @property
    def audiences(self) -> list[str]:
        return [tag for tag in self.audience_tags.split(",") if tag]

    def audience_labels(self) -> list[str]:
        return [str(Audience(tag).label) for tag in self.audiences if tag in Audience.values]


class StepKind(models.TextChoices):
    LESSON = "lesson", _("Lesson")
    EXAMPLE = "example", _("Example")
    QUESTION = "question", _("Question")


class Step(models.Model):
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=10, choices=StepKind.choices)
    title = models.CharField(max_length=200, blank=True)
    text = models.TextField(blank=True)
    example = models.ForeignKey(Example, null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        ordering = ["module", "position"]
        constraints = [
            models.UniqueConstraint(fields=["module", "position"], name="step_position_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.module} step {self.position + 1}"


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    SCAM_OR_LEGIT = "scam_or_legit", _("Scam or legit")
    SPOT_FLAGS = "spot_flags", _("Spot the red flags")
    WHICH_IS_REAL = "which_is_real", _("Which is real")


class Question(models.Model):
    step = models.OneToOneField(Step, on_delete=models.CASCADE, related_name="question")
    kind = models.CharField(max_length=20, choices=QuestionKind.choices)
    prompt = models.TextField()
    explanation = models.TextField(blank=True)
    example = models.ForeignKey(
        Example, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    other_example = models.ForeignKey(
        Example, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    asks_confidence = models.BooleanField(default=True)

    def __str__(self) -> str:
        return self.prompt[:60]


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    position = models.PositiveSmallIntegerField()
    text = models.TextField()
    is_correct = models.BooleanField(default=False)
    explanation = models.TextField()

    class Meta:
        ordering = ["question", "position"]

    def __str__(self) -> str:
        return self.text[:60]
