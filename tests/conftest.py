"""Shared fixtures: services (real PostgreSQL, Redis, Celery, SMTP), personas, processes.

With REQUIRE_SERVICES=1 (set by .ci/run; CI=true implies it), a test that needs PostgreSQL,
Redis, Chromium or gettext fails when it is missing instead of skipping, so a broken CI
machine can never look green.
"""

import logging
import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
# CI machines conventionally set CI=true: there a missing service is a failure even when the
# caller forgot REQUIRE_SERVICES (which, when set, decides either way).
REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES", os.environ.get("CI", "")).lower() not in (
    "",
    "0",
    "false",
)


def service_missing(reason: str) -> None:
    """Skip on a newcomer's machine; fail in CI, where every service must be there."""
    if REQUIRE_SERVICES:
        pytest.fail(f"REQUIRE_SERVICES is set but {reason}", pytrace=False)
    else:
        pytest.skip(reason)


@pytest.fixture
def redis_url() -> str:
    if not settings.REDIS_URL:
        service_missing("REDIS_URL is not set")
    return settings.REDIS_URL


@pytest.fixture
def redis_forwarder(redis_url) -> Iterator:
    """A TCP forwarder to the test run's Redis that the test can cut and restore."""
    from urllib.parse import urlsplit

    from tests.forwarder import Forwarder

    parts = urlsplit(redis_url)
    forwarder = Forwarder((parts.hostname or "127.0.0.1", parts.port or 6379))
    yield forwarder
    forwarder.close()


@pytest.fixture
def postgresql(db) -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        service_missing(f"DATABASE_URL is {connection.vendor}, not PostgreSQL")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"process exited with {process.returncode} before listening")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise TimeoutError(f"nothing listened on port {port} within {timeout} s")


def children_database_url() -> str:
    """DATABASE_URL of the database pytest-django created, for child processes."""
    db = settings.DATABASES["default"]
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    user = db.get("USER") or ""
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    credentials = f"{user}{password}@" if user else ""
    return f"postgres://{credentials}{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def child_env(**overrides: str) -> dict[str, str]:
    """The environment of a server or worker process that shares this test run's services."""
    env = {**os.environ, "DATABASE_URL": children_database_url(), "DEBUG": "true", **overrides}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


