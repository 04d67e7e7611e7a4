"""What a finished attempt does to campaigns: progress calls this in its own transaction."""

from training.campaigns.services.statistics import count_finished_attempt

__all__ = ["count_finished_attempt"]
