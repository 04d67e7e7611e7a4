"""A run's figures kept as summary rows (RunTally), added to in the transaction that enrols
people or finishes an attempt, so no page re-reads the history behind them.

Exactly once: an assignment's own change (completed, a better score, passed) is decided on its
row locked FOR UPDATE, so two attempts finishing at once change it, and the tallies, once; an
attempt's answers are counted for a run only when its TalliedAttempt row is new (a unique key).
"""

# ruff: noqa: S608 -- the SQL here is built from the models' own table names, never from input

from collections import defaultdict
from datetime import datetime

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from awareness.content.models import QuestionKind, RedFlag
from training.campaigns.models import (
    Assignment,
    Campaign,
    CampaignRun,
    RunTally,
    TalliedAttempt,
    TallyTopic,
)
from training.people.models import Group
from training.progress.models import Answer, Attempt

# (run id, topic, key) -> [count, hits, passed, score_sum]
Deltas = dict[tuple[int, str, int], list]


def score_band(score: float) -> int:
    """0 for 0-9 %, ... 9 for 90-100 %."""
    return min(int(score * 10), 9)


def _deltas() -> Deltas:
    return defaultdict(lambda: [0, 0, 0, 0.0])


def add_to_tallies(deltas: Deltas) -> None:
    """Add to the tallies in one statement, creating rows as needed; rows are taken in key
    order so that two transactions adding to the same rows cannot deadlock."""
    rows = [(*key, *values) for key, values in sorted(deltas.items()) if any(values)]
    if not rows:
        return
    table = RunTally._meta.db_table
    placeholders = ", ".join(["(%s, %s, %s, %s, %s, %s, %s)"] * len(rows))
    adds = ", ".join(
        f'"{column}" = {table}."{column}" + excluded."{column}"'
        for column in ("count", "hits", "passed", "score_sum")
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f'INSERT INTO {table} (run_id, topic, "key", "count", hits, passed, score_sum) '
            f'VALUES {placeholders} ON CONFLICT (run_id, topic, "key") DO UPDATE SET {adds}',
            [value for row in rows for value in row],
        )


def _departments(campaign_ids: set[int], membership_ids: set[int]) -> dict[tuple, list[int]]:
    """(membership id, campaign id) -> the campaign's groups the member belongs to."""
    through = Group.members.through
    found: dict[tuple, list[int]] = defaultdict(list)
    for membership_id, group_id, campaign_id in through.objects.filter(
        membership_id__in=membership_ids, group__campaigns__in=campaign_ids
    ).values_list("membership_id", "group_id", "group__campaigns"):
        found[(membership_id, campaign_id)].append(group_id)
    return found


def _add_assignment_change(deltas: Deltas, run_id: int, groups: list[int], change: list) -> None:
    deltas_key = [(run_id, TallyTopic.RUN, 0)] + [
        (run_id, TallyTopic.DEPARTMENT, group) for group in groups
    ]
    for key in deltas_key:
        for index, value in enumerate(change):
            deltas[key][index] += value


def tally_new_assignments(run: CampaignRun, members: list[int], slugs: list[str]) -> list:
    """The (membership id, module slug) pairs of these that the run has not assigned yet,
    tallied. The caller holds these members' rows locked and inserts exactly these."""
    existing = set(
        Assignment.objects.filter(run=run, membership_id__in=members).values_list(
            "membership_id", "module_slug"
        )
    )
    new = [(member, slug) for member in members for slug in slugs if (member, slug) not in existing]
    if not new:
        return new
    deltas = _deltas()
    groups = _departments({run.campaign_id}, set(members))
    for member, _slug in new:
        _add_assignment_change(deltas, run.pk, groups.get((member, run.campaign_id), []), [1])
    newcomers = {member for member, _slug in new} - {member for member, _slug in existing}
    deltas[(run.pk, TallyTopic.PEOPLE, 0)][0] += len(newcomers)
    add_to_tallies(deltas)
    return new


