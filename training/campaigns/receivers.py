"""Campaigns react to what progress announces: a finished module completes its assignments and
adds to the runs' tallies, inside the transaction that finished it."""

from training.campaigns.services.tracking import count_finished_attempt
from training.progress.signals import attempt_completed


def _count_finished_attempt(sender, *, attempt, **kwargs) -> None:
    count_finished_attempt(attempt)


attempt_completed.connect(_count_finished_attempt, dispatch_uid="campaigns:complete-assignments")
