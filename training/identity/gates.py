"""Second-factor gates: a session that has not passed one is sent to the two-factor page
(enrol or verify) and back. django-otp's middleware answers request.user.is_verified()."""

from urllib.parse import urlencode, urlsplit

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from training.identity.selectors import orgs_requiring_second_factor


def safe_next(request, candidate: str) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return ""


def to_two_factor(request):
    here = request.get_full_path() if request.method == "GET" else ""
    referer = urlsplit(safe_next(request, request.META.get("HTTP_REFERER", "")))
    back = here or referer.path + (f"?{referer.query}" if referer.query else "") or "/"
    return redirect(f"{reverse('two_factor')}?{urlencode({'next': back})}")


class SecondFactorNeeded(Exception):
    """Raised by an action that needs a confirmed second factor; the middleware below turns
    it into a visit to the two-factor page."""


def require_second_factor(request) -> None:
    """For actions that reach many people at once, such as launching a scam simulation. Call
    it after the object's own access gate, so others' objects stay a 404."""
    if not request.user.is_verified():
        raise SecondFactorNeeded


class TwoFactorForStaff:
    """An organisation that requires a second factor of its staff gets it on all its pages
    (which organisations, the session learnt at sign-in: no query per page)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        org = view_kwargs.get("org")
        if (
            org
            and request.path.startswith("/orgs/")
            and org in request.session.get(SESSION_ORGS, ())
            and not request.user.is_verified()
        ):
            return to_two_factor(request)
        return None

    def process_exception(self, request, exception):
        if isinstance(exception, SecondFactorNeeded):
            messages.info(request, _("This needs two-factor authentication: confirm it's you."))
            return to_two_factor(request)
        return None


SESSION_ORGS = "identity_two_factor_orgs"


def note_two_factor_orgs(sender, request, user, **kwargs) -> None:
    """At sign-in: the organisations whose pages this person may see only after a second
    factor (a policy changed later applies from the next sign-in)."""
    if not user.is_pseudonymous:  # classroom accounts are never staff: spare their query
        request.session[SESSION_ORGS] = orgs_requiring_second_factor(user)