@transaction.atomic(savepoint=False)  # inside progress' transaction: no savepoint round trips
def count_finished_attempt(attempt) -> int:
    """A finished attempt completes the learner's open campaign assignments for its module (in
    every organisation they belong to), keeps the best score, marks a pass, and adds its
    answers to the figures of each run that assigned the module. Returns assignments changed."""
    finished_at, score = attempt.finished_at, attempt.score
    assignments = list(
        Assignment.objects.select_for_update(of=("self",))
        .filter(
            membership__user_id=attempt.user_id,
            module_slug=attempt.module.slug,
            run__starts_at__lte=finished_at,
        )
        .values(
            "pk",
            "run_id",
            "membership_id",
            "completed_at",
            "score",
            "passed_at",
            "run__campaign_id",
            "run__campaign__pass_mark",
        )
        .order_by("pk")
    )
    if not assignments:
        return 0
    deltas = _deltas()
    groups = _departments(
        {a["run__campaign_id"] for a in assignments}, {a["membership_id"] for a in assignments}
    )
    changed = 0
    for a in assignments:
        change, fields = _assignment_change(a, score=score, finished_at=finished_at)
        if not fields:
            continue
        changed += 1
        Assignment.objects.filter(pk=a["pk"]).update(**fields)
        run_id = a["run_id"]
        department = groups.get((a["membership_id"], a["run__campaign_id"]), [])
        _add_assignment_change(deltas, run_id, department, change)
        if "completed_at" in fields:
            deltas[(run_id, TallyTopic.DAY, timezone.localdate(finished_at).toordinal())][1] += 1
            deltas[(run_id, TallyTopic.SCORE, score_band(score))][0] += 1
        elif "score" in fields:
            deltas[(run_id, TallyTopic.SCORE, score_band(a["score"]))][0] -= 1
            deltas[(run_id, TallyTopic.SCORE, score_band(score))][0] += 1
        _count_person(deltas, a, fields)
    _count_answers(deltas, attempt, sorted({a["run_id"] for a in assignments}))
    add_to_tallies(deltas)
    return changed


def _assignment_change(a: dict, *, score: float, finished_at: datetime) -> tuple[list, dict]:
    """What this attempt changes on one assignment, and the [count, hits, passed, score_sum]
    it adds to the tallies."""
    fields: dict = {}
    change = [0, 0, 0, 0.0]
    if a["completed_at"] is None:
        fields.update(completed_at=finished_at, score=score)
        change[1], change[3] = 1, score
    elif score > a["score"]:
        fields["score"] = score
        change[3] = score - a["score"]
    if a["passed_at"] is None and score >= a["run__campaign__pass_mark"]:
        fields["passed_at"] = finished_at
        change[2] = 1
    return change, fields


def _count_person(deltas: Deltas, a: dict, fields: dict) -> None:
    """A person completes (or passes) a run when the last of their assignments does."""
    others = Assignment.objects.filter(run_id=a["run_id"], membership_id=a["membership_id"])
    others = others.exclude(pk=a["pk"])
    key = (a["run_id"], TallyTopic.PEOPLE, 0)
    if "completed_at" in fields and not others.filter(completed_at__isnull=True).exists():
        deltas[key][1] += 1
    if "passed_at" in fields and not others.filter(passed_at__isnull=True).exists():
        deltas[key][2] += 1


def _count_answers(deltas: Deltas, attempt, run_ids: list[int]) -> None:
    """Each question's answers and right answers, each red flag seen and missed: once per run
    and attempt, whoever calls this how often."""
    table = TalliedAttempt._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (run_id, attempt_id) VALUES "
            + ", ".join(["(%s, %s)"] * len(run_ids))
            + " ON CONFLICT DO NOTHING RETURNING run_id",
            [value for run_id in run_ids for value in (run_id, attempt.pk)],
        )
        new_runs = [row[0] for row in cursor.fetchall()]
    if not new_runs:
        return
    answers = list(
        attempt.answers.values(
            "question_id", "is_correct", "response", "question__kind", "question__example_id"
        )
    )
    spotted = [a for a in answers if a["question__kind"] == QuestionKind.SPOT_FLAGS]
    flags: dict[int, list[int]] = defaultdict(list)
    if spotted:
        for pk, example_id in RedFlag.objects.filter(
            example_id__in={a["question__example_id"] for a in spotted}, is_flag=True
        ).values_list("pk", "example_id"):
            flags[example_id].append(pk)
    for run_id in new_runs:
        for answer in answers:
            tally = deltas[(run_id, TallyTopic.QUESTION, answer["question_id"])]
            tally[0] += 1
            tally[1] += answer["is_correct"]
        for answer in spotted:
            picked = set(answer["response"].get("spots", []))
            for flag in flags[answer["question__example_id"]]:
                tally = deltas[(run_id, TallyTopic.RED_FLAG, flag)]
                tally[0] += 1
                tally[1] += flag not in picked


