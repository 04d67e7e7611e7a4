"""A real HTTP server on loopback playing the learning record store and the webhook receiver,
and a bank whose learner finishes a module the bank assigned."""

import base64
import json
import os
import subprocess
import threading
from dataclasses import dataclass
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from django.utils import timezone
from standardwebhooks import Webhook, WebhookVerificationError

from tests.conftest import ROOT, free_port, service_missing, wait_for_port
from tests.people.factories import GroupFactory, MembershipFactory
from training.campaigns.models import ClassAssignment
from training.integrations.models import LearningRecordStore
from training.progress.models import Answer
from training.progress.services import Learner, finish_attempt, start_attempt


class Receiver:
    """What the server was sent, and the status codes it answers with, in order (then 2xx)."""

    def __init__(self):
        self.requests: list[dict] = []
        self.statements: dict[str, dict] = {}  # the LRS keeps one statement per id
        self.events: list[dict] = []  # webhook bodies whose signature was right
        self.replies: list[int] = []
        self.secret = ""
        self.lock = threading.Lock()
        self.url = ""

    def answer(self, method: str, path: str, headers, body: bytes) -> int:
        with self.lock:
            self.requests.append({"method": method, "path": path, "headers": dict(headers)})
            if self.replies:
                return self.replies.pop(0)
        if method == "PUT":
            return self.store_statement(path, headers, body)
        return self.accept_event(headers, body)

    def store_statement(self, path, headers, body) -> int:
        expected = "Basic " + base64.b64encode(b"lrs-key:lrs-secret").decode()
        if headers["Authorization"] != expected or headers["X-Experience-API-Version"] != "1.0.3":
            return 401
        statement_id = parse_qs(urlsplit(path).query)["statementId"][0]
        statement = json.loads(body)
        if statement["id"] != statement_id:
            return 400
        with self.lock:
            if self.statements.setdefault(statement_id, statement) != statement:
                return 409
        return 204

    def accept_event(self, headers, body) -> int:
        """Verified as a receiver would, with the Standard Webhooks library."""
        try:
            Webhook(self.secret).verify(body, dict(headers))
        except WebhookVerificationError:
            return 400
        with self.lock:
            self.events.append(json.loads(body))
        return 200


@pytest.fixture
def receiver(settings):
    settings.INTEGRATIONS_ALLOW_LOCAL_URLS = True
    settings.INTEGRATIONS_TIMEOUT_SECONDS = 5
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def handle_one(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            status = state.answer(self.command, self.path, self.headers, body)
            self.send_response(status)
            if status in (301, 302):
                self.send_header("Location", "/elsewhere")
            self.send_header("Content-Length", "0")
            self.end_headers()

        do_PUT = do_POST = handle_one

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture
def module(loaded_pack):
    from awareness.content.models import Module, Question

    with_questions = Question.objects.filter(step__module__is_current=True).values("step__module")
    return Module.objects.filter(pk__in=with_questions, language="en").order_by("slug").first()


@pytest.fixture
def staff(bank_admin, module):
    """A bank employee in a department the module was set for."""
    learner = MembershipFactory(organization=bank_admin.organization)
    group = GroupFactory(organization=bank_admin.organization, name="Retail", kind="department")
    group.members.add(learner)
    now = timezone.now()
    ClassAssignment.objects.create(
        group=group, module_slug=module.slug, module_title=module.title,
        starts_at=now - timedelta(days=1), due_at=now + timedelta(days=6),
    )  # fmt: skip
    return learner


@pytest.fixture
def lrs(bank_admin, receiver):
    return LearningRecordStore.objects.create(
        organization=bank_admin.organization,
        endpoint=f"{receiver.url}/xapi/",
        key="lrs-key",
        secret="lrs-secret",
        is_enabled=True,
    )


def finish(user, module, *, score: float = 1.0, minutes: float = 4):
    """The learner plays the module through: one answer per question, then it is scored."""
    from awareness.content.models import Question

    started = timezone.now() - timedelta(minutes=minutes)
    attempt = start_attempt(module, Learner(user=user, key="", max_age_rating=18), now=started)
    for question in Question.objects.filter(step__module=module):
        Answer.objects.create(
            attempt=attempt, question=question, response={}, is_correct=score >= 1,
            score=score, seconds=12.5, answered_at=started + timedelta(minutes=1),
        )  # fmt: skip
    return finish_attempt(attempt, now=timezone.now())


@dataclass
class RalphLRS:
    url: str
    username: str = "platform"
    password: str = "lrs-password-for-tests"

    def statements(self, **query) -> list[dict]:
        response = httpx.get(
            f"{self.url}/xAPI/statements",
            params={"limit": 500, **query},
            auth=(self.username, self.password),
            headers={"X-Experience-API-Version": "1.0.3"},
            timeout=10,
        )
        response.raise_for_status()
        return response.json()["statements"]


@pytest.fixture
def ralph_lrs(tmp_path):
    """Ralph, a real learning record store, on loopback with its file-system backend. It lives
    in a virtualenv of its own (`make lrs`), since it pins FastAPI and uvicorn for itself."""
    python = Path(os.environ.get("RALPH_LRS_PYTHON", ROOT / "var" / "lrs" / "bin" / "python"))
    if not python.exists():
        service_missing(f"no ralph LRS at {python}: run `make lrs`")
    lrs = RalphLRS(url="")
    env = {
        **os.environ,
        "RALPH_APP_DIR": str(tmp_path / "ralph"),
        "RALPH_RUNSERVER_BACKEND": "fs",
        "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(tmp_path / "ralph" / "data"),
    }
    ralph = [str(python), "-m", "ralph.__main__"]
    subprocess.run(
        [*ralph, "auth", "-u", lrs.username, "-p", lrs.password, "-s", "all", "-w",
         "-M", "mailto:platform@lrs.example"],
        env=env, check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    port = free_port()
    log = tmp_path / "ralph.log"
    with log.open("wb") as output:
        server = subprocess.Popen(
            [str(python), str(Path(__file__).parent / "ralph_server.py"), str(port)],
            env=env, stdout=output, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        wait_for_port(port, server, timeout=60)
        lrs.url = f"http://127.0.0.1:{port}"
        yield lrs
    finally:
        server.terminate()
        server.wait(timeout=10)
        print(f"ralph's log:\n{log.read_text()[-3000:]}")  # shown when the test fails
