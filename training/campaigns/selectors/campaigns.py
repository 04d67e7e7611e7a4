"""Reads of campaigns: one access gate, e-mail contexts, and dashboards aggregated in the
database so a campaign of 100,000 people loads in a fixed number of queries."""

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from itertools import islice

from django.conf import settings
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncQuarter
from django.http import Http404
from django.urls import reverse

from awareness.content.models import Question, RedFlag
from training.campaigns.models import (
    Assignment,
    Campaign,
    CampaignRun,
    Notification,
    NotificationKind,
    NotificationStatus,
    RunTally,
    TallyTopic,
)
from training.people.models import Group, Membership


def campaigns_of(membership: Membership):
    return Campaign.objects.filter(organization_id=membership.organization_id).prefetch_related(
        "groups", "modules"
    )


def campaign_for(membership: Membership, campaign_id: int) -> Campaign:
    """The organisation's campaign; any other (or none) is a 404."""
    campaign = campaigns_of(membership).filter(pk=campaign_id).first()
    if campaign is None:
        raise Http404("No such campaign.")
    return campaign


def latest_run(campaign: Campaign) -> CampaignRun | None:
    return campaign.runs.order_by("-number").first()


def _module_links(slugs_titles) -> list[dict]:
    return [
        {
            "title": title,
            # Signed out, this asks to sign in first: played anonymously it would not count.
            "url": settings.SITE_URL.rstrip("/") + reverse("assigned_module", args=[slug]),
        }
        for slug, title in slugs_titles
    ]


def message_context(notification: Notification) -> dict:
    """What an invitation, reminder or digest says to its recipient."""
    run = notification.run
    campaign = run.campaign
    # Prefetched by the sender for a whole batch: no query per message.
    modules = [(m.module_slug, m.module_title) for m in campaign.modules.all()]
    context = {
        "user": notification.membership.user,
        "organization": notification.membership.organization,
        "campaign": campaign,
        "run": run,
        "site_url": settings.SITE_URL.rstrip("/"),
    }
    if notification.kind == NotificationKind.REMINDER:
        open_slugs = set(
            Assignment.objects.filter(
                run=run, membership=notification.membership, completed_at__isnull=True
            ).values_list("module_slug", flat=True)
        )
        modules = [(slug, title) for slug, title in modules if slug in open_slugs]
    if notification.kind == NotificationKind.ESCALATION:
        context["overdue"] = list(
            Assignment.objects.filter(
                run=run,
                completed_at__isnull=True,
                membership__groups__leader=notification.membership,
            )
            .values_list("membership__user__username", flat=True)
            .distinct()
            .order_by("membership__user__username")[:200]
        )
    context["modules"] = _module_links(modules)
    return context


@dataclass(frozen=True)
class Summary:
    people: int
    assignments: int
    completed: int
    passed: int
    average_score: float | None
    overdue_people: int
    sent: int
    waiting: int
    failed: int
    people_completed: int = 0
    people_passed: int = 0

    @property
    def percent(self) -> int:
        return round(100 * self.completed / self.assignments) if self.assignments else 0

    @property
    def passed_percent(self) -> int:
        return round(100 * self.passed / self.assignments) if self.assignments else 0


def _tallies(run: CampaignRun, topic: str):
    return RunTally.objects.filter(run=run, topic=topic)


def run_summary(run: CampaignRun, *, now: datetime) -> Summary:
    """The run's totals from its tallies; the outbox's figures are counted from an index (they
    change with sending, not with answers)."""
    totals = {t.topic: t for t in run.tallies.filter(topic__in=[TallyTopic.RUN, TallyTopic.PEOPLE])}
    whole = totals.get(TallyTopic.RUN) or RunTally()
    people = totals.get(TallyTopic.PEOPLE) or RunTally()
    # Every assignment of a run is due when the run is (enrolment gives it the run's due time),
    # so past it, everyone who has not completed everything is overdue.
    overdue = max(0, people.count - people.hits) if now > run.due_at else 0
    mail = Notification.objects.filter(run=run).aggregate(
        sent=Count("pk", filter=Q(status=NotificationStatus.SENT)),
        waiting=Count(
            "pk", filter=Q(status__in=[NotificationStatus.PENDING, NotificationStatus.SENDING])
        ),
        failed=Count("pk", filter=Q(status=NotificationStatus.FAILED)),
    )
    return Summary(
        people=people.count,
        assignments=whole.count,
        completed=whole.hits,
        passed=whole.passed,
        average_score=whole.score_sum / whole.hits if whole.hits else None,
        overdue_people=overdue,
        people_completed=people.hits,
        people_passed=people.passed,
        **mail,
    )


