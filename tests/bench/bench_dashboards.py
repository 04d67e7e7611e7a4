"""Benchmark: every admin reporting page and export of a bank of 100,000 people, at 1M and at
5M answers, beside a baseline page measured in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_reporting \\
        DEBUG=true .venv/bin/python tests/bench/bench_dashboards.py [--only-1m]

The data set is built by COPY: 100,000 members in 20 departments, one campaign over 5 modules
(500,000 assignments, 450,000 completed), then attempts and answers up to about 1M answers, and
then up to about 5M answers in about 900,000 attempts. Each page is fetched through Django's test
client as the administrator, warm, median of 5 (the warm-up fetch alone when it took over 5 s,
marked *). For a CSV the first byte is timed too. The warm-up fetch has its queries counted,
each EXPLAINed (any sequential scan of a table of over 100,000 rows is named), and the growth of
the process's peak memory taken while the whole response is read. BENCH_ONLY=baseline,dashboard
measures only the pages whose names contain one of those words; BENCH_PEOPLE=1000 tries the
script small.
"""

import itertools
import json
import os
import statistics
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from harness import ROOT, throwaway_database, timed  # first: sets up Django

from awareness.content.models import Module, Question, QuestionKind
from training.campaigns.models import (
    Assignment,
    Campaign,
    CampaignModule,
    CampaignRun,
    CampaignStatus,
    ClassAssignment,
    RunStatus,
)
from training.people.models import (
    Group,
    GroupKind,
    Membership,
    Organization,
    Role,
    TokenScope,
    User,
)
from training.progress.models import Answer, Attempt

PEOPLE = int(os.environ.get("BENCH_PEOPLE", 100_000))  # smaller for a quick try of the script
DEPARTMENTS = 20
MODULES = 5
PUPILS = 40
BIG_TABLE = 100_000
REPEATS = 5
DAY = timedelta(days=1)


def copy_rows(model, rows, fields: list[str]) -> int:
    """COPY rows (tuples in the order of `fields`) into the model's table; every other column
    gets its field's default, so columns added later need no change here."""
    template = model()
    others = [
        f
        for f in model._meta.concrete_fields
        if f.attname not in fields and not f.primary_key and f.name not in fields
    ]
    fixed = tuple(f.get_db_prep_save(f.pre_save(template, True), connection) for f in others)
    columns = [model._meta.get_field(name).column for name in fields] + [f.column for f in others]
    count = 0
    with (
        connection.cursor() as cursor,
        cursor.copy(f"COPY {model._meta.db_table} ({', '.join(columns)}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row + fixed)
            count += 1
    return count


def next_id(model) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {model._meta.db_table}")  # noqa: S608 (a model's table name)
        return cursor.fetchone()[0]


def reset_sequence(model) -> None:
    with connection.cursor() as cursor:
        table = model._meta.db_table
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) FROM {table}"  # noqa: S608
        )


def content_pack() -> Path:
    for folder in ("content-packs/demo", "awareness/content/packs/demo"):
        if (ROOT / folder / "pack.yaml").exists():
            return ROOT / folder
    sys.exit("The demo content pack is not where this benchmark looks for it.")


def responses(question: Question) -> tuple[str, str]:
    """A right and a wrong response to a question, as the scorer stores them (JSON text)."""
    kind = question.kind
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        choices = list(question.choices.all())
        right = [c.pk for c in choices if c.is_correct]
        wrong = [c.pk for c in choices if not c.is_correct][:1] or right
        if kind == QuestionKind.SINGLE:
            return json.dumps({"choice": right[0]}), json.dumps({"choice": wrong[0]})
        return json.dumps({"choices": right}), json.dumps({"choices": wrong})
    if kind == QuestionKind.SCAM_OR_LEGIT:
        truth = "scam" if question.example.is_scam else "legit"
        return json.dumps({"verdict": truth}), json.dumps(
            {"verdict": "legit" if truth == "scam" else "scam"}
        )
    if kind == QuestionKind.WHICH_IS_REAL:
        real, fake = question.example, question.other_example
        if real.is_scam:
            real, fake = fake, real
        return json.dumps({"real": real.pk}), json.dumps({"real": fake.pk})
    flags = [spot.pk for spot in question.example.spots.all() if spot.is_flag]
    return json.dumps({"spots": flags}), json.dumps({"spots": flags[:1]})


