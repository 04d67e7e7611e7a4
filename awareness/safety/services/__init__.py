"""Writes of the safety side, split by sub-domain; import from here."""

from awareness.safety.services.audit import record_audit
from awareness.safety.services.consent import revoke_consent
from awareness.safety.services.removal import (
    claim_removal_reminders,
    decide_removal_request,
    file_removal_request,
    hide_pending_review,
    reject_removal_request,
    remove_example,
)

__all__ = [
    "claim_removal_reminders",
    "decide_removal_request",
    "file_removal_request",
    "hide_pending_review",
    "record_audit",
    "reject_removal_request",
    "remove_example",
    "revoke_consent",
]