def completion_over_time(run: CampaignRun) -> list[tuple[date, int]]:
    """Cumulative completed assignments per day."""
    total, points = 0, []
    for day, completed in _tallies(run, TallyTopic.DAY).order_by("key").values_list("key", "hits"):
        total += completed
        points.append((date.fromordinal(day), total))
    return points


def by_group(run: CampaignRun) -> list[dict]:
    """Completion, passes and average score of each of the campaign's groups."""
    names = dict(Group.objects.filter(campaigns=run.campaign_id).values_list("pk", "name"))
    rows = [
        {
            "group": names[t.key],
            "total": t.count,
            "completed": t.hits,
            "passed": t.passed,
            "average": t.score_sum / t.hits if t.hits else None,
            "percent": round(100 * t.hits / t.count) if t.count else 0,
            "passed_percent": round(100 * t.passed / t.count) if t.count else 0,
        }
        for t in _tallies(run, TallyTopic.DEPARTMENT)
        if t.key in names  # a group taken off the campaign since
    ]
    return sorted(rows, key=lambda row: row["group"])


def score_distribution(run: CampaignRun) -> list[tuple[int, int]]:
    """How many completed assignments scored 0-9 %, 10-19 % ... 90-100 %."""
    counts = dict(_tallies(run, TallyTopic.SCORE).values_list("key", "count"))
    return [(band * 10, counts.get(band, 0)) for band in range(10)]


def overdue_people(run: CampaignRun, *, now: datetime, limit: int | None = 50):
    rows = (
        Assignment.objects.filter(run=run, completed_at__isnull=True, due_at__lt=now)
        .values(username=F("membership__user__username"), email=F("membership__user__email"))
        .annotate(modules=Count("pk"))
        .order_by("username")
    )
    return list(rows[:limit]) if limit else rows.iterator(chunk_size=5000)


def hardest_questions(run: CampaignRun, *, limit: int | None = 10) -> list[dict]:
    """Questions of the campaign's modules answered least well by its people."""
    tallies = {t.key: t for t in _tallies(run, TallyTopic.QUESTION) if t.count}
    prompts = Question.objects.filter(pk__in=tallies).values_list("pk", "prompt")
    rows = [
        {
            "prompt": prompt,
            "answers": tallies[pk].count,
            "right": tallies[pk].hits,
            "percent": round(100 * tallies[pk].hits / tallies[pk].count),
        }
        for pk, prompt in prompts
    ]
    rows.sort(key=lambda row: (row["percent"], row["prompt"]))
    return rows[:limit]  # None: all of them


def most_missed_red_flags(run: CampaignRun, *, limit: int = 10) -> list[tuple[str, int, int]]:
    """The red flags the campaign's people missed most in spot-the-red-flags questions, as
    (label, missed, seen)."""
    missed, seen = Counter(), Counter()
    labels = dict(
        RedFlag.objects.filter(pk__in=_tallies(run, TallyTopic.RED_FLAG).values("key")).values_list(
            "pk", "label"
        )
    )
    for t in _tallies(run, TallyTopic.RED_FLAG):
        if t.key in labels:  # several versions of one example share their flags' labels
            missed[labels[t.key]] += t.hits
            seen[labels[t.key]] += t.count
    return [(label, count, seen[label]) for label, count in missed.most_common(limit) if count]


def failed_notifications(run: CampaignRun, *, limit: int = 20) -> list[Notification]:
    return list(
        Notification.objects.filter(run=run, status=NotificationStatus.FAILED)
        .select_related("membership__user")
        .order_by("-pk")[:limit]
    )


def quarterly_trend(membership: Membership) -> list[dict]:
    """Completion of all the organisation's campaigns, quarter by quarter."""
    rows = (
        RunTally.objects.filter(
            topic=TallyTopic.RUN, run__campaign__organization_id=membership.organization_id
        )
        .annotate(quarter=TruncQuarter("run__starts_at"))
        .values("quarter")
        .annotate(total=Sum("count"), completed=Sum("hits"), scores=Sum("score_sum"))
        .order_by("quarter")
    )
    return [
        {
            "quarter": f"{row['quarter']:%Y} Q{(row['quarter'].month - 1) // 3 + 1}",
            "percent": round(100 * row["completed"] / row["total"]) if row["total"] else 0,
            "average": row["scores"] / row["completed"] if row["completed"] else None,
            "total": row["total"],
            "completed": row["completed"],
        }
        for row in rows
    ]