class Bank:
    """The data set, built a step at a time."""

    def __init__(self):
        from django.core.management import call_command

        call_command("load_content", str(content_pack()), verbosity=0)
        self.modules = list(Module.objects.filter(language="en", is_current=True)[:MODULES])
        self.questions = {
            module.pk: [
                (q.pk, *responses(q))
                for q in Question.objects.filter(step__module=module)
                .select_related("example", "other_example")
                .prefetch_related("choices", "example__spots")
                .order_by("step__position")
            ]
            for module in self.modules
        }
        self.now = timezone.now()
        self.org = Organization.objects.create(name="Bench Bank", slug="bench", kind="bank")
        admin_user = User.objects.create(username="bench-admin", email="admin@bench.example")
        self.admin = Membership.objects.create(
            organization=self.org, user=admin_user, role=Role.ADMIN
        )
        self.admin_user = admin_user
        self.departments = [
            Group.objects.create(
                organization=self.org, name=f"Department {n:02}", kind=GroupKind.DEPARTMENT
            )
            for n in range(DEPARTMENTS)
        ]
        self.attempts_done = 0  # completing attempts written so far (in assignment order)
        self.answers = 0
        self.attempts = 0

    def people(self) -> None:
        first_user, first_member = next_id(User), next_id(Membership)
        copy_rows(
            User,
            (
                (first_user + n, "!", f"p{n:06}", f"Person {n}", f"p{n:06}@bench.example")
                for n in range(PEOPLE)
            ),
            ["id", "password", "username", "first_name", "email"],
        )
        copy_rows(
            Membership,
            (
                (first_member + n, self.org.pk, first_user + n, Role.LEARNER, f"HR{n:06}")
                for n in range(PEOPLE)
            ),
            ["id", "organization", "user", "role", "external_id"],
        )
        through = Group.members.through
        copy_rows(
            through,
            ((self.departments[n % DEPARTMENTS].pk, first_member + n) for n in range(PEOPLE)),
            ["group", "membership"],
        )
        for model in (User, Membership, through):
            reset_sequence(model)
        self.first_user, self.first_member = first_user, first_member

    def campaign(self) -> None:
        starts = self.now - 20 * DAY
        self.campaign = Campaign.objects.create(
            organization=self.org,
            name="Annual awareness",
            status=CampaignStatus.RUNNING,
            starts_at=starts,
            created_by=self.admin,
        )
        self.campaign.groups.set(self.departments)
        CampaignModule.objects.bulk_create(
            CampaignModule(campaign=self.campaign, position=n, module_slug=m.slug,
                           module_title=m.title)
            for n, m in enumerate(self.modules)
        )  # fmt: skip
        self.run = CampaignRun.objects.create(
            campaign=self.campaign,
            number=1,
            starts_at=starts,
            due_at=starts + 14 * DAY,
            status=RunStatus.LAUNCHED,
            recipients=PEOPLE,
            launched_at=starts,
        )
        copy_rows(
            Assignment,
            (
                (self.run.pk, self.first_member + n, module.slug, self.run.due_at)
                for n in range(PEOPLE)
                for module in self.modules
            ),
            ["run", "membership", "module_slug", "due_at"],
        )
        # 450,000 of the 500,000 completed, spread over two weeks, scores from right answers.
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE campaigns_assignment SET completed_at = %s + (id %% 336) * interval "
                "'1 hour', score = ((id * 7) %% 11) / 10.0 WHERE run_id = %s AND id %% 10 <> 9",
                [self.run.starts_at, self.run.pk],
            )
        pupils = Group.objects.create(organization=self.org, name="Class 4B", kind=GroupKind.CLASS)
        pupils.members.set(range(self.first_member, self.first_member + PUPILS))
        ClassAssignment.objects.bulk_create(
            ClassAssignment(group=pupils, module_slug=m.slug, module_title=m.title,
                            starts_at=self.run.starts_at, due_at=self.run.due_at,
                            assigned_by=self.admin)
            for m in self.modules
        )  # fmt: skip
        self.pupils = pupils

    def _attempt_rows(self, pairs, first_id: int, answers_out: list, *, before_run: bool):
        """Attempts (tuples for COPY) of (member number, module index) pairs; their answers
        are appended to answers_out as tuples too."""
        attempt_id = first_id
        for n, k in pairs:
            module = self.modules[k]
            finished = self.run.starts_at + ((n * 5 + k) % 336) * timedelta(hours=1)
            if before_run:
                finished -= 200 * DAY
            right = 0
            questions = self.questions[module.pk]
            for position, (question_id, good, bad) in enumerate(questions):
                is_right = (n * 7 + k * 3 + position * 13) % 10 < 7
                right += is_right
                answers_out.append(
                    (attempt_id, question_id, good if is_right else bad, is_right,
                     float(is_right), 80, 12.5, finished)
                )  # fmt: skip
            score = right / len(questions) if questions else 1.0
            yield (attempt_id, uuid.uuid4(), module.pk, self.first_user + n, len(questions),
                   finished, finished - 5 * 60 * timedelta(seconds=1), finished, score)  # fmt: skip
            attempt_id += 1

    def history(self, attempts: int, *, before_run: bool = False) -> None:
        """More attempts and their answers: completing ones first (in assignment order), then
        earlier ones finished before the run."""
        if before_run:
            pairs = ((n % PEOPLE, n % MODULES) for n in range(attempts))
        else:
            completed = (
                (n, k) for n in range(PEOPLE) for k in range(MODULES) if (n * 5 + k) % 10 != 9
            )
            pairs = itertools.islice(completed, self.attempts_done, self.attempts_done + attempts)
            self.attempts_done += attempts
        batch = 50_000
        fields = ["id", "public_id", "module", "user", "position", "step_shown_at",
                  "started_at", "finished_at", "score"]  # fmt: skip
        answer_fields = ["attempt", "question", "response", "is_correct", "score",
                         "confidence", "seconds", "answered_at"]  # fmt: skip
        while chunk := list(itertools.islice(pairs, batch)):
            answers: list = []
            self.attempts += copy_rows(
                Attempt,
                self._attempt_rows(chunk, next_id(Attempt), answers, before_run=before_run),
                fields,
            )
            self.answers += copy_rows(Answer, iter(answers), answer_fields)
        reset_sequence(Attempt)
        reset_sequence(Answer)

    def grow_to(self, answers: int) -> None:
        """Completing attempts until 450,000, then older ones, up to about `answers` answers."""
        per_attempt = self.answers_per_attempt()
        completing_left = PEOPLE * MODULES * 9 // 10 - self.attempts_done
        wanted = max(0, round((answers - self.answers) / per_attempt))
        self.history(min(wanted, completing_left))
        if wanted > completing_left:
            self.history(wanted - completing_left, before_run=True)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        rebuild = statistics_rebuilder()
        if rebuild:
            seconds, _ = timed(rebuild, self.run)
            print(f"  campaign statistics rebuilt from history in {seconds:.1f} s")

    def answers_per_attempt(self) -> float:
        return statistics.mean(len(q) for q in self.questions.values())


