"""OpenAPI: every operation documents the errors it can answer, in the one error shape."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers
from rest_framework.permissions import AllowAny


class ErrorDetailOut(serializers.Serializer):
    code = serializers.CharField(help_text="Stable, for programs: e.g. invalid, not_found.")
    message = serializers.CharField(help_text="For people, in the request's language.")
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Messages per input field (dotted names for nested ones); empty if none.",
    )


class ErrorOut(serializers.Serializer):
    error = ErrorDetailOut()


ERROR_DESCRIPTIONS = {
    "400": "The input (body or query) is not valid; nothing was changed.",
    "401": "Not signed in, or the API token is not valid or was revoked.",
    "403": "The caller's role does not allow this, or the token is read-only.",
    "404": "No such object in the caller's organisation (or the page of a list is gone).",
    "429": "Too many requests; the Retry-After header says how many seconds to wait.",
}


SLUG_PATTERN = "^[-a-zA-Z0-9_]+$"
ORG = OpenApiParameter(
    "org",
    str,
    OpenApiParameter.PATH,
    pattern=SLUG_PATTERN,
    description="The organisation's short name, as in its web address.",
)


class ApiSchema(AutoSchema):
    def get_override_parameters(self):
        parameters = super().get_override_parameters()
        return [ORG, *parameters] if "{org}" in self.path else parameters

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code in self._error_codes():
            if code not in responses:
                response = self._get_response_for_code(ErrorOut, code)
                response["description"] = ERROR_DESCRIPTIONS[code]
                responses[code] = response
        responses["429"]["headers"] = {
            "Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait."}
        }
        return responses

    def _error_codes(self) -> list[str]:
        # A token that is not valid (or was revoked mid-session) is refused even where no
        # token is needed: a public endpoint answers 401 too.
        codes = ["400", "401"]
        if not any(isinstance(p, AllowAny) for p in self.view.get_permissions()):
            codes.append("403")
        if "{" in self.path or self._is_list_view():
            codes.append("404")
        return [*codes, "429"]


def bodies_refuse_unknown_keys(result, generator, request, public):
    """Request bodies refuse keys they do not define (see views.base.parse): say so."""
    for name, component in result.get("components", {}).get("schemas", {}).items():
        if name.endswith("Request") and component.get("type") == "object":
            component["additionalProperties"] = False
    return result
