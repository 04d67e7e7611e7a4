"""How quickly people report a lure, and who clicks again and again: read in the database,
in a fixed number of queries however many people, within the privacy settings."""

from datetime import timedelta

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q
from django.utils.translation import gettext_lazy as _

from training.campaigns.models import Delivery, Simulation, SimulationStatus
from training.people.models import Membership

BUCKETS = (  # (label, up to)
    (_("under 5 minutes"), timedelta(minutes=5)),
    (_("5 to 30 minutes"), timedelta(minutes=30)),
    (_("30 minutes to 2 hours"), timedelta(hours=2)),
    (_("2 to 24 hours"), timedelta(days=1)),
    (_("over a day"), None),
)
REPEAT_OVER = 5  # repeat clickers: people who clicked in two or more of the last five


def time_to_report(simulation: Simulation) -> dict:
    """Each reporter's time from their own lure's arrival to their report: the median and how
    many fall in each bucket (aggregates only, so shown whatever the privacy settings)."""
    reported = (
        Delivery.objects.filter(
            simulation=simulation, reported_at__isnull=False, sent_at__isnull=False
        )
        .annotate(took=ExpressionWrapper(F("reported_at") - F("sent_at"), DurationField()))
    )  # fmt: skip
    counts, lower = {}, None
    for number, (_label, upper) in enumerate(BUCKETS):
        within = Q() if lower is None else Q(took__gte=lower)
        if upper is not None:
            within &= Q(took__lt=upper)
        counts[f"b{number}"] = Count("pk", filter=within)
        lower = upper
    row = reported.aggregate(total=Count("pk"), **counts)
    middle = row["total"] // 2  # always asked, so the page's query count never varies
    median = reported.order_by("took").values_list("took", flat=True)[middle : middle + 1].first()
    return {
        "total": row["total"],
        "median_minutes": None if median is None else round(median.total_seconds() / 60),
        "buckets": [(label, row[f"b{n}"]) for n, (label, _upper) in enumerate(BUCKETS)],
    }


def repeat_clickers(membership: Membership, *, named: bool, over: int = REPEAT_OVER) -> dict:
    """People who clicked in two or more of the organisation's last `over` simulations, named
    only when `named` (the organisation keeps per-person results); anonymised simulations name
    no one, as their deliveries no longer say whose they were."""
    recent = list(
        Simulation.objects.filter(
            organization_id=membership.organization_id,
            launched_at__isnull=False,
            status__in=[SimulationStatus.RUNNING, SimulationStatus.CLOSED],
        )
        .order_by("-launched_at")
        .values_list("pk", flat=True)[:over]
    )
    rows = list(
        Delivery.objects.filter(
            simulation_id__in=recent, clicked_at__isnull=False, membership__isnull=False
        )
        .values("membership_id", "membership__user__username")
        .annotate(clicks=Count("simulation_id", distinct=True))
        .filter(clicks__gte=2)
        .order_by("-clicks", "membership__user__username")
    )
    return {"over": len(recent), "count": len(rows), "people": rows[:50] if named else None}