def statistics_rebuilder():
    """The summary rows' rebuild, where the code under test keeps summary rows."""
    try:
        from training.campaigns.services import rebuild_run_statistics
    except ImportError:
        return None
    return rebuild_run_statistics


def big_tables() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_class WHERE relkind = 'r' AND reltuples > %s", [BIG_TABLE]
        )
        return {row[0] for row in cursor.fetchall()}


def seq_scans(plan: dict, big: set[str]) -> set[str]:
    found = set()
    if plan.get("Node Type") == "Seq Scan" and plan.get("Relation Name") in big:
        found.add(plan["Relation Name"])
    for child in plan.get("Plans", []):
        found |= seq_scans(child, big)
    return found


def fetch(client: Client, url: str, headers: dict) -> tuple[float, float, int]:
    """Seconds to the first byte and to the last, and the size in bytes."""
    started = time.perf_counter()
    response = client.get(url, headers=headers)
    assert response.status_code == 200, (url, response.status_code)
    if not response.streaming:
        done = time.perf_counter() - started
        return done, done, len(response.content)
    chunks = iter(response.streaming_content)
    size = len(next(chunks, b""))
    first = time.perf_counter() - started
    size += sum(len(chunk) for chunk in chunks)
    return first, time.perf_counter() - started, size


def peak_memory_growth(client: Client, url: str, headers: dict) -> tuple[float, tuple]:
    """MB the process's peak resident memory grew by while fetching (Linux), and the fetch."""

    def status(key: str) -> int:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(key):
                return int(line.split()[1])
        return 0

    Path("/proc/self/clear_refs").write_text("5")  # reset the peak to the current size
    before = status("VmRSS:")
    result = fetch(client, url, headers)
    return (status("VmHWM:") - before) / 1024, result


