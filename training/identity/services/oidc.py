"""OpenID Connect single sign-on: an owner connects the organisation's identity provider; a
first sign-in there makes a membership (just-in-time provisioning)."""

from datetime import datetime
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from awareness.lib.sealing import seal
from awareness.safety.services import record_audit
from training.identity.models import SsoConnection
from training.people.domains import domain_of_address
from training.people.models import Group, GroupKind, Membership, Role, User, VerifiedDomain

# The purpose name providers' client secrets are sealed under (awareness.lib.sealing).
CLIENT_SECRETS = "identity.client-secret"
DISCOVERY_PATH = "/.well-known/openid-configuration"
ENDPOINTS = ("authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri")


class SignInRefused(Exception):
    """A sign-in the identity provider vouched for that we still refuse; `code` goes to the
    audit log, the message to the person."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


def require_owner(membership: Membership) -> None:
    if membership.role != Role.OWNER:
        raise PermissionDenied("Only the organisation's owners can change how it signs in.")


def _check_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme != "https" and not (settings.SSO_ALLOW_HTTP_ISSUERS and parts.scheme == "http"):
        raise ValidationError({"issuer": _("Use an https:// address.")})
    if parts.username or parts.password or not parts.hostname:
        raise ValidationError({"issuer": _("Type the issuer address your provider shows.")})


def discover_provider(issuer: str) -> dict:
    """The provider's endpoints from its discovery document, checked to name this issuer."""
    issuer = issuer.strip().rstrip("/")
    _check_url(issuer)
    try:
        response = requests.get(
            issuer + DISCOVERY_PATH, timeout=settings.SSO_TIMEOUT_SECONDS, allow_redirects=False
        )
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as error:
        raise ValidationError(
            {"issuer": _("The provider's discovery document could not be read: %(error)s")
             % {"error": type(error).__name__}}
        ) from error  # fmt: skip
    if not isinstance(document, dict) or str(document.get("issuer", "")).rstrip("/") != issuer:
        raise ValidationError(
            {"issuer": _("The discovery document names another issuer: check the address.")}
        )
    found = {name: document.get(name) for name in ENDPOINTS}
    if not all(isinstance(url, str) and url for url in found.values()):
        raise ValidationError({"issuer": _("The discovery document lacks an endpoint we need.")})
    for url in found.values():
        _check_url(url)
    return {"issuer": str(document["issuer"]), **found}


@transaction.atomic
def configure_oidc(
    actor: Membership,
    *,
    issuer: str,
    client_id: str,
    client_secret: str,
    default_role: str,
    department_claim: str,
    require_sso: bool,
    break_glass_owner: Membership | None,
    now: datetime,
) -> SsoConnection:
    """Save the provider (a blank secret keeps the one stored); audited, secret never logged."""
    require_owner(actor)
    connection = SsoConnection.objects.filter(organization_id=actor.organization_id).first()
    if connection is None and not client_secret:
        raise ValidationError({"client_secret": _("Paste the client secret.")})
    if require_sso and (
        break_glass_owner is None
        or break_glass_owner.organization_id != actor.organization_id
        or break_glass_owner.role != Role.OWNER
        or not break_glass_owner.is_active
    ):
        raise ValidationError(
            {"break_glass_owner": _("Choose an owner who can still sign in with a password.")}
        )
    endpoints = discover_provider(issuer)
    connection = connection or SsoConnection(organization_id=actor.organization_id)
    changed = connection.pk is None or any(
        getattr(connection, field) != value for field, value in endpoints.items()
    )
    for field, value in endpoints.items():
        setattr(connection, field, value)
    connection.client_id = client_id
    if client_secret:
        connection.client_secret_sealed = seal(client_secret, purpose=CLIENT_SECRETS)
    connection.default_role = default_role
    connection.department_claim = department_claim
    connection.require_sso = require_sso
    connection.break_glass_owner = break_glass_owner if require_sso else None
    connection.updated_at = now
    connection.save()
    record_audit(
        actor=actor.user,
        organization=actor.organization,
        action="sso.configured",
        target=connection,
        details={
            "protocol": "oidc",
            "issuer": connection.issuer,
            "issuer_changed": changed,
            "client_id": client_id,
            "secret_replaced": bool(client_secret),
            "default_role": default_role,
            "department_claim": department_claim,
            "require_sso": require_sso,
            "break_glass_owner": connection.break_glass_owner_id,
        },
    )
    return connection


def record_sso_refusal(connection: SsoConnection, code: str) -> None:
    record_audit(
        organization=connection.organization,
        action="sso.sign_in_refused",
        target=connection,
        details={"protocol": "oidc", "reason": code},
    )


@transaction.atomic
def provision_sso_member(connection: SsoConnection, claims: dict, *, now: datetime) -> User:
    """The account the provider vouched for, with its membership (made on first sign-in with
    the default role) and its department from the configured claim."""
    organization = connection.organization
    email = str(claims.get("email") or "").strip()
    domain = domain_of_address(email)
    if (
        not domain
        or not VerifiedDomain.objects.filter(
            organization=organization, domain=domain, verified_at__isnull=False
        ).exists()
    ):
        # An address elsewhere could be anyone's account: the provider speaks only for ours.
        raise SignInRefused(
            "address_not_on_verified_domain",
            _("Your provider signed you in as an address that is not on %(org)s's verified "
              "domains.") % {"org": organization.name},
        )  # fmt: skip
    user = User.objects.filter(email__iexact=email).first()
    if user is not None and (user.is_pseudonymous or not user.is_active):
        raise SignInRefused("account_cannot_use_sso", _("This account cannot sign in here."))
    if user is None:
        user = _new_account(email, claims)
    membership, created = Membership.objects.get_or_create(
        organization=organization, user=user, defaults={"role": connection.default_role}
    )
    if not membership.is_active:
        raise SignInRefused(
            "membership_ended",
            _("Your membership of %(org)s has ended. Ask its administrators.")
            % {"org": organization.name},
        )
    department = _department_from(connection, claims)
    if department is not None:
        membership.groups.remove(
            *membership.groups.filter(kind=GroupKind.DEPARTMENT).exclude(pk=department.pk)
        )
        department.members.add(membership)
    if created:
        record_audit(
            actor=user,
            organization=organization,
            action="sso.member_provisioned",
            target=membership,
            details={"role": membership.role, "department": department.pk if department else None},
        )
    record_audit(
        actor=user,
        organization=organization,
        action="sso.signed_in",
        target=membership,
        details={"protocol": "oidc"},
    )
    return user


def _new_account(email: str, claims: dict) -> User:
    name = str(claims.get("name") or "")[:150]
    first, _sep, last = name.partition(" ")
    for attempt in range(20):
        username = email[:150] if attempt == 0 else f"{email[:140]}-{attempt}"
        try:
            with transaction.atomic():
                user = User(username=username, email=email, first_name=first, last_name=last)
                user.set_unusable_password()
                user.save()
                return user
        except IntegrityError:
            continue
    raise SignInRefused("no_free_username", _("No account could be made for you."))


def _department_from(connection: SsoConnection, claims: dict) -> Group | None:
    if not connection.department_claim:
        return None
    name = str(claims.get(connection.department_claim) or "").strip()[:100]
    if not name:
        return None
    group, _created = Group.objects.get_or_create(
        organization=connection.organization,
        name=name,
        defaults={"kind": GroupKind.DEPARTMENT, "join_open": False},
    )
    return group
