"""Benchmark: the learner path over HTTP on the production server setup, beside two baselines
on the same server in the same run, and the servers we could ship compared on the baselines.

    make bench-http                       # or, with your own PostgreSQL and Redis:
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/perfbench REDIS_URL=redis://127.0.0.1:6379/6 \\
      CELERY_BROKER_URL=redis://127.0.0.1:6379/7 .venv/bin/python tests/bench/bench_http.py \\
      [--seconds 10] [--rounds 3] [--steady]  # --steady: also 300 answers/s for 5 minutes

Needs wrk (Debian: `apt-get install wrk`). Django's test database (test_<name>) is created
beside the named one, loaded with the demo pack, and dropped at the end. The servers run with
DEBUG off and the production entry points (awareness.wsgi, awareness.asgi); only their
URLconf adds the baselines (tests/bench/benchurls.py): "hello" (a plain Django view) and
"select+insert" (one primary-key SELECT and one INSERT, the least an answer can cost).

The learner path: the anonymous catalogue, a module step page (browsers at every step of a
module) and answer submission (the player's htmx POST with session cookie and CSRF token;
each request answers a fresh attempt, prepared beforehand, so every one is recorded).
wrk runs here too, with 50 connections, so it shares the 2 cores with the server. The machine's
speed drifts within minutes, so the learner path is measured in rounds, each with its own
baselines on the same server just before, and the ratios are taken round by round.

Figures before and after the caching of issue 10 are in README "Benchmarks". They were
measured on the 2-core development machine while other test suites shared it: only the
ratios mean something there.
"""

import argparse
import asyncio
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import requests
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from harness import ROOT, throwaway_database  # first: sets up Django

from awareness.content.models import Module, QuestionKind, Step, StepKind
from tests.bench.benchurls import BASELINE_TABLE
from training.progress.models import Answer, Attempt

CORES = os.cpu_count() or 2
CONNECTIONS = 50
BROWSERS = 50  # anonymous learners, each with a session; their attempts are shared out
STEADY_RATE, STEADY_SECONDS = 300, 300
MAX_IN_FLIGHT = 600  # two seconds' worth of requests
LUA = ROOT / "tests/bench/wrk_report.lua"


# --- Processes --------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_http(port: int, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            requests.get(f"http://127.0.0.1:{port}/bench/hello/", timeout=5).raise_for_status()
            return
        except requests.RequestException:
            time.sleep(0.2)
    raise TimeoutError(f"nothing answered on {port}")


