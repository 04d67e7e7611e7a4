"""A real OpenID Connect provider on loopback for the tests: oidc-provider-mock (authlib), made
to demand PKCE with S256 and check the verifier, as Entra ID and Okta do for web apps.

Usage: python tests/identity/oidc_provider.py PORT [USER_CLAIMS_JSON ...]
"""

import json
import sys

from authlib.integrations.flask_oauth2 import AuthorizationServer
from authlib.oauth2.rfc6749 import InvalidRequestError
from authlib.oauth2.rfc7636 import CodeChallenge
from oidc_provider_mock import User, _app

# The mock keeps no challenge with its codes: this process keeps them, code -> (challenge, method).
CHALLENGES: dict[str, tuple[str, str]] = {}


class RequiredS256Challenge(CodeChallenge):
    def validate_code_challenge(self, grant, redirect_uri):
        data = grant.request.payload.data
        if not data.get("code_challenge") or data.get("code_challenge_method") != "S256":
            raise InvalidRequestError("PKCE with S256 is required")
        super().validate_code_challenge(grant, redirect_uri)

    def get_authorization_code_challenge(self, authorization_code):
        return CHALLENGES.get(authorization_code.code, ("", ""))[0]

    def get_authorization_code_challenge_method(self, authorization_code):
        return CHALLENGES.get(authorization_code.code, ("", ""))[1]


saving = _app.AuthorizationCodeGrant.save_authorization_code


def save_authorization_code(self, code, request):
    saving(self, code, request)
    data = request.payload.data
    CHALLENGES[code] = (data["code_challenge"], data["code_challenge_method"])


registering = AuthorizationServer.register_grant


def register_grant(self, grant_cls, extensions=None):
    if grant_cls is _app.AuthorizationCodeGrant:
        extensions = [*(extensions or []), RequiredS256Challenge(required=True)]
    return registering(self, grant_cls, extensions)


_app.AuthorizationCodeGrant.save_authorization_code = save_authorization_code
AuthorizationServer.register_grant = register_grant

if __name__ == "__main__":
    port = int(sys.argv[1])
    users = [json.loads(text) for text in sys.argv[2:]]
    provider = _app.app(
        require_nonce=True,
        user_claims=[User(sub=u.pop("sub"), claims=u) for u in users],
    )
    provider.run(host="127.0.0.1", port=port, debug=False, use_reloader=False)
