from django.db import models
from django.utils.translation import gettext_lazy as _

from training.people.models import Membership, Organization, Role

# JIT provisioning never makes owners or administrators: the IdP decides who works here,
# the organisation decides who runs it.
PROVISIONED_ROLES = [(r.value, r.label) for r in Role if r not in (Role.OWNER, Role.ADMIN)]


class SsoConnection(models.Model):
    """An organisation's OpenID Connect identity provider: people with an address on one of
    its verified domains sign in there, and get a membership on first sign-in."""

    organization = models.OneToOneField(
        Organization, on_delete=models.CASCADE, related_name="sso_connection"
    )
    issuer = models.URLField(_("issuer"), max_length=300)
    # From the issuer's discovery document, fetched when the owner saves the settings.
    authorization_endpoint = models.URLField(max_length=500)
    token_endpoint = models.URLField(max_length=500)
    userinfo_endpoint = models.URLField(max_length=500)
    jwks_uri = models.URLField(max_length=500)
    client_id = models.CharField(_("client ID"), max_length=200)
    client_secret_sealed = models.TextField()  # see training.identity.sealing
    default_role = models.CharField(
        _("role of new members"), max_length=10, choices=PROVISIONED_ROLES, default=Role.LEARNER
    )
    department_claim = models.CharField(_("department claim"), max_length=100, blank=True)
    require_sso = models.BooleanField(_("require single sign-on"), default=False)
    # The one owner who may still sign in with a password when require_sso is on, in case
    # the identity provider is down or misconfigured.
    break_glass_owner = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.organization} via {self.issuer}"


class TwoFactorPolicy(models.Model):
    """Whether an organisation asks a second factor of every staff role on its pages (owners
    and administrators always need one to launch a scam simulation)."""

    organization = models.OneToOneField(
        Organization, on_delete=models.CASCADE, related_name="two_factor_policy"
    )
    required_for_staff = models.BooleanField(
        _("require two-factor authentication of every staff role"), default=False
    )
    updated_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.organization}: staff {'must' if self.required_for_staff else 'may'}"
