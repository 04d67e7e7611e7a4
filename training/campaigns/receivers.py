"""Campaigns react to what progress announces: a finished module completes its assignments."""

from training.campaigns.services.tracking import complete_assignments
from training.progress.signals import attempt_completed


def _complete_assignments(sender, *, attempt, **kwargs) -> None:
    complete_assignments(
        attempt.user, attempt.module.slug, score=attempt.score, finished_at=attempt.finished_at
    )


attempt_completed.connect(_complete_assignments, dispatch_uid="campaigns:complete-assignments")
