"""CSV downloads that are safe to open in a spreadsheet."""

import csv
from collections.abc import Iterable
from datetime import datetime
from itertools import chain

from django.http import StreamingHttpResponse
from django.utils import timezone


def safe_cell(value) -> str:
    """Spreadsheets run cells that start with = + - @ as formulas; neutralise them. Times are
    ISO 8601 to the second, in the site's time zone."""
    if isinstance(value, datetime):
        value = timezone.localtime(value).isoformat(timespec="seconds")
    text = "" if value is None else str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text


class _Echo:
    def write(self, value):
        return value


def csv_response(filename: str, header: list[str], rows: Iterable) -> StreamingHttpResponse:
    """Streamed: rows are written as the iterable yields them, so a file of 500,000 rows never
    sits in memory and its first line leaves before the last is read."""
    writer = csv.writer(_Echo())
    lines = (writer.writerow([safe_cell(v) for v in row]) for row in chain([header], rows))
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
