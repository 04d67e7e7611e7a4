"""Benchmark: a live quiz with 1,000 and 2,000 players on two uvicorn processes joined by
Redis, beside two baselines measured in the same run on the same swarm of clients: a bare
`websockets` server broadcasting, and a plain Channels group broadcast (no application logic).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_live REDIS_URL=redis://127.0.0.1:6379/0 \\
        DEBUG=true .venv/bin/python tests/bench/bench_live.py [--players 1000,2000] [--rounds 5]

Everything runs on this machine and talks to 127.0.0.1 only; every loop is bounded (a fixed
number of rounds, each with a timeout). Django's test database (test_<name>) is created beside
the named one and dropped at the end; Redis keys expire by themselves.

Figures: "broadcast" is the time from the host's "next question" to each player receiving the
question; "results" is the time from the last answer of the burst to each player receiving its
result and rank. Answers are spread over 2 s and must each be recorded exactly once.
"""

import argparse
import asyncio
import json
import os
import resource
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ["VAR_DIR"] = tempfile.mkdtemp(prefix="bench-live-")
os.environ.setdefault("DEBUG", "true")
os.environ["DJANGO_SETTINGS_MODULE"] = "awareness.settings"

import django  # noqa: E402

django.setup()

import websockets  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.contrib.sessions.models import Session  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402
from django.utils import timezone  # noqa: E402

from awareness.content.models import Module  # noqa: E402
from awareness.lib.tokens import hash_token  # noqa: E402
from tests.content.builders import write_pack  # noqa: E402
from training.live.models import LiveAnswer, LiveSession, Player  # noqa: E402
from training.live.selectors import BROWSER_KEY  # noqa: E402
from training.live.services import start_live_session  # noqa: E402
from training.people.models import User  # noqa: E402

SWARMS = 2  # client processes, each with its share of the sockets
BURST = 2.0  # seconds over which the players' answers are spread
ORIGIN = {"Origin": "http://localhost"}


# --- Processes --------------------------------------------------------------------------------


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, timeout: float = 30) -> None:
    import socket

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise TimeoutError(f"nothing listened on {port}")


def children_env() -> dict:
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        url = f"sqlite:///{db['NAME']}"
    else:
        user = db.get("USER") or ""
        password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
        credentials = f"{user}{password}@" if user else ""
        url = f"postgres://{credentials}{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "true", "LOG_LEVEL": "WARNING"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


