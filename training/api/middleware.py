"""Errors under /api/ that Django answers before or outside DRF (a NUL refused by a guard, an
address no route matches, a server error) come in the API's one error shape, not as HTML."""

from http import HTTPStatus

from django.http import JsonResponse
from django.utils.translation import gettext_lazy as _

from training.api.errors import error_body

ANSWERS = {
    400: ("bad_request", _("The request is not valid.")),
    403: ("permission_denied", _("You do not have permission to perform this action.")),
    404: ("not_found", _("No such address in the API.")),
    405: ("method_not_allowed", _("This address does not take that method.")),
    413: ("too_large", _("The request is too large.")),
}
SERVER_ERROR = ("server_error", _("Something went wrong on our side; it has been logged."))


def api_errors_in_json(get_response):
    def middleware(request):
        response = get_response(request)
        if (
            response.status_code >= 400
            and request.path_info.startswith("/api/")
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            return answer_in_json(response.status_code)
        return response

    return middleware


def answer_in_json(status: int) -> JsonResponse:
    if status in ANSWERS:
        code, message = ANSWERS[status]
    elif status >= 500:
        code, message = SERVER_ERROR
    else:
        code, message = "error", HTTPStatus(status).phrase
    return JsonResponse({"error": error_body(code, str(message))}, status=status)
