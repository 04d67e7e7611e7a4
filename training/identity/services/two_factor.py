"""Two-factor authentication (django-otp): an authenticator app (TOTP) with ten one-use
recovery codes. Using a recovery code, and replacing a lost authenticator, are audited."""

import secrets
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from awareness.safety.services import record_audit
from training.identity.models import TwoFactorPolicy
from training.identity.services.oidc import require_owner
from training.people.models import Membership, User

RECOVERY_CODES = 10
AUTHENTICATOR = "authenticator app"
RECOVERY = "recovery codes"


def pending_authenticator(user: User) -> TOTPDevice:
    """The authenticator being set up: the same secret until it is confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=AUTHENTICATOR, confirmed=False)


def confirm_authenticator(user: User, code: str) -> tuple[TOTPDevice, list[str]]:
    """The first code from the app proves it holds the secret; returns the recovery codes,
    shown this once (django-otp keeps them; each works once)."""
    # Checked outside the transaction: django-otp's count of wrong codes must stay saved.
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    _refuse_while_throttled(device)
    if device is None or not device.verify_token(code.replace(" ", "")):
        raise ValidationError({"code": _("That code is not right. Type the six digits the app "
                                          "shows now.")})  # fmt: skip
    return device, _turn_on(user, device)


@transaction.atomic
def _turn_on(user: User, device: TOTPDevice) -> list[str]:
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    StaticDevice.objects.filter(user=user).delete()
    recovery = StaticDevice.objects.create(user=user, name=RECOVERY)
    codes = [secrets.token_hex(5) for _n in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=recovery, token=c) for c in codes)
    record_audit(actor=user, action="mfa.enrolled", target=device, details={"kind": "totp"})
    return codes


def has_second_factor(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def check_second_factor(user: User, code: str):
    """The device the code belongs to: six digits are the app's, anything else a recovery
    code. Not one transaction: a wrong code's throttling and audit event are kept."""
    code = code.strip().replace(" ", "").lower()
    app_code = len(code) == 6 and code.isdigit()
    devices = (TOTPDevice if app_code else StaticDevice).objects.filter(user=user, confirmed=True)
    for device in devices:
        _refuse_while_throttled(device)
        if device.verify_token(code):
            if app_code:
                record_audit(actor=user, action="mfa.verified", details={"kind": "totp"})
            else:
                record_audit(
                    actor=user, action="mfa.recovery_code_used", target=device,
                    details={"codes_left": device.token_set.count()},
                )  # fmt: skip
            return device
    record_audit(actor=user, action="mfa.failed")
    raise ValidationError({"code": _("That code is not right. Try the code the app shows now, "
                                      "or one of your recovery codes.")})  # fmt: skip


def _refuse_while_throttled(device) -> None:
    if device is not None and not device.verify_is_allowed()[0]:
        raise ValidationError({"code": _("Too many wrong codes: wait a few seconds, then try "
                                          "again.")})  # fmt: skip


@transaction.atomic
def forget_authenticator(user: User) -> None:
    """A lost phone: after signing in with a recovery code, set up a new app."""
    removed, _kinds = TOTPDevice.objects.filter(user=user).delete()
    record_audit(actor=user, action="mfa.authenticator_removed", details={"devices": removed})


@transaction.atomic
def set_two_factor_policy(actor: Membership, *, required_for_staff: bool, now: datetime):
    require_owner(actor)
    policy, _created = TwoFactorPolicy.objects.update_or_create(
        organization_id=actor.organization_id,
        defaults={"required_for_staff": required_for_staff, "updated_at": now},
    )
    record_audit(
        actor=actor.user, organization=actor.organization, action="mfa.policy_changed",
        target=policy, details={"required_for_staff": required_for_staff},
    )  # fmt: skip
    return policy
