"""The outbox: due messages are claimed in the database at each organisation's pace, then
sent in batches by Celery. A claim is a conditional UPDATE, so two ticks or a retried task
never send a message twice; a message whose worker died is handed back, never skipped."""

import hashlib
import logging
import secrets
import smtplib
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from awareness.lib.sms import SmsError
from training.campaigns.bulk import insert_new_rows
from training.campaigns.models import (
    Assignment,
    Notification,
    NotificationKind,
    NotificationStatus,
    SendingPolicy,
)
from training.campaigns.selectors import message_context
from training.campaigns.services.lures import build_lure, lure_still_allowed, mark_lure_sent
from training.people.models import Organization

logger = logging.getLogger(__name__)
BATCH_SIZE = 100  # messages per delivery task, sent over one SMTP connection
MAX_ATTEMPTS = 6
TRANSIENT_ERRORS = (smtplib.SMTPException, OSError, SmsError)


def queue_messages(run, kind: str, keyed: list[tuple[int, str]], *, not_before) -> None:
    """Outbox rows for (membership id, key) pairs; a key already queued stays as it is."""
    insert_new_rows(
        Notification,
        ["key", "organization", "run", "membership", "kind", "status", "not_before",
         "attempts", "last_error"],
        (
            (key, run.campaign.organization_id, run.pk, member, kind,
             NotificationStatus.PENDING, not_before, 0, "")
            for member, key in keyed
        ),
    )  # fmt: skip


