"""What learners did: attempts on a module version, one answer row per question, and for
signed-in learners their progress per module and certificates."""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from awareness.content.models import Module, Question


class Attempt(models.Model):
    """One play of one module version, by an account or an anonymous browser session."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    module = models.ForeignKey(Module, on_delete=models.PROTECT, related_name="attempts")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attempts",
    )
    # A random key kept in an anonymous learner's session; cleared when claimed by an account.
    learner_key = models.CharField(max_length=64, blank=True, db_index=True)
    position = models.PositiveSmallIntegerField(default=0)
    step_shown_at = models.DateTimeField()
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    score = models.FloatField(null=True, blank=True)  # 0..1, set when finished

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(user__isnull=False) | ~models.Q(learner_key=""),
                name="attempt_has_a_learner",
            ),
        ]
        indexes = [
            models.Index(fields=["user", "module"]),
            # Dashboards: attempts finished on a campaign's modules since its run started.
            models.Index(fields=["module", "finished_at"], name="attempt_module_finished"),
            # The nightly retention purge, and the newest-first default order.
            models.Index(fields=["started_at"], name="attempt_started"),
        ]

    def __str__(self) -> str:
        return f"{self.module} attempt {self.public_id}"

    @property
    def is_finished(self) -> bool:
        return self.finished_at is not None


class Answer(models.Model):
    # No index of its own: one_answer_per_question starts with the attempt and serves its
    # lookups, and every answer saved pays for each index on the table.
    attempt = models.ForeignKey(
        Attempt, on_delete=models.CASCADE, related_name="answers", db_index=False
    )
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    response = models.JSONField()
    is_correct = models.BooleanField()
    score = models.FloatField()  # 0..1; partial for multiple choice and red flags
    confidence = models.PositiveSmallIntegerField(null=True, blank=True)  # percent, 50..100
    seconds = models.FloatField()
    answered_at = models.DateTimeField()

    class Meta:
        ordering = ["attempt", "question__step__position"]
        constraints = [
            # One answer per question per attempt: a second submission cannot earn credit.
            models.UniqueConstraint(fields=["attempt", "question"], name="one_answer_per_question"),
        ]
        # The nightly retention purge deletes by age.
        indexes = [models.Index(fields=["answered_at"], name="answer_answered")]

    def __str__(self) -> str:
        return f"{self.attempt_id}: {self.question_id} {'✓' if self.is_correct else '✗'}"


class ProgressStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")


class ModuleProgress(models.Model):
    """A signed-in learner's standing on a module, across its versions and languages."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="module_progress"
    )
    module_slug = models.SlugField()
    status = models.CharField(
        max_length=20, choices=ProgressStatus.choices, default=ProgressStatus.IN_PROGRESS
    )
    best_score = models.FloatField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "module_slug"], name="progress_per_module"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.module_slug}: {self.status}"


def new_verification_code() -> str:
    """12 characters from an unambiguous alphabet: about 60 bits, unguessable."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(12))


class Certificate(models.Model):
    attempt = models.OneToOneField(Attempt, on_delete=models.PROTECT, related_name="certificate")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="certificates"
    )
    code = models.CharField(max_length=12, unique=True, default=new_verification_code)
    name_on_certificate = models.CharField(max_length=150)
    module_title = models.CharField(max_length=200)
    score = models.FloatField()
    issued_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.code}: {self.name_on_certificate} · {self.module_title}"