class Servers:
    """Server processes started for one measurement and always stopped after it."""

    def __init__(self) -> None:
        self.processes: list[subprocess.Popen] = []

    def uvicorn(self, app: str) -> int:
        port = free_port()
        process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", app, "--host", "127.0.0.1", "--port", str(port),
             "--log-level", "warning", "--no-access-log", "--backlog", "4096"],
            cwd=ROOT, env=children_env(),
        )  # fmt: skip
        self.processes.append(process)
        wait_for_port(port, process)
        return port

    def bare(self) -> int:
        port = free_port()
        process = subprocess.Popen(
            [sys.executable, str(ROOT / "tests/bench/live_baselines.py"), str(port)],
            cwd=ROOT,
            env=children_env(),
        )
        self.processes.append(process)
        wait_for_port(port, process)
        return port

    def swarm(self, config: dict) -> subprocess.Popen:
        process = subprocess.Popen(
            [sys.executable, str(ROOT / "tests/bench/live_swarm.py")],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        process.stdin.write(json.dumps(config) + "\n")
        process.stdin.flush()
        self.processes.append(process)
        return process

    def stop(self) -> None:
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


def start_swarms(servers: Servers, urls: list[str], headers, config: dict) -> list:
    swarms = []
    for n in range(SWARMS):
        part = {
            **config,
            "urls": urls[n::SWARMS],
            "headers": headers[n::SWARMS] if headers else None,
        }
        swarms.append(servers.swarm(part))
    for swarm in swarms:
        line = swarm.stdout.readline()
        if line.strip() != "READY":
            raise RuntimeError(f"swarm did not connect: {line!r}")
    return swarms


def swarm_results(swarms) -> list[dict]:
    records = []
    for swarm in swarms:
        records += json.loads(swarm.stdout.readline())
    return records


# --- Figures ----------------------------------------------------------------------------------


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def broadcast_figures(records: list[dict], sent: dict[int, float]) -> dict:
    """Per receipt (pooled over rounds) and per round (the last receipt) in milliseconds."""
    receipts, lasts, missing = [], [], 0
    for number, t0 in sent.items():
        times = [r["rounds"].get(str(number), {}).get("question") for r in records]
        missing += sum(t is None for t in times)
        got = [1000 * (t - t0) for t in times if t is not None]
        receipts += got
        lasts.append(max(got) if got else float("nan"))
    return {
        "p50": statistics.median(receipts),
        "p99": percentile(receipts, 0.99),
        "last_p50": statistics.median(lasts),
        "last_max": max(lasts),
        "missing": missing,
    }


def results_figures(records: list[dict], rounds: int) -> dict:
    receipts, lasts, frames, burst = [], [], [], []
    for number in range(1, rounds + 1):
        rows = [r["rounds"].get(str(number), {}) for r in records]
        last_answer = max(row.get("answered", 0) for row in rows)
        first_answer = min(row.get("answered", last_answer) for row in rows)
        burst.append(last_answer - first_answer)
        got = [1000 * (row["revealed"] - last_answer) for row in rows if "revealed" in row]
        receipts += got
        lasts.append(max(got) if got else float("nan"))
        frames += [row.get("frames", 0) for row in rows]
    return {
        "p50": statistics.median(receipts),
        "p99": percentile(receipts, 0.99),
        "last_p50": statistics.median(lasts),
        "last_max": max(lasts),
        "frames_max": max(frames),
        "frames_mean": statistics.mean(frames),
        "burst": statistics.mean(burst),
        "missing": rounds * len(records) - len(receipts),
    }


# --- The three measurements -------------------------------------------------------------------


async def trigger_rounds(url: str, frame: dict, rounds: int) -> dict[int, float]:
    """Baselines: one client asks the server to broadcast the frame, once a second."""
    sent = {}
    async with websockets.connect(url, additional_headers=ORIGIN, compression=None) as trigger:
        for number in range(1, rounds + 1):
            sent[number] = time.time()
            await trigger.send(json.dumps({"type": "go", "frame": {**frame, "number": number}}))
            await asyncio.sleep(1.0)
    return sent


def run_baseline(kind: str, players: int, frame: dict, rounds: int) -> dict:
    servers = Servers()
    try:
        if kind == "bare":
            ports = [servers.bare()]
            path = ""
        else:
            app = "tests.bench.live_baselines:application"
            ports = [servers.uvicorn(app), servers.uvicorn(app)]
            path = "ws/bench/"
        urls = [f"ws://127.0.0.1:{ports[n % len(ports)]}/{path}" for n in range(players)]
        config = {"rounds": rounds, "answer": False, "burst": BURST, "expect_state": False}
        config["limit"] = rounds + 30
        swarms = start_swarms(servers, urls, [list(ORIGIN.items())] * players, config)
        time.sleep(1.0)
        sent = asyncio.run(trigger_rounds(f"ws://127.0.0.1:{ports[0]}/{path}", frame, rounds))
        return broadcast_figures(swarm_results(swarms), sent)
    finally:
        servers.stop()


def make_players(session: LiveSession, count: int) -> list[list[list[str]]]:
    """Players and their browsers' sessions, written in bulk; the cookie header of each."""
    now = timezone.now()
    tokens = [secrets.token_urlsafe(16) for _ in range(count)]
    Player.objects.bulk_create(
        Player(
            session=session,
            nickname=f"player {n}",
            nickname_key=f"player {n}",
            token_hash=hash_token(token),
            joined_at=now,
        )
        for n, token in enumerate(tokens)
    )
    store = SessionStore()
    keys = [secrets.token_hex(16) for _ in range(count)]
    Session.objects.bulk_create(
        Session(
            session_key=key,
            session_data=store.encode({BROWSER_KEY: {str(session.pk): token}}),
            expire_date=now + timedelta(hours=2),
        )
        for key, token in zip(keys, tokens, strict=True)
    )
    return [[*ORIGIN.items(), ("Cookie", f"sessionid={key}")] for key in keys]


def host_cookie(user: User) -> str:
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return f"sessionid={store.session_key}"


async def host_rounds(url: str, cookie: str, rounds: int) -> tuple[dict, dict]:
    """The host: "next question", wait for the reveal, leaderboard, and again."""
    sent, frame_sizes = {}, {}
    headers = {**ORIGIN, "Cookie": cookie}
    async with websockets.connect(url, additional_headers=headers, compression=None) as host:

        async def until(kind: str, timeout: float = 60) -> dict:
            deadline = time.monotonic() + timeout
            while True:
                text = await asyncio.wait_for(host.recv(), deadline - time.monotonic())
                frame = json.loads(text)
                if frame["type"] == kind:
                    frame_sizes.setdefault(kind, []).append(len(text))
                    return frame

        revision = (await until("state"))["revision"]
        for number in range(1, rounds + 1):
            await asyncio.sleep(0.5)
            sent[number] = time.time()
            await host.send(json.dumps({"type": "next", "revision": revision}))
            revision = (await until("question.opened"))["revision"]
            revision = (await until("question.revealed"))["revision"]
            await asyncio.sleep(0.5)  # let every phone take its result before moving on
            await host.send(json.dumps({"type": "next", "revision": revision}))
            revision = (await until("leaderboard.shown"))["revision"]
        await host.send(json.dumps({"type": "end"}))
        await until("session.ended")
    return sent, frame_sizes


def run_live(players: int, rounds: int, module: Module, host: User) -> dict:
    session = start_live_session(host, module, seconds=30, now=timezone.now())
    headers = make_players(session, players)
    servers = Servers()
    try:
        ports = [servers.uvicorn("awareness.asgi:application") for _ in range(2)]
        path = f"ws/live/{session.public_id}"
        # The host on the first process; the players shared between both.
        urls = [f"ws://127.0.0.1:{ports[n % 2]}/{path}/play/" for n in range(players)]
        config = {"rounds": rounds, "answer": True, "burst": BURST, "limit": rounds * 40 + 60}
        swarms = start_swarms(servers, urls, headers, config)
        sent, sizes = asyncio.run(
            host_rounds(f"ws://127.0.0.1:{ports[0]}/{path}/host/", host_cookie(host), rounds)
        )
        records = swarm_results(swarms)
    finally:
        servers.stop()
    recorded = [
        LiveAnswer.objects.filter(question__session=session, question__position=n).count()
        for n in range(rounds)
    ]
    return {
        "broadcast": broadcast_figures(records, sent),
        "results": results_figures(records, rounds),
        "recorded": recorded,
        "sizes": sizes,
        "errors": sum(row.get("errors", 0) for r in records for row in r["rounds"].values()),
    }


# --- Report -----------------------------------------------------------------------------------


def row(name: str, figures: dict) -> str:
    return (
        f"  {name:44} {figures['p50']:8.1f} {figures['p99']:8.1f} {figures['last_p50']:9.1f} "
        f"{figures['last_max']:9.1f} {figures['missing']:8d}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--players", default="1000,2000")
    parser.add_argument("--rounds", type=int, default=5)
    options = parser.parse_args()
    if not settings.REDIS_URL:
        sys.exit("Set REDIS_URL: the benchmark runs two web processes joined by Redis.")
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))  # children inherit it
    settings.DEBUG = False
    old_config = setup_databases(verbosity=0, interactive=False)
    try:
        tmp = Path(os.environ["VAR_DIR"])
        settings.MEDIA_ROOT = tmp / "media"
        call_command("load_content", str(write_pack(tmp / "pack")), verbosity=0)
        module = Module.objects.get(slug="parcel-fees", language="en", is_current=True)
        host = User.objects.create(username="bench-host")
        rounds = min(options.rounds, 5)  # the test module has five questions
        print(
            f"Live quiz benchmark: {connection.vendor}, Redis layer, uvicorn, "
            f"{os.cpu_count()} cores, {SWARMS} client processes, {rounds} questions"
        )
        for players in [int(n) for n in options.players.split(",")]:
            live = run_live(players, rounds, module, host)
            size = round(statistics.mean(live["sizes"]["question.opened"]))
            frame = {"type": "question.opened", "pad": "x" * max(0, size - 60)}
            bare = run_baseline("bare", players, frame, 10)
            plain = run_baseline("channels", players, frame, 10)
            print(f"\n{players:,} players (a question frame: {size} bytes on average)")
            print(
                f"  {'ms':44} {'p50':>8} {'p99':>8} {'last p50':>9} {'last max':>9} {'missing':>8}"
            )
            print(row("baseline: bare websockets, 1 process", bare))
            print(row("baseline: Channels group_send, 2 processes", plain))
            print(row("live quiz: next question -> every phone", live["broadcast"]))
            print(row("live quiz: last answer -> result and rank", live["results"]))
            results = live["results"]
            print(
                f"  p99 broadcast / bare: {live['broadcast']['p99'] / bare['p99']:.1f}x, "
                f"/ Channels: {live['broadcast']['p99'] / plain['p99']:.2f}x"
            )
            print(
                f"  answers recorded per question: {live['recorded']} (expected {players} each), "
                f"spread over {results['burst']:.2f} s; errors: {live['errors']}"
            )
            print(
                f"  messages per player per question: max {results['frames_max']}, "
                f"mean {results['frames_mean']:.2f}"
            )
    finally:
        teardown_databases(old_config, verbosity=0)
        shutil.rmtree(os.environ["VAR_DIR"], ignore_errors=True)


if __name__ == "__main__":
    main()