def allowance(organization_id: int, now: datetime) -> int | None:
    """How many more messages the organisation may send now (None: no limit)."""
    policy = SendingPolicy.objects.filter(organization_id=organization_id).first()
    per_minute = policy.per_minute if policy else settings.MAIL_PER_MINUTE
    per_day = policy.per_day if policy else settings.MAIL_PER_DAY
    if not per_minute and not per_day:
        return None
    recent = Notification.objects.filter(
        organization_id=organization_id, claimed_at__gte=now - timedelta(days=1)
    ).aggregate(
        minute=Count("pk", filter=Q(claimed_at__gte=now - timedelta(minutes=1))),
        day=Count("pk"),
    )
    limits = []
    if per_minute:
        # Spread a minute's allowance over the minute's ticks instead of one burst.
        per_tick = -(-per_minute * settings.TICK_SECONDS // 60)
        limits.append(min(per_tick, per_minute - recent["minute"]))
    if per_day:
        limits.append(per_day - recent["day"])
    return max(0, min(limits))


def claim_due_notifications(*, now: datetime) -> list[list[int]]:
    """Claim what is due, within each organisation's allowance; returns delivery batches,
    enqueued after commit."""
    # the tasks module imports this one: imported when the work is queued
    from training.campaigns.tasks import deliver_notifications as deliver_notifications_task

    organizations = (
        Notification.objects.filter(status=NotificationStatus.PENDING, not_before__lte=now)
        .values_list("organization_id", flat=True)
        .distinct()
    )
    batches = []
    for organization_id in list(organizations):
        with transaction.atomic():
            # The organisation's row is the lock of its allowance: of N ticks at once, one
            # counts and claims while the others skip it, and the next to come counts what
            # that one claimed. Read first and claim after, and two ticks would both spend it.
            if not _lock_allowance(organization_id):
                continue
            room = allowance(organization_id, now)
            if room == 0:
                continue
            due = (
                Notification.objects.select_for_update(skip_locked=True)
                .filter(
                    organization_id=organization_id,
                    status=NotificationStatus.PENDING,
                    not_before__lte=now,
                )
                .order_by("not_before", "pk")
                .values_list("pk", flat=True)
            )
            ids = list(due[:room] if room is not None else due)
            Notification.objects.filter(pk__in=ids, status=NotificationStatus.PENDING).update(
                status=NotificationStatus.SENDING, claimed_at=now
            )
            for start in range(0, len(ids), BATCH_SIZE):
                batch = ids[start : start + BATCH_SIZE]
                batches.append(batch)
                transaction.on_commit(lambda b=batch: deliver_notifications_task.delay(b))
    return batches


def _lock_allowance(organization_id: int) -> bool:
    """Lock the organisation's row until the claim commits; False if another tick holds it.
    FOR NO KEY UPDATE leaves rows that refer to the organisation free to be written."""
    locked = Organization.objects.select_for_update(skip_locked=True, no_key=True).filter(
        pk=organization_id
    )
    return bool(list(locked.values_list("pk", flat=True)))


def release_stalled(*, now: datetime) -> int:
    """A message claimed long ago and still "sending" lost its worker: send it again."""
    return Notification.objects.filter(
        status=NotificationStatus.SENDING,
        claimed_at__lt=now - timedelta(seconds=settings.OUTBOX_STALLED_SECONDS),
    ).update(status=NotificationStatus.PENDING)


def deliver(notification_ids: list[int]) -> int:
    """Send claimed messages over one connection; returns how many were sent."""
    rows = (
        Notification.objects.filter(pk__in=notification_ids, status=NotificationStatus.SENDING)
        .select_related(
            "membership__user",
            "membership__organization",
            "run__campaign",
            "delivery__simulation__template",
            "delivery__simulation__organization",
            "delivery__group",
            "delivery__membership__user",
        )
        .prefetch_related("run__campaign__modules")
        .order_by("pk")
    )
    rows = list(rows)
    connection = get_connection()
    try:
        connection.open()
    except TRANSIENT_ERRORS as error:  # the mail server is unreachable: all wait and retry
        for notification in rows:
            _retry_later(notification, error)
        return 0
    try:
        domains: dict[int, set[str]] = {}  # each organisation's verified domains, once a batch
        return sum(_deliver_one(notification, connection, domains) for notification in rows)
    finally:
        connection.close()


def _deliver_one(notification: Notification, connection, domains: dict) -> int:
    if _no_longer_needed(notification, domains):
        Notification.objects.filter(pk=notification.pk, status=NotificationStatus.SENDING).update(
            status=NotificationStatus.CANCELLED
        )
        return 0
    # A lure's link token is made here and only its hash kept: if the send fails, the
    # transaction below rolls the hash back and a retry makes a new one.
    token = secrets.token_urlsafe(24) if notification.kind == NotificationKind.LURE else ""
    message = build_message(notification, connection=connection, token=token)
    try:
        # Marked sent in the same transaction as the send: if the process dies before the
        # server accepts the message, nothing is recorded and it is sent again later.
        with transaction.atomic():
            marked = Notification.objects.filter(
                pk=notification.pk, status=NotificationStatus.SENDING
            ).update(status=NotificationStatus.SENT, sent_at=timezone.now())
            if marked and token:
                mark_lure_sent(notification.delivery_id, token)
            if marked:
                message.send()
        return marked
    except TRANSIENT_ERRORS as error:
        _retry_later(notification, error)
        return 0


def _retry_later(notification: Notification, error: Exception) -> None:
    attempts = notification.attempts + 1
    failed = attempts >= MAX_ATTEMPTS
    logger.warning("sending %s failed (attempt %s): %s", notification.key, attempts, error)
    Notification.objects.filter(pk=notification.pk, status=NotificationStatus.SENDING).update(
        status=NotificationStatus.FAILED if failed else NotificationStatus.PENDING,
        attempts=attempts,
        last_error=f"{type(error).__name__}: {error}"[:500],
        # Backoff in the database (1, 2, 4, 8, 16 minutes), never a long Celery countdown.
        not_before=timezone.now() + timedelta(minutes=2 ** (attempts - 1)),
    )


def _no_longer_needed(notification: Notification, domains: dict) -> bool:
    if notification.kind == NotificationKind.LURE:
        return not lure_still_allowed(notification.delivery, domains)
    if not notification.membership.user.email or not notification.membership.is_active:
        return True
    if notification.kind == NotificationKind.REMINDER:
        return not Assignment.objects.filter(
            run_id=notification.run_id,
            membership_id=notification.membership_id,
            completed_at__isnull=True,
        ).exists()
    return False


def message_id(key: str) -> str:
    """The same message always has the same Message-ID, so mail systems can drop a copy."""
    domain = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"<{hashlib.sha256(key.encode()).hexdigest()[:32]}@{domain}>"


def build_message(notification: Notification, *, connection=None, token: str = ""):
    """A multipart e-mail in the recipient's language, with personal links (for a lure:
    the lure, an e-mail or a text message)."""
    if notification.kind == NotificationKind.LURE:
        return build_lure(notification.delivery, token, connection=connection)
    user = notification.membership.user
    template = f"campaigns/email/{notification.kind}"
    with translation.override(user.language or settings.LANGUAGE_CODE):
        context = message_context(notification)
        subject = render_to_string(f"{template}_subject.txt", context).strip()
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        to=[user.email],
        connection=connection,
        headers={"Message-ID": message_id(notification.key)},
    )
    message.attach_alternative(html, "text/html")
    return message
