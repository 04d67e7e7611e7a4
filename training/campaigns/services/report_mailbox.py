"""The report mailbox: what staff forward to it is read over IMAP. A forwarded lure counts as
reported; anything else is listed for the security team with its headers, to triage."""

import imaplib
import re
from datetime import datetime, timedelta
from email.message import Message

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from imap_tools import AND, MailBox, MailBoxUnencrypted
from imap_tools.errors import MailboxLoginError

from awareness.lib.sealing import seal, secret_box
from awareness.lib.tokens import hash_token
from awareness.safety.services import record_audit
from training.campaigns.models import (
    Delivery,
    ReportedMessage,
    ReportMailbox,
    SimulationStatus,
    Verdict,
)
from training.campaigns.services.sending import SENDING_SECRETS
from training.campaigns.services.simulations import mark_reported
from training.people.models import Membership
from training.people.selectors import require_admin

LURE_TOKEN = re.compile(rb"/s/([A-Za-z0-9_-]{30,64})/")
LURE_REF = re.compile(rb"<([0-9a-f]{32})@")
HEADERS_KEPT = 20_000


def _open(host: str, port: int, use_tls: bool, username: str, password: str, folder: str):
    """A logged-in mailbox on the folder, or a ValidationError that says what went wrong."""
    kind = MailBox if use_tls else MailBoxUnencrypted
    where = f"{host}:{port}"
    try:
        return kind(host, port, timeout=settings.REPORT_MAILBOX_TIMEOUT).login(
            username, password, initial_folder=folder
        )
    except MailboxLoginError as error:
        raise ValidationError(
            _("The mail server at %(where)s refused this user name and password.")
            % {"where": where}
        ) from error
    except (OSError, imaplib.IMAP4.error) as error:
        raise ValidationError(
            _("Could not read the mailbox at %(where)s: %(error)s")
            % {"where": where, "error": error}
        ) from error


@transaction.atomic
def save_report_mailbox(actor: Membership, *, password: str, **fields) -> ReportMailbox:
    """Saved only once the server has taken the user name and password: a wrong one changes
    nothing."""
    require_admin(actor)
    _open(password=password, **fields).logout()
    mailbox, _created = ReportMailbox.objects.update_or_create(
        organization_id=actor.organization_id,
        defaults={**fields, "password": seal(password, purpose=SENDING_SECRETS), "problem": ""},
    )
    record_audit(
        actor=actor.user,
        organization=actor.organization,
        action="report_mailbox.saved",
        target=mailbox,
        details={"host": mailbox.host, "username": mailbox.username},
    )
    return mailbox


def check_report_mailbox(organization_id: int, *, now: datetime) -> dict[str, int]:
    """Read the unread messages once each: lures forwarded count as reported, the rest are
    listed. Returns how many of each; a problem is kept on the mailbox for the admin."""
    mailbox = ReportMailbox.objects.get(organization_id=organization_id)
    counts = {"simulations": 0, "other": 0}
    try:
        with _open(
            mailbox.host, mailbox.port, mailbox.use_tls, mailbox.username,
            secret_box(SENDING_SECRETS).decrypt(mailbox.password.encode()).decode(), mailbox.folder,
        ) as imap:  # fmt: skip
            for message in imap.fetch(AND(seen=False), mark_seen=True, bulk=True):
                counts[_take(mailbox.organization_id, message.obj, now)] += 1
    except ValidationError as error:
        ReportMailbox.objects.filter(pk=mailbox.pk).update(
            checked_at=now, problem=" ".join(error.messages)[:300]
        )
        raise
    ReportMailbox.objects.filter(pk=mailbox.pk).update(checked_at=now, problem="")
    return counts


@transaction.atomic
def _take(organization_id: int, forward: Message, now: datetime) -> str:
    raw = forward.as_bytes()
    tokens = {hash_token(token.decode()) for token in LURE_TOKEN.findall(raw)}
    refs = {ref.decode() for ref in LURE_REF.findall(raw)}
    lure = (
        Delivery.objects.filter(
            simulation__organization_id=organization_id,
            simulation__status=SimulationStatus.RUNNING,
        )
        .filter(Q(token_hash__in=tokens) | Q(message_ref__in=refs))
        .select_related("simulation__organization")
        .first()
        if tokens or refs
        else None
    )
    if lure is not None:
        mark_reported(lure, now)
        return "simulations"
    original = _original(forward)
    ReportedMessage.objects.get_or_create(
        organization_id=organization_id,
        message_id=(forward.get("Message-ID") or f"<no id {hash_token(str(raw))}>")[:300],
        defaults={
            "reported_by": str(forward.get("From", ""))[:254],
            "subject": str(original.get("Subject", ""))[:300],
            "original_sender": str(original.get("From", ""))[:300],
            "headers": "".join(f"{k}: {v}\n" for k, v in original.items())[:HEADERS_KEPT],
            "received_at": now,
        },
    )
    return "other"


def _original(forward: Message) -> Message:
    """The reported message itself when it was forwarded as an attachment, else the forward."""
    for part in forward.walk():
        if part.get_content_type() == "message/rfc822":
            payload = part.get_payload()
            if isinstance(payload, list) and payload:
                return payload[0]
    return forward


@transaction.atomic
def triage_reported_message(
    actor: Membership, message: ReportedMessage, verdict: str, *, now: datetime
) -> ReportedMessage:
    require_admin(actor)
    if message.organization_id != actor.organization_id or verdict not in Verdict.values:
        raise ValidationError(_("Choose one of the verdicts offered."))
    ReportedMessage.objects.filter(pk=message.pk).update(
        verdict=verdict, triaged_by=actor, triaged_at=now
    )
    record_audit(
        actor=actor.user,
        organization=actor.organization,
        action="reported_message.triaged",
        target=message,
        details={"verdict": verdict},
    )
    message.refresh_from_db()
    return message


def queue_mailbox_checks(*, now: datetime) -> int:
    """The tick: each mailbox not read for REPORT_MAILBOX_EVERY_MINUTES is claimed (its
    checked_at moved on, so no other tick takes it) and read by a task after commit."""
    from training.campaigns.tasks import check_report_mailbox as check_report_mailbox_task

    due_before = now - timedelta(minutes=settings.REPORT_MAILBOX_EVERY_MINUTES)
    queued = 0
    with transaction.atomic():
        due = ReportMailbox.objects.filter(
            Q(checked_at__isnull=True) | Q(checked_at__lt=due_before)
        ).values_list("pk", "organization_id", "checked_at")
        for pk, organization_id, checked_at in due:
            if ReportMailbox.objects.filter(pk=pk, checked_at=checked_at).update(checked_at=now):
                transaction.on_commit(lambda o=organization_id: check_report_mailbox_task.delay(o))
                queued += 1
    return queued