def measure(client: Client, url: str, headers: dict, big: set[str]) -> dict:
    """The first fetch warms up and has its queries counted and its peak memory taken; a page
    that took over 5 s then has that one figure (marked *), any other the median of 5."""
    queries = []

    def record(execute, sql, params, many, context):
        queries.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        memory, warm = peak_memory_growth(client, url, headers)
    runs = [fetch(client, url, headers) for _ in range(REPEATS)] if warm[1] < 5 else [warm]
    scans = set()
    with connection.cursor() as cursor:
        for sql, params in queries:
            if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
                continue
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
            plan = cursor.fetchone()[0]
            plan = json.loads(plan) if isinstance(plan, str) else plan
            scans |= seq_scans(plan[0]["Plan"], big)
    return {
        "first": statistics.median(r[0] for r in runs),
        "total": statistics.median(r[1] for r in runs),
        "size": runs[0][2],
        "single": len(runs) == 1,
        "queries": len(queries),
        "scans": sorted(scans),
        "memory": memory,
    }


def pages(bank: Bank, token: str) -> list[tuple[str, str, dict]]:
    org, campaign = bank.org.slug, bank.campaign.pk
    api = {"Authorization": f"Bearer {token}"}
    csv = [
        (f"campaign CSV, {table}", reverse("campaign_csv", args=[org, campaign, table]), {})
        for table in ("evidence", "questions", "red_flags", "groups", "overdue", "scores",
                      "over_time")
    ]  # fmt: skip
    return [
        ("baseline: API tokens page", reverse("api_token_list", args=[org]), {}),
        ("campaign list", reverse("campaign_list", args=[org]), {}),
        ("campaign dashboard", reverse("campaign_detail", args=[org, campaign]), {}),
        (
            "dashboard refresh (htmx)",
            reverse("campaign_detail", args=[org, campaign]),
            {"HX-Request": "true"},
        ),
        ("evidence report", reverse("campaign_evidence", args=[org, campaign]), {}),
        *csv,
        ("members page", reverse("member_list", args=[org]), {}),
        (f"class grid, {PUPILS} pupils", reverse("group_progress", args=[org, bank.pupils.pk]), {}),
        ("class grid CSV", reverse("group_progress_csv", args=[org, bank.pupils.pk]), {}),
        ("API campaign", f"/api/v1/orgs/{org}/campaigns/{campaign}/", api),
        ("API assignments list", f"/api/v1/orgs/{org}/assignments/", api),
        ("API progress list", f"/api/v1/orgs/{org}/progress/", api),
        ("API attempts list", f"/api/v1/orgs/{org}/attempts/", api),
    ]


def report(bank: Bank, client: Client, token: str) -> None:
    big = big_tables()
    print(
        f"\n{bank.answers:,} answers in {bank.attempts:,} attempts; tables over "
        f"{BIG_TABLE:,} rows: {', '.join(sorted(big))}"
    )
    print(
        f"{'page':34} {'median ms':>10} {'× base':>7} {'1st byte':>9} {'queries':>7} "
        f"{'MB peak+':>8} {'KB':>8}  seq scans"
    )
    baseline = None
    only = os.environ.get("BENCH_ONLY", "")  # e.g. "baseline,dashboard": labels containing these
    for label, url, headers in pages(bank, token):
        if only and not any(word in label for word in only.split(",")):
            continue
        m = measure(client, url, headers, big)
        baseline = baseline or m["total"]
        star = "*" if m["single"] else " "
        print(
            f"{label:34} {1000 * m['total']:9.0f}{star} {m['total'] / baseline:7.1f} "
            f"{1000 * m['first']:9.0f} {m['queries']:7} {m['memory']:8.1f} "
            f"{m['size'] / 1024:8.0f}  {', '.join(m['scans']) or '-'}"
        )


def main() -> None:
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database: the data set is built by COPY.")
    scale = PEOPLE / 100_000
    sizes = [round(scale * 1_000_000), round(scale * 5_000_000)][
        : 1 if "--only-1m" in sys.argv else 2
    ]
    with throwaway_database():
        started = time.perf_counter()
        bank = Bank()
        bank.people()
        bank.campaign()
        print(f"people, departments and campaign by COPY: {time.perf_counter() - started:.0f} s")
        from training.people.services.api_tokens import create_api_token

        _token, secret = create_api_token(
            bank.admin, name="bench", scope=TokenScope.READ, now=timezone.now()
        )
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        client = Client()
        client.force_login(bank.admin_user)  # a benchmark, not a journey: no password here
        for answers in sizes:
            started = time.perf_counter()
            bank.grow_to(answers)
            print(f"history up to {answers:,} answers: {time.perf_counter() - started:.0f} s")
            report(bank, client, secret)


if __name__ == "__main__":
    main()
