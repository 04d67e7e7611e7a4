"""The site's URLs plus the two baselines of bench_http.py; only its server processes load this
(through benchsettings), so production never serves these views."""

from django.db import connection
from django.http import HttpResponse
from django.urls import include, path

BASELINE_TABLE = "bench_hit"


def hello(request):
    return HttpResponse("Hello, world", content_type="text/plain")


def select_insert(request):
    """The least an answer can cost: read one row by primary key, write one row."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, title FROM content_module WHERE id = %s", [1])
        cursor.fetchone()
        cursor.execute(f"INSERT INTO {BASELINE_TABLE} (at) VALUES (now())")  # noqa: S608
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench/hello/", hello),
    path("bench/select-insert/", select_insert),
    path("", include("awareness.urls")),
]
