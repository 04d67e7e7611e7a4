"""Live quiz sessions: the state machine and the clock live here, in the database, so a session
survives a web-process restart; Redis only carries the messages that wake the sockets."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from awareness.content.models import Module, Question


class SessionState(models.TextChoices):
    LOBBY = "lobby", _("Waiting for players")
    QUESTION = "question", _("Question")
    REVEAL = "reveal", _("Answer")
    LEADERBOARD = "leaderboard", _("Leaderboard")
    ENDED = "ended", _("Ended")


class LiveSession(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    host = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="live_sessions"
    )
    module = models.ForeignKey(Module, on_delete=models.PROTECT, related_name="+")
    pin = models.CharField(max_length=6)
    seconds_per_question = models.PositiveSmallIntegerField(default=20)
    state = models.CharField(
        max_length=12, choices=SessionState.choices, default=SessionState.LOBBY
    )
    # Bumped by every transition: a host command names the revision it saw, so a double
    # click (or two host tabs) moves the session once.
    revision = models.PositiveIntegerField(default=0)
    current = models.ForeignKey(
        "LiveQuestion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    deadline = models.DateTimeField(null=True, blank=True)
    # Players expected to answer the open question: all have answered, the reveal comes early.
    expected_answers = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["pin"],
                condition=~models.Q(state="ended"),
                name="live_pin_unique_while_open",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.module.title} ({self.pin}, {self.state})"

    @property
    def is_open(self) -> bool:
        return self.state != SessionState.ENDED


class LiveQuestion(models.Model):
    """One question of a session, in the order the host chose."""

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField()
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(null=True, blank=True)
    deadline = models.DateTimeField(null=True, blank=True)
    revealed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["session", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "position"], name="live_question_position_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session_id} #{self.position + 1}"


class Player(models.Model):
    """Someone in a session, known only by a nickname (children: their pseudonym)."""

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="players")
    nickname = models.CharField(max_length=40)
    # Case-folded nickname: "Ann" and "ANN" cannot both play.
    nickname_key = models.CharField(max_length=40)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="live_players",
    )
    # Only the SHA-256 of the token kept in the player's browser session.
    token_hash = models.CharField(max_length=64, unique=True)
    score = models.PositiveIntegerField(default=0)
    streak = models.PositiveSmallIntegerField(default=0)
    kicked = models.BooleanField(default=False)
    joined_at = models.DateTimeField()
    attempt = models.OneToOneField(
        "progress.Attempt", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["session", "joined_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "nickname_key"], name="live_nickname_unique_in_session"
            ),
            models.UniqueConstraint(
                fields=["session", "user"],
                condition=models.Q(user__isnull=False),
                name="live_one_player_per_account",
            ),
        ]

    def __str__(self) -> str:
        return self.nickname


class LiveAnswer(models.Model):
    """One row per answer: the unique constraint, not a read-then-write check, stops a second
    answer to the same question."""

    player = models.ForeignKey(Player, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(LiveQuestion, on_delete=models.CASCADE, related_name="answers")
    response = models.JSONField()
    is_correct = models.BooleanField()
    score = models.FloatField()  # 0..1, partial for multiple choice and red flags
    points = models.PositiveIntegerField()
    seconds = models.FloatField()
    answered_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["player", "question"], name="one_live_answer_per_question"
            ),
        ]
        indexes = [models.Index(fields=["question", "is_correct"])]

    def __str__(self) -> str:
        return f"{self.player} · {self.question}: {self.points}"
