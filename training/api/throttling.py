"""Rates per API token, per signed-in browser and per anonymous client address, counted in the
cache (Redis in production), so every web process shares them."""

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from awareness.lib.throttling import client_address, counting
from training.people.models import ApiToken


class ApiRateThrottle(SimpleRateThrottle):
    """One bucket per token, per user of a browser session, or per anonymous address."""

    def get_rate(self):
        return None  # chosen per request in allow_request

    def allow_request(self, request, view):
        scope = self._scope_of(request)
        self.scope = scope
        self.rate = api_settings.DEFAULT_THROTTLE_RATES.get(scope)
        if self.rate is None:
            return True
        self.num_requests, self.duration = self.parse_rate(self.rate)
        # Fails closed, as every rate limit here does, while the cache cannot count.
        return super().allow_request(request, view) and counting()

    @staticmethod
    def _scope_of(request) -> str:
        if isinstance(request.auth, ApiToken):
            return "token"
        return "user" if request.user.is_authenticated else "anonymous"

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken):
            ident = f"token-{request.auth.pk}"
        elif request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = client_address(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}
