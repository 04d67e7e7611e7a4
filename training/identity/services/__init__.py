"""Writes of identity; import from here."""

from training.identity.services.oidc import (
    SignInRefused,
    configure_oidc,
    discover_provider,
    provision_sso_member,
    record_sso_refusal,
)
from training.identity.services.two_factor import (
    check_second_factor,
    confirm_authenticator,
    forget_authenticator,
    has_second_factor,
    pending_authenticator,
    set_two_factor_policy,
)

__all__ = [
    "SignInRefused",
    "check_second_factor",
    "configure_oidc",
    "confirm_authenticator",
    "discover_provider",
    "forget_authenticator",
    "has_second_factor",
    "pending_authenticator",
    "provision_sso_member",
    "record_sso_refusal",
    "set_two_factor_policy",
]