EVIDENCE_HEADER = [
    "person",
    "email",
    "department",
    "module",
    "due",
    "completed",
    "score_percent",
    "passed",
    "passed_at",
]


def percent(score: float | None) -> int | None:
    return None if score is None else round(100 * score)


def evidence_rows(run: CampaignRun, *, batch: int = 2000):
    """Who was trained on what, when, with what result: one row per assignment, streamed from
    the database in the order of its unique index (so the first rows need no sort), with the
    person's departments in the campaign looked up a batch at a time."""
    names = dict(Group.objects.filter(campaigns=run.campaign_id).values_list("pk", "name"))
    rows = (
        Assignment.objects.filter(run=run)
        .values_list(
            "membership_id",
            "membership__user__username",
            "membership__user__email",
            "module_slug",
            "due_at",
            "completed_at",
            "score",
            "passed_at",
        )
        .order_by("membership_id", "module_slug")
        .iterator(chunk_size=batch)
    )
    while chunk := list(islice(rows, batch)):
        departments = defaultdict(list)
        for member, group in Group.members.through.objects.filter(
            membership_id__in={row[0] for row in chunk}, group_id__in=names
        ).values_list("membership_id", "group_id"):
            departments[member].append(names[group])
        for member, username, email, slug, due, completed, score, passed_at in chunk:
            yield [
                username,
                email,
                "; ".join(sorted(departments[member])),
                slug,
                due,
                completed,
                percent(score),
                "yes" if passed_at else "no",
                passed_at,
            ]


def campaign_dashboard(campaign: Campaign, *, now: datetime) -> dict:
    """Every figure of the campaign page, each aggregated in the database."""
    run = latest_run(campaign)
    if run is None:
        return {"run": None}
    return {
        "run": run,
        "summary": run_summary(run, now=now),
        "over_time": completion_over_time(run),
        "groups": by_group(run),
        "scores": score_distribution(run),
        "hardest": hardest_questions(run),
        "missed_flags": most_missed_red_flags(run),
        "overdue": overdue_people(run, now=now),
        "failed": failed_notifications(run),
    }


def campaign_evidence(campaign: Campaign, *, now: datetime) -> dict:
    """What the auditors' report shows: the totals and each department's figures."""
    run = latest_run(campaign)
    if run is None:
        return {"run": None}
    return {"run": run, "summary": run_summary(run, now=now), "groups": by_group(run)}


def csv_table(run: CampaignRun, table: str, *, now: datetime):
    """(header, rows) of one dashboard table by name, or None for an unknown name."""
    tables = {
        "evidence": (EVIDENCE_HEADER, lambda: evidence_rows(run)),
        "groups": (
            [
                "group",
                "assignments",
                "completed",
                "percent",
                "passed",
                "passed_percent",
                "average_score_percent",
            ],
            lambda: (
                (
                    g["group"],
                    g["total"],
                    g["completed"],
                    g["percent"],
                    g["passed"],
                    g["passed_percent"],
                    percent(g["average"]),
                )
                for g in by_group(run)
            ),
        ),
        "overdue": (
            ["person", "email", "open_modules"],
            lambda: (
                (p["username"], p["email"], p["modules"])
                for p in overdue_people(run, now=now, limit=None)
            ),
        ),
        "scores": (["score_from_percent", "assignments"], lambda: score_distribution(run)),
        "questions": (
            ["question", "answers", "right", "percent"],
            lambda: (
                (q["prompt"], q["answers"], q["right"], q["percent"])
                for q in hardest_questions(run, limit=None)
            ),
        ),
        "red_flags": (["red_flag", "missed", "seen"], lambda: most_missed_red_flags(run)),
        "over_time": (["day", "completed_total"], lambda: completion_over_time(run)),
    }
    if table not in tables:
        return None
    header, rows = tables[table]
    return header, rows()


def assignments_of(membership: Membership):
    """Every assignment of the organisation's campaigns, with its run's campaign id."""
    return Assignment.objects.filter(
        run__campaign__organization_id=membership.organization_id
    ).select_related("run")


def campaign_progress(campaign: Campaign, *, now: datetime) -> dict:
    """The latest run's figures, all zero before the first launch."""
    run = latest_run(campaign)
    summary = run_summary(run, now=now) if run else Summary(0, 0, 0, 0, None, 0, 0, 0, 0)
    return {
        "run": run.number if run else None,
        "run_status": run.status if run else None,
        "recipients": run.recipients if run else 0,
        "launched_at": run.launched_at if run else None,
        **vars(summary),
        "percent": summary.percent,
        "passed_percent": summary.passed_percent,
    }
