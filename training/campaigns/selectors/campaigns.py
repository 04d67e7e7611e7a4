"""Reads of campaigns: one access gate, e-mail contexts, and dashboards aggregated in the
database so a campaign of 100,000 people loads in a fixed number of queries."""

from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.db.models import Avg, Count, F, FloatField, Prefetch, Q
from django.db.models.functions import Floor, TruncDate, TruncQuarter
from django.http import Http404
from django.urls import reverse

from awareness.content.models import RedFlag
from training.campaigns.models import (
    Assignment,
    Campaign,
    CampaignRun,
    Notification,
    NotificationKind,
    NotificationStatus,
)
from training.people.models import Membership
from training.progress.models import Answer
from training.progress.selectors import missed_red_flags


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
    average_score: float | None
    overdue_people: int
    sent: int
    waiting: int
    failed: int

    @property
    def percent(self) -> int:
        return round(100 * self.completed / self.assignments) if self.assignments else 0


def run_summary(run: CampaignRun, *, now: datetime) -> Summary:
    totals = Assignment.objects.filter(run=run).aggregate(
        assignments=Count("pk"),
        completed=Count("pk", filter=Q(completed_at__isnull=False)),
        average=Avg("score"),
        people=Count("membership", distinct=True),
        overdue=Count(
            "membership", distinct=True, filter=Q(completed_at__isnull=True, due_at__lt=now)
        ),
    )
    mail = Notification.objects.filter(run=run).aggregate(
        sent=Count("pk", filter=Q(status=NotificationStatus.SENT)),
        waiting=Count(
            "pk", filter=Q(status__in=[NotificationStatus.PENDING, NotificationStatus.SENDING])
        ),
        failed=Count("pk", filter=Q(status=NotificationStatus.FAILED)),
    )
    return Summary(
        people=totals["people"],
        assignments=totals["assignments"],
        completed=totals["completed"],
        average_score=totals["average"],
        overdue_people=totals["overdue"],
        **mail,
    )


def completion_over_time(run: CampaignRun) -> list[tuple[date, int]]:
    """Cumulative completed assignments per day."""
    rows = (
        Assignment.objects.filter(run=run, completed_at__isnull=False)
        .annotate(day=TruncDate("completed_at"))
        .values("day")
        .annotate(n=Count("pk"))
        .order_by("day")
    )
    total, points = 0, []
    for row in rows:
        total += row["n"]
        points.append((row["day"], total))
    return points


def by_group(run: CampaignRun) -> list[dict]:
    """Completion and average score of each of the campaign's groups."""
    rows = (
        Assignment.objects.filter(run=run, membership__groups__campaigns=run.campaign_id)
        .values(group=F("membership__groups__name"))
        .annotate(
            total=Count("pk"),
            completed=Count("pk", filter=Q(completed_at__isnull=False)),
            average=Avg("score"),
        )
        .order_by("group")
    )
    return [
        {**row, "percent": round(100 * row["completed"] / row["total"]) if row["total"] else 0}
        for row in rows
    ]


def score_distribution(run: CampaignRun) -> list[tuple[int, int]]:
    """How many completed assignments scored 0-9 %, 10-19 % ... 90-100 %."""
    rows = (
        Assignment.objects.filter(run=run, score__isnull=False)
        .annotate(bucket=Floor(F("score") * 10, output_field=FloatField()))
        .values("bucket")
        .annotate(n=Count("pk"))
    )
    counts = {min(int(row["bucket"]), 9): 0 for row in rows}
    for row in rows:
        counts[min(int(row["bucket"]), 9)] += row["n"]
    return [(bucket * 10, counts.get(bucket, 0)) for bucket in range(10)]


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
    slugs = list(run.campaign.modules.values_list("module_slug", flat=True))
    rows = (
        Answer.objects.filter(
            attempt__module__slug__in=slugs,
            attempt__finished_at__gte=run.starts_at,
            attempt__user__memberships__campaign_assignments__run=run,
            attempt__user__memberships__campaign_assignments__module_slug=F(
                "attempt__module__slug"
            ),
        )
        .values(prompt=F("question__prompt"))
        .annotate(answers=Count("pk"), right=Count("pk", filter=Q(is_correct=True)))
        .order_by("prompt")
    )
    results = [
        {**row, "percent": round(100 * row["right"] / row["answers"])}
        for row in rows
        if row["answers"]
    ]
    return sorted(results, key=lambda row: row["percent"])[:limit]  # None: all of them


def most_missed_red_flags(run: CampaignRun, *, sample: int = 5000) -> list[tuple[str, int, int]]:
    """The red flags the campaign's people missed most, from their latest spot-the-red-flags
    answers (a sample bounds the work on a campaign of 100,000)."""
    slugs = list(run.campaign.modules.values_list("module_slug", flat=True))
    ids = list(
        Answer.objects.filter(
            question__kind="spot_flags",
            attempt__module__slug__in=slugs,
            attempt__finished_at__gte=run.starts_at,
            attempt__user__memberships__campaign_assignments__run=run,
        )
        .values_list("pk", flat=True)
        .distinct()
        .order_by("-pk")[:sample]
    )
    answers = (
        Answer.objects.filter(pk__in=ids)
        .select_related("question__example")
        .prefetch_related(
            Prefetch("question__example__spots", queryset=RedFlag.objects.filter(is_flag=True))
        )
    )
    return missed_red_flags(answers)


def failed_notifications(run: CampaignRun, *, limit: int = 20) -> list[Notification]:
    return list(
        Notification.objects.filter(run=run, status=NotificationStatus.FAILED)
        .select_related("membership__user")
        .order_by("-pk")[:limit]
    )


def quarterly_trend(membership: Membership) -> list[dict]:
    """Completion of all the organisation's campaigns, quarter by quarter."""
    rows = (
        Assignment.objects.filter(run__campaign__organization_id=membership.organization_id)
        .annotate(quarter=TruncQuarter("run__starts_at"))
        .values("quarter")
        .annotate(
            total=Count("pk"),
            completed=Count("pk", filter=Q(completed_at__isnull=False)),
            average=Avg("score"),
        )
        .order_by("quarter")
    )
    return [
        {
            "quarter": f"{row['quarter']:%Y} Q{(row['quarter'].month - 1) // 3 + 1}",
            "percent": round(100 * row["completed"] / row["total"]) if row["total"] else 0,
            **row,
        }
        for row in rows
    ]


def evidence_rows(run: CampaignRun):
    """Who was trained on what, when, with what result: one row per assignment (streamed)."""
    return (
        Assignment.objects.filter(run=run)
        .values_list(
            "membership__user__username",
            "membership__user__email",
            "module_slug",
            "due_at",
            "completed_at",
            "score",
        )
        .order_by("membership__user__username", "module_slug")
    )


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
        "evidence": (
            ["person", "email", "module", "due", "completed", "score"],
            lambda: evidence_rows(run).iterator(chunk_size=5000),
        ),
        "groups": (
            ["group", "assignments", "completed", "percent", "average_score"],
            lambda: (
                (g["group"], g["total"], g["completed"], g["percent"], g["average"])
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
    summary = run_summary(run, now=now) if run else Summary(0, 0, 0, None, 0, 0, 0, 0)
    return {
        "run": run.number if run else None,
        "run_status": run.status if run else None,
        "recipients": run.recipients if run else 0,
        "launched_at": run.launched_at if run else None,
        **vars(summary),
        "percent": summary.percent,
    }
