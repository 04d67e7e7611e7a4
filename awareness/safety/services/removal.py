"""Removal requests: anyone files one; a request about one's own likeness or voice hides the
example at once; staff decide before the deadline. The requester hears of every step by
e-mail, staff are reminded as deadlines near, and every step is in the audit log."""

from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from awareness.content.caching import content_changed
from awareness.content.models import Example
from awareness.safety.models import (
    HIDES_AT_ONCE,
    OPEN_STATUSES,
    RemovalRequest,
    RemovalStatus,
)
from awareness.safety.selectors import require_reviewer
from awareness.safety.services.audit import record_audit

REMINDER_DUE_SOON, REMINDER_OVERDUE = 1, 2


@transaction.atomic
def file_removal_request(
    *,
    example: Example,
    reason: str,
    contact_email: str,
    details: str,
    filed_by=None,
    language: str,
    now: datetime,
) -> RemovalRequest:
    """Record a request; one about the requester's likeness or voice hides the example in the
    same transaction, so no page shows it once this returns."""
    hides = reason in HIDES_AT_ONCE
    removal = RemovalRequest.objects.create(
        example=example,
        example_slug=example.slug,
        reason=reason,
        contact_email=contact_email,
        details=details,
        language=language,
        filed_by=filed_by if filed_by is not None and filed_by.is_authenticated else None,
        status=RemovalStatus.HIDDEN if hides else RemovalStatus.RECEIVED,
        filed_at=now,
        due_at=now + timedelta(days=settings.REMOVAL_REVIEW_DAYS),
    )
    record_audit(
        actor=removal.filed_by,
        action="removal.filed",
        target=removal,
        details={"example": example.slug, "reason": reason},
    )
    if hides:
        content_changed()
        record_audit(action="removal.hidden", target=removal, details={"automatic": True})
    _after_commit(send_requester_update, removal.pk)
    _after_commit(send_staff_notice, removal.pk, "new")
    return removal


def _decide(
    removal: RemovalRequest,
    *,
    reviewer,
    to: str,
    allowed_from: set[str],
    reason: str,
    now: datetime,
) -> RemovalRequest:
    require_reviewer(reviewer)
    final = to in (RemovalStatus.REMOVED, RemovalStatus.REJECTED)
    # A conditional UPDATE: two reviewers clicking at once make one decision.
    moved = RemovalRequest.objects.filter(pk=removal.pk, status__in=allowed_from).update(
        status=to, decided_at=now if final else None, decision_reason=reason
    )
    if moved != 1:
        raise ValidationError(_("This request has already been decided."))
    removal.refresh_from_db()
    content_changed()
    record_audit(
        actor=reviewer,
        action=f"removal.{to}",
        target=removal,
        details={"reason": reason} if reason else {},
    )
    _after_commit(send_requester_update, removal.pk)
    return removal


@transaction.atomic
def hide_pending_review(removal: RemovalRequest, *, reviewer, now: datetime) -> RemovalRequest:
    return _decide(
        removal,
        reviewer=reviewer,
        to=RemovalStatus.HIDDEN,
        allowed_from={RemovalStatus.RECEIVED},
        reason="",
        now=now,
    )


@transaction.atomic
def remove_example(
    removal: RemovalRequest, *, reviewer, reason: str = "", now: datetime
) -> RemovalRequest:
    """Take the example down for good, in every language and version."""
    return _decide(
        removal,
        reviewer=reviewer,
        to=RemovalStatus.REMOVED,
        allowed_from=OPEN_STATUSES,
        reason=reason,
        now=now,
    )


@transaction.atomic
def reject_removal_request(
    removal: RemovalRequest, *, reviewer, reason: str, now: datetime
) -> RemovalRequest:
    """Keep the example (shown again if it was hidden); the requester is told why."""
    if not reason.strip():
        raise ValidationError(_("Say why the request is rejected: the requester is told."))
    return _decide(
        removal,
        reviewer=reviewer,
        to=RemovalStatus.REJECTED,
        allowed_from=OPEN_STATUSES,
        reason=reason.strip(),
        now=now,
    )


