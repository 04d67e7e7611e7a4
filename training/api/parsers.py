"""JSON bodies, bounded before they are parsed: a body 100,000 levels deep would exhaust
Python's stack, and a body larger than Django's cap would be read whole into memory."""

import re

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser, get_encoding
from rest_framework.utils import json

# No body this API takes nests deeper than 3; 32 leaves room and stays far from the stack.
MAX_DEPTH = 32
# JSON strings, so that brackets inside them are not counted as nesting.
STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
BRACKET = re.compile(r"[\[\]{}]")
# NUL: PostgreSQL refuses to store it. A lone surrogate (only a \u escape can make one) is not
# text at all: it cannot be stored, nor encoded in an answer that quotes it.
NOT_ALLOWED = re.compile("[\x00\ud800-\udfff]")


class BoundedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        raw = stream.read(limit + 1) if stream is not None else b""
        if len(raw) > limit:
            raise ParseError(_("The body is larger than %(bytes)s bytes.") % {"bytes": limit})
        try:
            text = raw.decode(get_encoding(parser_context or {}))
        except UnicodeDecodeError as error:
            message = _("The body is not valid text: %(error)s.") % {"error": error}
            raise ParseError(message) from None
        if nesting_depth(text) > MAX_DEPTH:
            raise ParseError(
                _("The body nests deeper than %(depth)s levels.") % {"depth": MAX_DEPTH}
            )
        try:
            data = json.loads(text, parse_constant=json.strict_constant if self.strict else None)
        except ValueError as error:
            message = _("The body is not valid JSON: %(error)s.") % {"error": error}
            raise ParseError(message) from None
        if any(NOT_ALLOWED.search(value) for value in strings_in(data)):
            raise ParseError(_("The request contained a character that is not allowed."))
        return data


def nesting_depth(text: str) -> int:
    """The deepest nesting of arrays and objects, counted without parsing (so without
    recursion); brackets that do not match are left for the parser to refuse."""
    depth = deepest = 0
    for bracket in BRACKET.finditer(STRING.sub("", text)):
        depth += 1 if bracket.group() in "[{" else -1
        deepest = max(deepest, depth)
    return deepest


def strings_in(data):
    """Every key and string value, at any depth (bounded by MAX_DEPTH)."""
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield key
            yield from strings_in(value)
    elif isinstance(data, list):
        for value in data:
            yield from strings_in(value)