@transaction.atomic
def rebuild_run_statistics(run: CampaignRun) -> None:
    """Recount a run's tallies from its assignments and answers (PostgreSQL): for runs from
    before tallies existed, or after a repair. The run's rows are locked meanwhile."""
    # Only ids and plain columns of `run` are used: a migration passes its historical model.
    list(CampaignRun.objects.select_for_update().filter(pk=run.pk).values_list("pk"))
    RunTally.objects.filter(run_id=run.pk).delete()
    TalliedAttempt.objects.filter(run_id=run.pk).delete()
    names = {
        "tally": RunTally._meta.db_table,
        "ledger": TalliedAttempt._meta.db_table,
        "assignment": Assignment._meta.db_table,
        "members": Group.members.through._meta.db_table,
        "campaign_groups": Campaign.groups.through._meta.db_table,
    }
    names.update(
        attempt=Attempt._meta.db_table,
        answer=Answer._meta.db_table,
        membership=Assignment._meta.get_field("membership").related_model._meta.db_table,
        module=Attempt._meta.get_field("module").related_model._meta.db_table,
        question=Answer._meta.get_field("question").related_model._meta.db_table,
        red_flag=RedFlag._meta.db_table,
    )
    params = {
        "run": run.pk,
        "campaign": run.campaign_id,
        "starts": run.starts_at,
        "zone": settings.TIME_ZONE,
        "spot": QuestionKind.SPOT_FLAGS,
    }
    insert = 'INSERT INTO {tally} (run_id, topic, "key", "count", hits, passed, score_sum) '
    done = "coalesce(sum(a.score) FILTER (WHERE a.completed_at IS NOT NULL), 0)"
    statements = [
        insert + "SELECT %(run)s, 'run', 0, count(*), count(a.completed_at), count(a.passed_at), "
        f"{done} FROM {{assignment}} a WHERE a.run_id = %(run)s HAVING count(*) > 0",
        insert + "SELECT %(run)s, 'people', 0, count(*), count(*) FILTER (WHERE open = 0), "
        "count(*) FILTER (WHERE failing = 0), 0 FROM (SELECT a.membership_id, "
        "count(*) FILTER (WHERE a.completed_at IS NULL) open, "
        "count(*) FILTER (WHERE a.passed_at IS NULL) failing FROM {assignment} a "
        "WHERE a.run_id = %(run)s GROUP BY a.membership_id) people HAVING count(*) > 0",
        insert + "SELECT %(run)s, 'department', g.group_id, count(*), count(a.completed_at), "
        f"count(a.passed_at), {done} FROM {{assignment}} a "
        "JOIN {members} g ON g.membership_id = a.membership_id "
        "JOIN {campaign_groups} c ON c.group_id = g.group_id AND c.campaign_id = %(campaign)s "
        "WHERE a.run_id = %(run)s GROUP BY g.group_id",
        insert + "SELECT %(run)s, 'score', least(floor(a.score * 10), 9), count(*), 0, 0, 0 "
        "FROM {assignment} a WHERE a.run_id = %(run)s AND a.completed_at IS NOT NULL "
        "GROUP BY 3",
        insert + "SELECT %(run)s, 'day', "
        "((a.completed_at AT TIME ZONE %(zone)s)::date - date '0001-01-01') + 1, 0, count(*), "
        "0, 0 FROM {assignment} a WHERE a.run_id = %(run)s AND a.completed_at IS NOT NULL "
        "GROUP BY 3",
        "INSERT INTO {ledger} (run_id, attempt_id) SELECT DISTINCT %(run)s, t.id "
        "FROM {assignment} a JOIN {membership} m ON m.id = a.membership_id "
        "JOIN {attempt} t ON t.user_id = m.user_id AND t.finished_at >= %(starts)s "
        "JOIN {module} mo ON mo.id = t.module_id AND mo.slug = a.module_slug "
        "WHERE a.run_id = %(run)s",
        insert + "SELECT %(run)s, 'question', an.question_id, count(*), "
        "count(*) FILTER (WHERE an.is_correct), 0, 0 FROM {ledger} l "
        "JOIN {answer} an ON an.attempt_id = l.attempt_id WHERE l.run_id = %(run)s "
        "GROUP BY an.question_id",
        insert + "SELECT %(run)s, 'red_flag', f.id, count(*), "
        "count(*) FILTER (WHERE NOT (an.response -> 'spots') @> to_jsonb(f.id)), 0, 0 "
        "FROM {ledger} l JOIN {answer} an ON an.attempt_id = l.attempt_id "
        "JOIN {question} q ON q.id = an.question_id AND q.kind = %(spot)s "
        "JOIN {red_flag} f ON f.example_id = q.example_id AND f.is_flag "
        "WHERE l.run_id = %(run)s GROUP BY f.id",
    ]
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement.format(**names), params)
