"""Retention: what is older than DATA_RETENTION_DAYS is purged every night."""

from datetime import datetime, timedelta

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction

from awareness.safety.models import AuditEvent, RemovalRequest
from training.people.models import RosterImport
from training.progress.models import Answer, Attempt


def _delete(queryset) -> int:
    return queryset.delete()[1].get(queryset.model._meta.label, 0)


@transaction.atomic
def purge_expired_data(*, now: datetime) -> dict[str, int]:
    """Delete attempts and answers, sign-in and audit logs and roster files older than the
    retention period, and the contact details of long-decided removal requests (the decision
    itself stays, so removed material stays removed). Returns what went, per kind."""
    cutoff = now - timedelta(days=settings.DATA_RETENTION_DAYS)
    purged = {
        "answers": _delete(Answer.objects.filter(answered_at__lt=cutoff)),
        # An attempt with a certificate stays (without its answers): the certificate is proof.
        "attempts": _delete(
            Attempt.objects.filter(started_at__lt=cutoff, certificate__isnull=True)
        ),
        "audit_events": AuditEvent.objects.filter(created_at__lt=cutoff)._purge(),
        "roster_imports": _delete(RosterImport.objects.filter(created_at__lt=cutoff)),
        "removal_contacts": RemovalRequest.objects.filter(decided_at__lt=cutoff)
        .exclude(contact_email="", details="")
        .update(contact_email="", details=""),
        "expired_sessions": _delete(Session.objects.filter(expire_date__lt=now)),
    }
    purged["sign_in_logs"] = sum(
        _delete(log.objects.filter(attempt_time__lt=cutoff))
        for log in (AccessAttempt, AccessFailureLog, AccessLog)
    )
    return purged
