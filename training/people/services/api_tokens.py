"""API tokens: made and revoked by an organisation's administrators, shown once, kept hashed."""

import hmac
import secrets
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction

from awareness.lib.tokens import hash_token
from awareness.safety.services import record_audit
from training.people.models import ADMIN_ROLES, ApiToken, Membership
from training.people.selectors import require_admin

TOKEN_PREFIX = "sat_"  # noqa: S105 (a label that makes leaked tokens easy to scan for)
# Writing "last used" on every request would make every read a write; once a minute will do.
LAST_USED_PRECISION = timedelta(minutes=1)


@transaction.atomic
def create_api_token(actor: Membership, *, name: str, scope: str, now: datetime) -> tuple:
    """The new token row and its secret, which is shown this once and never stored."""
    require_admin(actor)
    prefix = secrets.token_hex(4)
    secret = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        organization_id=actor.organization_id,
        created_by=actor,
        name=name,
        scope=scope,
        prefix=prefix,
        token_hash=hash_token(secret),
        created_at=now,
    )
    record_audit(
        actor=actor.user,
        organization=actor.organization,
        action="api_token.created",
        target=token,
        details={"scope": scope},
    )
    return token, secret


@transaction.atomic
def revoke_api_token(actor: Membership, token: ApiToken, *, now: datetime) -> ApiToken:
    require_admin(actor)
    if token.organization_id != actor.organization_id:
        raise PermissionDenied
    if ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=now):
        token.revoked_at = now
        record_audit(
            actor=actor.user,
            organization=actor.organization,
            action="api_token.revoked",
            target=token,
        )
    return token


def api_token_by_secret(secret: str) -> ApiToken | None:
    """The live token behind a secret, with the admin it acts for; None for anything else,
    including a revoked token or one whose maker is no longer an active administrator."""
    body = secret.removeprefix(TOKEN_PREFIX)
    prefix, _sep, _rest = body.partition("_")
    if not secret.startswith(TOKEN_PREFIX) or not prefix:
        return None
    token = (
        ApiToken.objects.filter(prefix=prefix, revoked_at__isnull=True)
        .select_related("organization", "created_by__user", "created_by__organization")
        .first()
    )
    if token is None or not hmac.compare_digest(token.token_hash, hash_token(secret)):
        return None
    maker = token.created_by
    if not maker.is_active or maker.role not in ADMIN_ROLES or not maker.user.is_active:
        return None
    return token


def note_token_use(token: ApiToken, *, now: datetime) -> None:
    """Record when the token was last used, to the minute, without a write on most requests."""
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