@pytest.fixture
def start_process() -> Iterator:
    """Start child processes (servers, workers) that are always stopped after the test. Each
    leads a process group of its own, so a test can kill a worker and its pool at once."""
    processes: list[subprocess.Popen] = []

    def start(*args: str, **env: str) -> subprocess.Popen:
        process = subprocess.Popen(
            [sys.executable, *args],
            cwd=ROOT,
            env=child_env(**env),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        processes.append(process)
        return process

    yield start
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def smtp_sink(settings) -> Iterator[list]:
    """A real SMTP server on loopback; mail sent during the test lands in the returned list."""
    from email import message_from_bytes, policy

    from aiosmtpd.controller import Controller

    class Inbox(list):
        port = 0

    received = Inbox()

    class Sink:
        async def handle_DATA(self, server, session, envelope):
            received.append(message_from_bytes(envelope.original_content, policy=policy.default))
            return "250 OK"

    # aiosmtpd logs each SMTP command at INFO: thousands of lines for a big launch, which
    # pytest captures and the sink's thread formats, slowing what the test measures.
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    controller = Controller(Sink(), hostname="127.0.0.1", port=free_port())
    controller.start()
    received.port = controller.port
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield received
    controller.stop()


@pytest.fixture(autouse=True)
def fresh_cache(settings) -> Iterator[None]:
    """Rate-limit and lockout counters live in the cache; no test inherits another's. Content
    changes are seen at once, as the process that made them sees them (tests of the recheck
    interval itself set it)."""
    from django.core.cache import cache

    settings.CONTENT_GENERATION_RECHECK = 0
    cache.clear()
    yield
    cache.clear()


# --- Personas: who uses the organisation pages ------------------------------------------------


@pytest.fixture
def bank_admin(db):
    """An administrator of Harbour City Bank."""
    from tests.people.factories import MembershipFactory, OrganizationFactory
    from training.people.models import OrganizationKind, Role

    bank = OrganizationFactory(name="Harbour City Bank", slug="harbour", kind=OrganizationKind.BANK)
    return MembershipFactory(organization=bank, role=Role.ADMIN)


@pytest.fixture
def educator(db):
    """A teacher at Kowloon Primary who leads class 4B."""
    from tests.people.factories import GroupFactory, MembershipFactory, OrganizationFactory
    from training.people.models import OrganizationKind, Role

    school = OrganizationFactory(
        name="Kowloon Primary", slug="kowloon", kind=OrganizationKind.SCHOOL
    )
    teacher = MembershipFactory(organization=school, role=Role.EDUCATOR)
    GroupFactory(organization=school, name="4B", leader=teacher)
    return teacher


@pytest.fixture
def other_org_admin(db):
    """The owner of another organisation, who must see nothing of ours."""
    from tests.people.factories import MembershipFactory, OrganizationFactory
    from training.people.models import Role

    elsewhere = OrganizationFactory(name="Elsewhere Ltd", slug="elsewhere")
    return MembershipFactory(organization=elsewhere, role=Role.OWNER)


@pytest.fixture
def loaded_pack(db, tmp_path, settings):
    """The small test content pack (tests/content/builders.py), loaded."""
    from django.core.management import call_command

    from tests.content.builders import write_pack

    settings.MEDIA_ROOT = tmp_path / "media-root"
    call_command("load_content", str(write_pack(tmp_path / "pack")))
    return tmp_path / "pack"


def worker_process(
    start_process, queue: str, *, app: str = "awareness", pool: str = "solo", **env: str
) -> subprocess.Popen:
    """A real Celery worker (by default one process, no pool) consuming only `queue`, where
    the tasks it enqueues itself go too. A prefork `pool` runs two processes."""
    return start_process(
        "-m", "celery", "-A", app, "worker", "--pool", pool, "--concurrency", "2", "-Q", queue,
        "--without-gossip", "--without-mingle", "--loglevel", "INFO",
        CELERY_TASK_DEFAULT_QUEUE=queue, CONTENT_GENERATION_RECHECK="0", **env,
    )  # fmt: skip


@contextmanager
def tasks_queued_on(queue: str) -> Iterator[str]:
    """Tasks enqueued inside go to `queue`, which is deleted from the broker at the end: tasks
    left in a shared broker would be run by some later worker, against another database."""
    from awareness.celery import app

    previous, app.conf.task_default_queue = app.conf.task_default_queue, queue
    try:
        yield queue
    finally:
        app.conf.task_default_queue = previous
        with app.connection_for_write() as connection:
            declared = app.amqp.queues.new_missing(queue).bind(connection.default_channel)
            declared.declare()  # a channel deletes only the bindings it declared itself
            declared.delete()


def queue_of_its_own() -> str:
    return f"test-{uuid.uuid4().hex}"


@pytest.fixture(autouse=True, scope="session")
def tasks_without_a_worker() -> Iterator[None]:
    """What a test enqueues with no worker of its own waits on a queue of this run's, which
    no worker consumes."""
    with tasks_queued_on(queue_of_its_own()):
        yield


@pytest.fixture
def task_queue() -> Iterator[str]:
    """The test's tasks go to a queue of its own, so no other worker on the machine takes them.
    Workers ask for it before `start_process`, so they are stopped before it is deleted (a
    worker stopping hands its unfinished tasks back to the queue)."""
    with tasks_queued_on(queue_of_its_own()) as queue:
        yield queue


@pytest.fixture
def celery_worker(task_queue, start_process) -> tuple[str, subprocess.Popen]:
    """A real Celery worker process consuming the test's own queue. Returns the queue name and
    the process."""
    return task_queue, worker_process(start_process, task_queue)


@pytest.fixture
def tasks_to_test_worker(celery_worker) -> subprocess.Popen:
    """The worker process that every task this test enqueues goes to."""
    return celery_worker[1]


@pytest.fixture
def start_mail_worker(task_queue, start_process, smtp_sink) -> Callable[..., subprocess.Popen]:
    """Returns a function that starts a worker on the test's own queue, mailing to the test's
    SMTP sink (a test may kill one and start another)."""

    def start(site_url: str = "https://awareness.example", **options: str) -> subprocess.Popen:
        return worker_process(
            start_process, task_queue, EMAIL_URL=f"smtp://127.0.0.1:{smtp_sink.port}",
            SITE_URL=site_url, **options,
        )  # fmt: skip

    return start


def wait_until(found, *, timeout: float, worker: subprocess.Popen):
    """Poll `found()` until it returns something; fail with the worker's log if it never does."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = found()
        if result:
            return result
        time.sleep(0.2)
    worker.terminate()
    pytest.fail(f"nothing after {timeout} s; the worker said:\n{worker.communicate()[0][-3000:]}")
