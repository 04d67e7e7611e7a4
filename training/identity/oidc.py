"""mozilla-django-oidc, configured per organisation instead of in settings: the protocol
(authorisation code + PKCE, state, nonce, ID token signature) stays the library's."""

import logging

import jwt
import requests
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import View
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from awareness.lib.sealing import unseal
from training.identity.models import SsoConnection
from training.identity.selectors import sso_connection_of
from training.identity.services import SignInRefused, provision_sso_member, record_sso_refusal
from training.identity.services.oidc import CLIENT_SECRETS

logger = logging.getLogger(__name__)

# The connection a sign-in started with, kept in the session until the provider sends back.
SESSION_CONNECTION = "identity_sso_connection"
OUR_SETTINGS = {
    "OIDC_USE_PKCE": True,
    "OIDC_USE_NONCE": True,
    "OIDC_RP_SCOPES": "openid email profile",
    "OIDC_AUTHENTICATION_CALLBACK_URL": "sso_oidc_callback",
    "OIDC_CREATE_USER": True,
}


def oidc_setting(attr, *default):
    if attr in OUR_SETTINGS:
        return OUR_SETTINGS[attr]
    return import_from_settings(attr, *default)


class OrganizationOidcBackend(OIDCAuthenticationBackend):
    """Signs in whoever the organisation's provider vouches for, on its verified domains."""

    def __init__(self, *args, **kwargs):
        # Django builds every backend on every request; ours reads no settings until used.
        self.UserModel = get_user_model()

    get_settings = staticmethod(oidc_setting)

    def authenticate(self, request, *, nonce=None, code_verifier=None):
        # Keyword-only: a password sign-in's credentials never bind here.
        connection = (
            SsoConnection.objects.filter(pk=request.session.get(SESSION_CONNECTION))
            .select_related("organization")
            .first()
        )
        if connection is None:
            return None
        self.connection = connection
        self.OIDC_OP_TOKEN_ENDPOINT = connection.token_endpoint
        self.OIDC_OP_USER_ENDPOINT = connection.userinfo_endpoint
        self.OIDC_OP_JWKS_ENDPOINT = connection.jwks_uri
        self.OIDC_RP_CLIENT_ID = connection.client_id
        self.OIDC_RP_CLIENT_SECRET = unseal(connection.client_secret_sealed, purpose=CLIENT_SECRETS)
        self.OIDC_RP_SIGN_ALGO = "RS256"
        self.OIDC_RP_IDP_SIGN_KEY = None
        try:
            return super().authenticate(request, nonce=nonce, code_verifier=code_verifier)
        except SignInRefused as refusal:
            record_sso_refusal(connection, refusal.code)
            request.sso_refusal = str(refusal)
        except (SuspiciousOperation, OSError, ValueError) as error:
            # OSError covers the requests library's network errors.
            logger.warning("single sign-on failed for %s: %s", connection.organization, error)
            record_sso_refusal(connection, "provider_response_rejected")
        return None

    def retrieve_matching_jwk(self, token):
        if "kid" in jwt.get_unverified_header(token):
            return super().retrieve_matching_jwk(token)
        # A provider with one signing key may leave "kid" out (RFC 7515): use that one key.
        response = requests.get(self.OIDC_OP_JWKS_ENDPOINT, timeout=oidc_setting("OIDC_TIMEOUT"))
        response.raise_for_status()
        keys = [k for k in response.json().get("keys", []) if k.get("use", "sig") == "sig"]
        if len(keys) != 1:
            raise SuspiciousOperation("ID token without kid and not exactly one signing key")
        return jwt.PyJWK(keys[0])

    def verify_token(self, token, **kwargs):
        """The library checks the signature and nonce; the issuer and audience are ours."""
        payload = super().verify_token(token, **kwargs)
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if str(payload.get("iss", "")).rstrip("/") != self.connection.issuer.rstrip("/"):
            raise SuspiciousOperation("ID token from another issuer")
        if self.connection.client_id not in audiences:
            raise SuspiciousOperation("ID token for another client")
        return payload

    def get_userinfo(self, access_token, id_token, payload):
        # Some providers (Entra ID) put optional claims in the ID token only, not in userinfo.
        return {**payload, **super().get_userinfo(access_token, id_token, payload)}

    def verify_claims(self, claims):
        return bool(claims.get("email"))

    def filter_users_by_claims(self, claims):
        # provision_sso_member finds or makes the account: hand it over as the one match.
        user = provision_sso_member(self.connection, claims, now=timezone.now())
        return self.UserModel.objects.filter(pk=user.pk)


class SsoStart(OIDCAuthenticationRequestView):
    """Sends the browser to the organisation's provider with state, nonce and a PKCE challenge."""

    def __init__(self, **kwargs):
        View.__init__(self, **kwargs)  # the endpoint and client come from the organisation

    get_settings = staticmethod(oidc_setting)

    def get(self, request, org):
        connection = sso_connection_of(org)
        self.OIDC_OP_AUTH_ENDPOINT = connection.authorization_endpoint
        self.OIDC_RP_CLIENT_ID = connection.client_id
        request.session[SESSION_CONNECTION] = connection.pk
        return super().get(request)

    def get_extra_params(self, request):
        hint = request.GET.get("login_hint", "")[:254]
        return {"login_hint": hint} if hint else {}


class SsoCallback(OIDCAuthenticationCallbackView):
    get_settings = staticmethod(oidc_setting)

    def login_failure(self):
        if self.request.GET.get("error"):
            message = _("The sign-in was cancelled or refused at your organisation's sign-in page.")
        else:
            message = getattr(self.request, "sso_refusal", "") or _(
                "Your organisation's sign-in page did not confirm who you are. Try again; if it "
                "keeps failing, tell your organisation's administrators."
            )
        return render(self.request, "identity/sso_failed.html", {"message": message}, status=403)