def database_url() -> str:
    db = settings.DATABASES["default"]
    user = db.get("USER") or ""
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    credentials = f"{user}{password}@" if user else ""
    return f"postgres://{credentials}{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def production_env() -> dict:
    """Production settings (DEBUG off), on plain http: TLS is the proxy's job."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.bench.benchsettings",
        "DATABASE_URL": database_url(),
        "DEBUG": "false",
        "SECRET_KEY": "bench-" + "x" * 50,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "LOG_LEVEL": "WARNING",
    }
    return env


# What we could ship, each at its usual process count: sync workers block on the database, so
# two per core; an event loop per core for the ASGI ones; daphne is one process. The WSGI
# workers keep one persistent connection each; the ASGI servers use a pool of 4 per process
# (their threads come and go, and persistent connections piled up past PostgreSQL's limit).
POOLED = {"DATABASE_POOL": "4"}
SERVERS = {
    "gunicorn sync (WSGI)": lambda port: [
        "gunicorn", "awareness.wsgi:application", "--workers", str(2 * CORES),
        "--bind", f"127.0.0.1:{port}", "--backlog", "4096", "--log-level", "warning",
    ],
    "gunicorn + uvicorn workers (ASGI)": lambda port: [
        "gunicorn", "awareness.asgi:application", "--workers", str(CORES),
        "--worker-class", "uvicorn.workers.UvicornWorker",
        "--bind", f"127.0.0.1:{port}", "--backlog", "4096", "--log-level", "warning",
    ],
    "uvicorn (ASGI)": lambda port: [
        "uvicorn", "awareness.asgi:application", "--workers", str(CORES),
        "--host", "127.0.0.1", "--port", str(port), "--backlog", "4096",
        "--log-level", "warning", "--no-access-log",
    ],
    "daphne (ASGI)": lambda port: [
        "daphne", "awareness.asgi:application", "--bind", "127.0.0.1", "--port", str(port),
        "--verbosity", "0",
    ],
}  # fmt: skip
PRODUCTION = "gunicorn sync (WSGI)"


class Server:
    def __init__(self, name: str) -> None:
        self.port = free_port()
        command = SERVERS[name](self.port)
        command[0] = str(Path(sys.executable).parent / command[0])
        env = production_env() | (POOLED if name != PRODUCTION else {})
        self.process = subprocess.Popen(command, cwd=ROOT, env=env)
        try:
            wait_for_http(self.port, self.process)
        except BaseException:
            self.stop()
            raise

    def worker_pids(self) -> list[int]:
        return child_pids(self.process.pid) or [self.process.pid]

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()


def child_pids(pid: int) -> list[int]:
    return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def peak_memory_mb(pid: int) -> float:
    """VmHWM: the most resident memory the process ever had."""
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) / 1024


# --- Load -------------------------------------------------------------------------------------


def wrk(port: int, path: str, seconds: int, requests_file: Path | None = None) -> dict:
    threads = 2
    command = ["wrk", "-t", str(threads), "-c", str(CONNECTIONS), "-d", f"{seconds}s",
               "--timeout", "5s", "-s", str(LUA), f"http://127.0.0.1:{port}{path}"]  # fmt: skip
    if requests_file:
        command += ["--", str(requests_file), str(threads)]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    figures = json.loads(next(line[5:] for line in output.splitlines() if line[:5] == "JSON "))
    figures["rps"] = figures["requests"] / figures["seconds"]
    return figures


def write_requests(path: Path, lines: list[tuple]) -> Path:
    path.write_text("".join("\t".join(fields) + "\n" for fields in lines))
    return path


async def steady(port: int, lines: list[tuple], rate: int, seconds: int) -> dict:
    """An open loop: request n is due at n/rate s, and its latency counts from then, so a
    slow server cannot slow the load down (no coordinated omission)."""
    loop = asyncio.get_running_loop()
    latencies: list[float] = []
    errors: dict[str, int] = {}

    async def send(due: float, method: str, path: str, cookie: str, body: str) -> None:
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(
                f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nCookie: {cookie}\r\n"
                f"Origin: http://127.0.0.1:{port}\r\nHX-Request: true\r\n"
                "Content-Type: application/x-www-form-urlencoded\r\n"
                f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n{body}".encode()
            )
            response = await reader.read()
            writer.close()
            status = response.split(b" ", 2)[1].decode()
        except OSError as error:
            status = type(error).__name__
        latencies.append(loop.time() - due)
        if not status.startswith("2"):
            errors[status] = errors.get(status, 0) + 1

    started = loop.time() + 0.1
    tasks: set[asyncio.Task] = set()
    for n, (method, path, cookie, body, _htmx) in enumerate(lines[: rate * seconds]):
        due = started + n / rate
        await asyncio.sleep(max(0.0, due - loop.time()))
        if len(tasks) >= MAX_IN_FLIGHT:  # the server has fallen far behind: count, don't queue
            errors["not sent, server behind"] = errors.get("not sent, server behind", 0) + 1
            continue
        task = asyncio.create_task(send(due, method, path, cookie, body))
        tasks.add(task)
        task.add_done_callback(tasks.discard)
    await asyncio.gather(*tasks)
    latencies.sort()

    def at(fraction: float) -> float:
        return 1000 * latencies[min(len(latencies) - 1, int(fraction * len(latencies)))]

    return {
        "requests": len(latencies) + errors.get("not sent, server behind", 0),
        "rps": len(latencies) / (loop.time() - started),
        "p50": at(0.50),
        "p95": at(0.95),
        "p99": at(0.99),
        "errors": errors,
    }


# --- Data -------------------------------------------------------------------------------------


def prepare_database() -> None:
    call_command("load_content", "demo", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {BASELINE_TABLE} (id bigserial PRIMARY KEY, at timestamptz)")
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
        cwd=ROOT, env=production_env(), check=True,
    )  # fmt: skip


def bench_step() -> Step:
    """A scam-or-legit question in an English module."""
    for module in Module.objects.filter(is_current=True, language="en").order_by("slug"):
        step = module.steps.filter(
            kind=StepKind.QUESTION, question__kind=QuestionKind.SCAM_OR_LEGIT
        ).first()
        if step:
            return step
    raise RuntimeError("the demo pack has no scam-or-legit question")


def open_browsers(port: int, module: Module) -> list[dict]:
    """Anonymous learners as a browser makes them: open the module page, press Start."""
    browsers = []
    base = f"http://127.0.0.1:{port}"
    for _ in range(BROWSERS):
        client = requests.Session()
        page = client.get(f"{base}/learn/{module.slug}/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        started = client.post(
            f"{base}/learn/{module.slug}/start/",
            data={"csrfmiddlewaretoken": token},
            headers={"Origin": base},
            allow_redirects=False,
        )
        public_id = started.headers["Location"].rstrip("/").rsplit("/", 1)[1]
        cookie = "; ".join(f"{name}={value}" for name, value in client.cookies.items())
        attempt = Attempt.objects.get(public_id=public_id)
        browsers.append({"cookie": cookie, "token": token, "attempt": attempt})
    return browsers


def step_requests(browsers: list[dict], module: Module) -> list[tuple]:
    """Each browser on a different step of the module, so every step kind is in the mix."""
    steps = module.steps.count()
    lines = []
    for n, browser in enumerate(browsers):
        Attempt.objects.filter(pk=browser["attempt"].pk).update(position=n % steps)
        path = f"/attempts/{browser['attempt'].public_id}/"
        lines.append(("GET", path, browser["cookie"], "", ""))
    return lines


def answer_requests(browsers: list[dict], step: Step, count: int) -> list:
    """`count` fresh attempts waiting at a question, shared out between the browsers."""
    now = timezone.now()
    attempts = Attempt.objects.bulk_create(
        (
            Attempt(
                module=step.module,
                learner_key=browsers[n % len(browsers)]["attempt"].learner_key,
                position=step.position,
                started_at=now - timedelta(minutes=2),
                step_shown_at=now - timedelta(seconds=20),
            )
            for n in range(count)
        ),
        batch_size=5000,
    )
    lines = []
    for n, attempt in enumerate(attempts):
        browser = browsers[n % len(browsers)]
        body = f"csrfmiddlewaretoken={browser['token']}&position={step.position}&verdict=scam"
        if step.question.asks_confidence:
            body += "&confidence=80"
        path = f"/attempts/{attempt.public_id}/answer/"
        lines.append(("POST", path, browser["cookie"], body, "htmx"))
    return lines


BASELINES = ("hello", "select+insert")
LEARNER_PATH = ("catalogue (anonymous)", "module step", "answer submission")
TARGETS = {
    "catalogue (anonymous)": ("hello", 0.5),
    "module step": ("hello", 0.25),
    "answer submission": ("select+insert", 0.5),
}


def baselines(port: int, seconds: int) -> dict:
    return {
        "hello": wrk(port, "/bench/hello/", seconds),
        "select+insert": wrk(port, "/bench/select-insert/", seconds),
    }


def median_round(rounds: list[dict]) -> dict:
    """The production server's baselines for the comparison: the round with the median hello."""
    return sorted(rounds, key=lambda figures: figures["hello"]["rps"])[len(rounds) // 2]


# --- Report -----------------------------------------------------------------------------------


def row(name: str, figures: dict, hello: dict, baseline: dict) -> str:
    errors = figures.get("status_errors", 0) + figures.get("socket_errors", 0)
    return (
        f"{name:<38} {figures['rps']:>8,.0f} {figures['p50']:>7.1f} {figures['p95']:>7.1f} "
        f"{figures['p99']:>7.1f} {figures['rps'] / hello['rps']:>7.2f} "
        f"{figures['rps'] / baseline['rps']:>7.2f} {errors:>6}"
    )


HEADER = (
    f"{'':<38} {'req/s':>8} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'/hello':>7} "
    f"{'/sel+ins':>7} {'errors':>6}"
)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10, help="length of each measurement")
    parser.add_argument("--steady", action="store_true", help="also 300 answers/s for 5 min")
    parser.add_argument("--servers", default="all", help="'production' to skip the comparison")
    parser.add_argument("--rounds", type=int, default=3, help="learner path measurements")
    options = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database (see the docstring).")
    workdir = Path(os.environ["VAR_DIR"])
    with throwaway_database():
        prepare_database()
        step = bench_step()
        module = step.module
        print(f"module: {module.slug} ({module.steps.count()} steps), cores: {CORES}, "
              f"wrk: {CONNECTIONS} connections, {options.seconds} s each\n")  # fmt: skip
        celery = subprocess.Popen(
            [str(Path(sys.executable).parent / "celery"), "-A", "awareness", "worker",
             "--concurrency", "2", "--loglevel", "WARNING"],
            cwd=ROOT, env=production_env(),
        )  # fmt: skip
        try:
            results = {}
            others = [name for name in SERVERS if name != PRODUCTION]
            for name in others if options.servers == "all" else []:
                server = Server(name)
                try:
                    results[name] = baselines(server.port, options.seconds)
                finally:
                    server.stop()

            server = Server(PRODUCTION)
            try:
                browsers = open_browsers(server.port, module)
                steps = write_requests(workdir / "steps.tsv", step_requests(browsers, module))
                rounds, recorded, sent = [], 0, 0
                for _ in range(options.rounds):
                    expected = 3000 * options.seconds  # more fresh attempts than can be used
                    answers = answer_requests(browsers, step, expected)
                    answers_file = write_requests(workdir / "answers.tsv", answers)
                    answered_before = Answer.objects.count()
                    figures = baselines(server.port, options.seconds) | {
                        "catalogue (anonymous)": wrk(server.port, "/learn/", options.seconds),
                        "module step": wrk(server.port, "/", options.seconds, steps),
                        "answer submission": wrk(server.port, "/", options.seconds, answers_file),
                    }
                    recorded += Answer.objects.count() - answered_before
                    sent += figures["answer submission"]["requests"]
                    rounds.append(figures)
                results[PRODUCTION] = median_round(rounds)
                web_peak = max(peak_memory_mb(pid) for pid in server.worker_pids())
                steady_figures = None
                if options.steady:
                    fresh = answer_requests(browsers, step, STEADY_RATE * STEADY_SECONDS)
                    steady_figures = asyncio.run(
                        steady(server.port, fresh, STEADY_RATE, STEADY_SECONDS)
                    )
                    web_peak = max(peak_memory_mb(pid) for pid in server.worker_pids())
            finally:
                server.stop()
            celery_pids = [celery.pid, *child_pids(celery.pid)]
            celery_peak = max(peak_memory_mb(pid) for pid in celery_pids)
        finally:
            celery.terminate()
            celery.wait(timeout=30)

    print("Servers compared on the baselines (ratio columns against this server's own):")
    print(HEADER)
    for name, figures in results.items():
        for kind in BASELINES:
            print(row(f"{name}: {kind}", figures[kind], figures["hello"], figures["select+insert"]))
    print(f"\nLearner path on {PRODUCTION}, {options.rounds} rounds, each measuring the "
          "baselines too; ratios against the same round's baselines:")  # fmt: skip
    print(HEADER)
    for n, figures in enumerate(rounds, 1):
        for name in BASELINES + LEARNER_PATH:
            print(row(f"{n}: {name}", figures[name], figures["hello"], figures["select+insert"]))
    print(f"answers recorded: {recorded:,} of {sent:,} sent\n")
    print(f"{'median ratio over the rounds (range)':<38} {'ratio':>7} {'range':>13} {'target':>9}")
    for name, (against, target) in TARGETS.items():
        ratios = sorted(r[name]["rps"] / r[against]["rps"] for r in rounds)
        median = statistics.median(ratios)
        verdict = "met" if median >= target else "NOT met"
        print(f"{name + ' / ' + against:<38} {median:>7.2f} {ratios[0]:>6.2f}-{ratios[-1]:<6.2f} "
              f"{'≥ ' + str(target):>9} {verdict}")  # fmt: skip
    if steady_figures:
        print(
            f"\nSteady {STEADY_RATE} answers/s for {STEADY_SECONDS} s: "
            f"{steady_figures['requests']:,} sent at {steady_figures['rps']:.0f}/s, "
            f"p50 {steady_figures['p50']:.1f} ms, p95 {steady_figures['p95']:.1f} ms, "
            f"p99 {steady_figures['p99']:.1f} ms, errors: {steady_figures['errors'] or 0} "
            f"(target: no error, p95 < 100 ms)"
        )
    print(f"\nPeak resident memory (VmHWM): web worker {web_peak:.0f} MB, "
          f"Celery worker {celery_peak:.0f} MB")  # fmt: skip


if __name__ == "__main__":
    main()