def decide_removal_request(
    removal: RemovalRequest, *, reviewer, decision: str, reason: str, now: datetime
) -> RemovalRequest:
    """The staff queue's decision: "hide" (pending review), "remove" or "reject"."""
    if decision == "hide":
        return hide_pending_review(removal, reviewer=reviewer, now=now)
    if decision == "remove":
        return remove_example(removal, reviewer=reviewer, reason=reason, now=now)
    return reject_removal_request(removal, reviewer=reviewer, reason=reason, now=now)


# --- Reminders to staff -------------------------------------------------------------------------


def claim_removal_reminders(*, now: datetime) -> int:
    """The tick's part: claim each reminder that fell due (as the deadline nears, and once it
    has passed) with a conditional UPDATE, so two ticks never send one twice; the e-mail is
    queued after commit. Returns the number claimed."""
    # the tasks module imports this one: imported when the work is queued
    from awareness.safety.tasks import send_removal_reminder as send_removal_reminder_task

    soon = now + timedelta(hours=settings.REMOVAL_REMINDER_HOURS)
    stages = (
        (REMINDER_OVERDUE, Q(due_at__lte=now)),
        (REMINDER_DUE_SOON, Q(due_at__lte=soon)),
    )
    claimed = 0
    for stage, due in stages:
        candidates = RemovalRequest.objects.filter(
            due, status__in=OPEN_STATUSES, reminders_sent__lt=stage
        ).values_list("pk", "reminders_sent")
        for removal_id, sent in list(candidates):
            with transaction.atomic():
                if RemovalRequest.objects.filter(
                    pk=removal_id, reminders_sent=sent, status__in=OPEN_STATUSES
                ).update(reminders_sent=stage):
                    transaction.on_commit(
                        partial(send_removal_reminder_task.delay, removal_id, stage)
                    )
                    claimed += 1
    return claimed


def send_removal_reminder(removal_id: int, stage: int) -> None:
    """Remind staff, unless the request was decided (or moved on) since the claim."""
    removal = RemovalRequest.objects.filter(
        pk=removal_id, status__in=OPEN_STATUSES, reminders_sent=stage
    ).first()
    if removal is not None:
        send_staff_notice(removal.pk, "overdue" if stage == REMINDER_OVERDUE else "due_soon")


# --- E-mail -----------------------------------------------------------------------------------


def _after_commit(function, *args) -> None:
    transaction.on_commit(partial(function, *args), robust=True)


def _send(template: str, context: dict, to: list[str], language: str) -> None:
    with translation.override(language):
        context["LANGUAGE_CODE"] = translation.get_language()
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        message = EmailMultiAlternatives(
            subject=subject,
            body=render_to_string(f"{template}.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=to,
        )
        message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    message.send()


def send_requester_update(removal_id: int) -> None:
    """Tell the requester where their request stands, in the language they filed it in."""
    removal = RemovalRequest.objects.select_related("example").get(pk=removal_id)
    if not removal.contact_email:
        return
    context = {
        "removal": removal,
        "review_days": settings.REMOVAL_REVIEW_DAYS,
        "transparency_url": settings.SITE_URL.rstrip("/") + reverse("transparency"),
    }
    _send("safety/email/removal_update", context, [removal.contact_email], removal.language)


def send_staff_notice(removal_id: int, kind: str) -> None:
    """A new request, or one whose deadline is near or past, to every staff member."""
    removal = RemovalRequest.objects.select_related("example").get(pk=removal_id)
    staff = list(
        get_user_model()
        .objects.filter(is_staff=True, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    if not staff:
        return
    context = {
        "removal": removal,
        "kind": kind,
        "review_url": settings.SITE_URL.rstrip("/") + reverse("removal_review", args=[removal.pk]),
    }
    _send("safety/email/removal_staff", context, staff, settings.LANGUAGE_CODE)
