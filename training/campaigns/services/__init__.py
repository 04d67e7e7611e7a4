"""Campaign writes, split by sub-domain; import from here."""

from datetime import datetime

from training.campaigns.services.launch import (
    enroll,
    enroll_chunk,
    launch_run,
    resume_stalled_launches,
)
from training.campaigns.services.outbox import (
    claim_due_notifications,
    deliver,
    release_stalled,
)
from training.campaigns.services.report_mailbox import queue_mailbox_checks
from training.campaigns.services.schedule import (
    announce_overdue_runs,
    complete_finished_campaigns,
    enroll_late_joiners,
    launch_due_runs,
    queue_escalations,
    queue_reminders,
)
from training.campaigns.services.setup import (
    cancel_campaign,
    create_campaign,
    schedule_campaign,
    set_sending_pace,
    set_simulation_rules,
)
from training.campaigns.services.simulations import (
    anonymise_closed_simulations,
    approve_simulation,
    cancel_simulation,
    close_finished_simulations,
    create_simulation,
    launch_simulation,
)
from training.campaigns.services.statistics import count_finished_attempt, rebuild_run_statistics


def dispatch_due_work(*, now: datetime) -> None:
    """Everything the database says is due, each step idempotent: the tick calls this."""
    resume_stalled_launches(now=now)
    launch_due_runs(now=now)
    enroll_late_joiners(now=now)
    queue_reminders(now=now)
    queue_escalations(now=now)
    complete_finished_campaigns(now=now)
    close_finished_simulations(now=now)
    anonymise_closed_simulations(now=now)
    queue_mailbox_checks(now=now)
    announce_overdue_runs(now=now)
    release_stalled(now=now)
    claim_due_notifications(now=now)


__all__ = [
    "anonymise_closed_simulations",
    "approve_simulation",
    "cancel_campaign",
    "cancel_simulation",
    "claim_due_notifications",
    "close_finished_simulations",
    "count_finished_attempt",
    "create_campaign",
    "create_simulation",
    "deliver",
    "dispatch_due_work",
    "enroll",
    "enroll_chunk",
    "launch_run",
    "launch_simulation",
    "queue_mailbox_checks",
    "rebuild_run_statistics",
    "resume_stalled_launches",
    "schedule_campaign",
    "set_sending_pace",
    "set_simulation_rules",
]
