"""What every benchmark script shares: Django on a throwaway database, timing, the versions.

Import this module first: it points VAR_DIR (SQLite, broker folders, media) at a temporary
folder before Django reads its settings. With DATABASE_URL, Django's test database
(test_<name>) is created beside the named one and dropped at the end.
"""

import os
import shutil
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ["VAR_DIR"] = tempfile.mkdtemp(prefix="bench-")
os.environ.setdefault("DEBUG", "true")
os.environ["DJANGO_SETTINGS_MODULE"] = "awareness.settings"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402


@contextmanager
def throwaway_database():
    settings.DEBUG = False  # no query log: time the code, not Django's debug cursor
    old_config = setup_databases(verbosity=0, interactive=False)
    try:
        print(f"database: {connection.settings_dict['NAME']} (throwaway), {database_version()}")
        yield
    finally:
        teardown_databases(old_config, verbosity=0)
        shutil.rmtree(os.environ["VAR_DIR"], ignore_errors=True)


def timed(function, *args, **kwargs) -> tuple[float, object]:
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - started, result


def database_version() -> str:
    if connection.vendor == "sqlite":
        return f"SQLite {connection.Database.sqlite_version}"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return f"PostgreSQL {cursor.fetchone()[0]}"
