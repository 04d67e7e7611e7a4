"""Members' own phone numbers, confirmed with a 6-digit code texted to them.

Only the member can set or confirm their number (never an administrator for them), only
adults with named accounts have the feature, and changing the number clears the confirmation.
Codes are kept as keyed hashes, die after PHONE_CODE_MINUTES or PHONE_CODE_ATTEMPTS wrong
tries, and at most PHONE_CODES_PER_HOUR are sent per membership.
"""

import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from awareness.lib import sms
from awareness.safety.services import record_audit
from training.people.domains import normalize_phone
from training.people.models import Membership, PhoneCode
from training.people.selectors import phone_feature_allowed

CODE_WINDOW = timedelta(hours=1)


def _hash(membership_id: int, number: str, code: str) -> str:
    # Keyed: a million possible codes would fall to a plain hash at once.
    return salted_hmac(
        "training.people.phone-code", f"{membership_id}:{number}:{code}", algorithm="sha256"
    ).hexdigest()


def _void_code(membership: Membership, now: datetime) -> None:
    """A pending code stops working (so changing A → B → A cannot revive A's code), but its
    row stays: it counts the codes sent this hour, whichever numbers they went to."""
    PhoneCode.objects.filter(membership=membership).update(code_hash="", expires_at=now)


def _own(membership: Membership, user) -> None:
    if membership.user_id != user.pk:
        raise PermissionDenied("Only members themselves can set or confirm their phone number.")
    if not phone_feature_allowed(user):
        raise PermissionDenied("This account cannot have a phone number.")


@transaction.atomic
def set_phone(membership: Membership, user, number: str, now: datetime) -> bool:
    """Set the member's own number (unconfirmed). True if it changed. Send a code next."""
    _own(membership, user)
    try:
        number = normalize_phone(number)
    except ValidationError as error:
        raise ValidationError({"phone_number": error.messages}) from None
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if number == membership.phone_number:
        return False
    had_number = bool(membership.phone_number)
    membership.phone_number, membership.phone_confirmed_at = number, None
    membership.save(update_fields=["phone_number", "phone_confirmed_at"])
    _void_code(membership, now)
    # The number itself is personal data: the audit log keeps only that it changed.
    record_audit(
        actor=user,
        organization=membership.organization,
        action="phone.changed" if had_number else "phone.added",
        target=membership,
    )
    return True


def send_code(membership: Membership, user, now: datetime) -> PhoneCode:
    """Text a new code to the member's unconfirmed number; an earlier code stops working.
    ValidationError when the hourly limit is reached or the text cannot be sent."""
    _own(membership, user)
    code = f"{secrets.randbelow(1_000_000):06d}"
    with transaction.atomic():
        membership = (
            Membership.objects.select_for_update()
            .select_related("organization")
            .get(pk=membership.pk)
        )
        if not membership.phone_number:
            raise ValidationError(_("Add your phone number first."))
        if membership.phone_confirmed_at is not None:
            raise ValidationError(_("This number is already confirmed."))
        pending = PhoneCode.objects.filter(membership=membership).first()
        window_started_at, sends = now, 1
        if pending is not None and now - pending.window_started_at < CODE_WINDOW:
            if pending.sends_in_window >= settings.PHONE_CODES_PER_HOUR:
                wait = pending.window_started_at + CODE_WINDOW - now
                raise ValidationError(
                    ngettext(
                        "You have asked for %(count)s code in the last hour. Wait "
                        "%(minutes)s minutes, then ask for a new one.",
                        "You have asked for %(count)s codes in the last hour. Wait "
                        "%(minutes)s minutes, then ask for a new one.",
                        pending.sends_in_window,
                    )
                    % {
                        "count": pending.sends_in_window,
                        "minutes": max(1, round(wait.total_seconds() / 60)),
                    }
                )
            window_started_at, sends = pending.window_started_at, pending.sends_in_window + 1
        phone_code, _created = PhoneCode.objects.update_or_create(
            membership=membership,
            defaults={
                "phone_number": membership.phone_number,
                "code_hash": _hash(membership.pk, membership.phone_number, code),
                "sent_at": now,
                "expires_at": now + timedelta(minutes=settings.PHONE_CODE_MINUTES),
                "attempts": 0,
                "window_started_at": window_started_at,
                "sends_in_window": sends,
            },
        )
    # After commit: a code is never texted that the database does not know.
    body = _(
        "%(code)s is your code to confirm this number for %(organization)s's scam-awareness "
        "training. It expires in %(minutes)s minutes. Never share it: we will never call or "
        "text to ask for it."
    ) % {
        "code": code,
        "organization": membership.organization.name,
        "minutes": settings.PHONE_CODE_MINUTES,
    }
    try:
        sms.send_text(
            membership.phone_number,
            body,
            sender=settings.SMS_SENDER,
            headers={"purpose": "phone-confirmation"},
        )
    except sms.SmsRejected:
        raise ValidationError(
            _("The text could not be delivered to this number. Check it and try again.")
        ) from None
    except sms.SmsError:
        raise ValidationError(
            _("Texts cannot be sent just now. Try again in a few minutes.")
        ) from None
    return phone_code


def confirm_code(membership: Membership, user, code: str, now: datetime) -> Membership:
    """Confirm the member's number with the code texted to it."""
    _own(membership, user)
    code = "".join((code or "").split())
    problem = ""
    with transaction.atomic():
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        pending = PhoneCode.objects.filter(membership=membership).first()
        if membership.phone_confirmed_at is not None and membership.phone_number:
            return membership
        if (
            pending is None
            or not pending.code_hash
            or pending.phone_number != membership.phone_number
        ):
            problem = _("Ask for a code first: there is no code for this number.")
        elif pending.attempts >= settings.PHONE_CODE_ATTEMPTS:
            problem = _("Too many wrong codes. Ask for a new code.")
        elif pending.expires_at <= now:
            problem = _("This code has expired. Ask for a new code.")
        elif not constant_time_compare(
            pending.code_hash, _hash(membership.pk, membership.phone_number, code)
        ):
            pending.attempts += 1
            pending.save(update_fields=["attempts"])
            left = settings.PHONE_CODE_ATTEMPTS - pending.attempts
            problem = (
                ngettext(
                    "That is not the code we sent. You can try %(left)s more time.",
                    "That is not the code we sent. You can try %(left)s more times.",
                    left,
                )
                % {"left": left}
                if left
                else _("That is not the code we sent. Too many wrong codes: ask for a new one.")
            )
        else:
            membership.phone_confirmed_at = now
            membership.save(update_fields=["phone_confirmed_at"])
            pending.delete()
            record_audit(
                actor=user,
                organization=membership.organization,
                action="phone.confirmed",
                target=membership,
            )
    # Raised after the block, so a wrong try is counted even though the confirmation fails.
    if problem:
        raise ValidationError({"code": problem})
    return membership


@transaction.atomic
def remove_phone(membership: Membership, user) -> None:
    """The member takes their number off: no SMS-style simulation can reach it any more."""
    if membership.user_id != user.pk:
        raise PermissionDenied("Only members themselves can remove their phone number.")
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if not membership.phone_number:
        return
    membership.phone_number, membership.phone_confirmed_at = "", None
    membership.save(update_fields=["phone_number", "phone_confirmed_at"])
    _void_code(membership, timezone.now())
    record_audit(
        actor=user, organization=membership.organization, action="phone.removed", target=membership
    )
