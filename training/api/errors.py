"""One shape for every error the API returns, whatever raised it:
{"error": {"code": "...", "message": "...", "fields": {"name": ["..."]}}}."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DomainValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

NON_FIELD = "non_field_errors"


def _field_messages(detail) -> dict[str, list[str]]:
    """DRF's nested error detail, flattened to dotted field names and lists of messages."""
    fields: dict[str, list[str]] = {}

    def walk(value, path: str) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(inner, f"{path}.{key}" if path else str(key))
        elif isinstance(value, list) and value and not all(isinstance(v, str) for v in value):
            for index, inner in enumerate(value):
                walk(inner, f"{path}.{index}" if path else str(index))
        else:
            messages = value if isinstance(value, list) else [value]
            fields.setdefault(path or NON_FIELD, []).extend(str(m) for m in messages)

    walk(detail, "")
    return fields


def _from_domain(error: DomainValidationError) -> exceptions.ValidationError:
    if hasattr(error, "error_dict"):
        return exceptions.ValidationError(error.message_dict)
    return exceptions.ValidationError({NON_FIELD: error.messages})


def api_exception_handler(error, context):
    """Domain errors (Django's ValidationError, PermissionDenied, Http404) become their 4xx;
    everything becomes the one shape. Throttled answers keep DRF's Retry-After header."""
    if isinstance(error, DomainValidationError):
        error = _from_domain(error)
    elif isinstance(error, Http404):
        error = exceptions.NotFound(getattr(error, "message", None) or _("Not found."))
    elif isinstance(error, PermissionDenied):
        error = exceptions.PermissionDenied()
    elif isinstance(error, RequestDataTooBig):
        error = exceptions.ParseError(
            _("The body is larger than %(bytes)s bytes.")
            % {"bytes": settings.DATA_UPLOAD_MAX_MEMORY_SIZE}
        )
    response = exception_handler(error, context)
    if response is None:
        return None  # a bug: let it be a 500 with a traceback in the log
    response.data = {"error": _body(error, response)}
    return response


def error_body(code: str, message: str, fields: dict[str, list[str]] | None = None) -> dict:
    """The inside of the one shape. Messages may quote what was sent: a lone surrogate there
    could not be encoded, so it is written as its escape."""
    return {
        "code": code,
        "message": _encodable(message),
        "fields": {
            _encodable(name): [_encodable(m) for m in messages]
            for name, messages in (fields or {}).items()
        },
    }


def _encodable(text: str) -> str:
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _body(error: exceptions.APIException, response: Response) -> dict:
    if isinstance(error, exceptions.ValidationError):
        fields = _field_messages(error.detail)
        if set(fields) == {NON_FIELD}:
            return error_body("invalid", " ".join(fields[NON_FIELD]))
        return error_body("invalid", _("Some fields are not valid."), fields)
    codes = error.get_codes()
    code = codes if isinstance(codes, str) else "error"
    message = str(error.detail)
    if isinstance(error, exceptions.Throttled):
        code = "throttled"
        message = _("Too many requests. Try again in %(seconds)s seconds.") % {
            "seconds": (error.wait and int(error.wait + 0.999)) or 1
        }
    if response.status_code == status.HTTP_404_NOT_FOUND:
        code = "not_found"
    return error_body(code, message)
