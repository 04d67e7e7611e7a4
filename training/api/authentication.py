"""Machines sign in with an organisation's API token: `Authorization: Bearer sat_…`."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from training.people.services.api_tokens import api_token_by_secret, note_token_use


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """request.user is the administrator the token acts for; request.auth is the token."""

    keyword = "Bearer"

    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Send the token as “Bearer <token>”."))
        try:
            secret = parts[1].decode()
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("This API token is not valid.")) from None
        token = api_token_by_secret(secret)
        if token is None:
            raise exceptions.AuthenticationFailed(
                _("This API token is not valid, or it was revoked.")
            )
        note_token_use(token, now=timezone.now())
        return token.created_by.user, token

    def authenticate_header(self, request) -> str:
        return f'{self.keyword} realm="api"'


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = ApiTokenAuthentication
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "An organisation's API token, made by its administrators on "
                "/orgs/<org>/api-tokens/. Read-only tokens may only GET."
            ),
        }
