"""Writes of identity; import from here."""

from training.identity.services.oidc import (
    SignInRefused,
    configure_oidc,
    discover_provider,
    provision_sso_member,
    record_sso_refusal,
)

__all__ = [
    "SignInRefused",
    "configure_oidc",
    "discover_provider",
    "provision_sso_member",
    "record_sso_refusal",
]
