"""Request guards that apply to every view."""

from django.core.exceptions import BadRequest
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
