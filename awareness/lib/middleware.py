"""Request guards and routing that apply to every view."""

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http.request import split_domain_port
from django.utils.translation import gettext as _


def refuse_nul_characters(get_response):
    """A NUL character in the address, the query or a form field is a 400: no text anyone
    types contains one, and PostgreSQL refuses to store or even compare it."""

    def middleware(request):
        values = [request.path, *request.GET.keys(), *request.GET.values()]
        if request.method == "POST":
            values += [*request.POST.keys(), *request.POST.values()]
        if any("\x00" in value for value in values):
            raise BadRequest(_("The request contained a character that is not allowed."))
        return get_response(request)

    return middleware


def lure_hosts_serve_lures_only(get_response):
    """A request to one of LURE_HOSTS is answered by the lure pages alone, so nothing on the
    lure's domain (no page, no link, no wording) gives the training site away."""

    def middleware(request):
        if settings.LURE_HOSTS:
            host, _port = split_domain_port(request.get_host())
            if host in settings.LURE_HOSTS:
                request.urlconf = "awareness.lure_urls"  # its CSRF failure page is bare too
        return get_response(request)

    return middleware
