"""Reads of scam simulations: one access gate, and results aggregated in the database so a
simulation of 10,000 people loads in a fixed number of queries."""

from datetime import date

from django.db.models import Count, Min, Q
from django.db.models.functions import TruncDate
from django.http import Http404

from awareness.content.models import Module
from awareness.content.selectors import module_for
from training.campaigns.models import Delivery, Simulation, SimulationStatus, SimulationTemplate
from training.people.models import Membership

EVENTS = ("sent", "opened", "clicked", "submitted", "reported")


def simulations_of(membership: Membership):
    return Simulation.objects.filter(organization_id=membership.organization_id).select_related(
        "template", "created_by__user", "approved_by__user"
    )


def simulation_for(membership: Membership, simulation_id: int) -> Simulation:
    """The organisation's simulation; any other (or none) is a 404."""
    simulation = (
        simulations_of(membership)
        .prefetch_related("groups")
        .select_related("organization__simulation_policy")
        .filter(pk=simulation_id)
        .first()
    )
    if simulation is None:
        raise Http404("No such simulation.")
    return simulation


def templates_for(membership: Membership):
    """The shared library and the organisation's own templates."""
    return SimulationTemplate.objects.filter(
        Q(organization__isnull=True) | Q(organization_id=membership.organization_id)
    )


def lure_for_token(token_hash: str) -> Delivery | None:
    """The delivery of a running simulation with this token hash, ready to render."""
    return (
        Delivery.objects.filter(token_hash=token_hash, simulation__status=SimulationStatus.RUNNING)
        .select_related(
            "simulation__template", "simulation__organization", "membership__user", "group"
        )
        .first()
    )


def micro_module(template: SimulationTemplate, *, language: str) -> Module | None:
    """The lure's follow-up module as staff open it, through the same visibility rules as
    every learner page; None when it is withdrawn."""
    try:
        return module_for(template.module_slug, language=language, max_age_rating=18)
    except Http404:
        return None


def _counts(prefix: str = "") -> dict:
    return {
        "targets": Count("pk"),
        "sent": Count("pk", filter=Q(sent_at__isnull=False)),
        "opened": Count("pk", filter=Q(opened_at__isnull=False)),
        "clicked": Count("pk", filter=Q(clicked_at__isnull=False)),
        "submitted": Count("pk", filter=Q(submitted_at__isnull=False)),
        "reported": Count("pk", filter=Q(reported_at__isnull=False)),
        "enrolled": Count("pk", filter=Q(enrolled_at__isnull=False)),
        "fell_for_it": Count(
            "pk", filter=Q(clicked_at__isnull=False) | Q(submitted_at__isnull=False)
        ),
    }


def _with_rates(row: dict) -> dict:
    sent = row["sent"]

    def rate(n: int) -> int:
        return round(100 * n / sent) if sent else 0

    return {
        **row,
        "click_rate": rate(row["clicked"]),
        "submit_rate": rate(row["submitted"]),
        "report_rate": rate(row["reported"]),
        "phish_prone": rate(row["fell_for_it"]),
    }


def summary(simulation: Simulation) -> dict:
    """Counts, rates and the time from launch to the first report."""
    row = Delivery.objects.filter(simulation=simulation).aggregate(
        **_counts(), first_report=Min("reported_at")
    )
    first = row.pop("first_report")
    row = _with_rates(row)
    row["first_report_at"] = first
    row["time_to_first_report"] = (
        first - simulation.launched_at if first and simulation.launched_at else None
    )
    return row


def by_group(simulation: Simulation) -> list[dict]:
    rows = (
        Delivery.objects.filter(simulation=simulation)
        .values("group__name")
        .annotate(**_counts())
        .order_by("group__name")
    )
    return [_with_rates({**row, "group": row.pop("group__name") or "–"}) for row in rows]


def timeline(simulation: Simulation) -> list[dict]:
    """Each day's sent, opened, clicked, submitted and reported, with running totals."""
    days: dict[date, dict] = {}
    for event in EVENTS:
        rows = (
            Delivery.objects.filter(simulation=simulation, **{f"{event}_at__isnull": False})
            .annotate(day=TruncDate(f"{event}_at"))
            .values("day")
            .annotate(n=Count("pk"))
        )
        for row in rows:
            days.setdefault(row["day"], dict.fromkeys(EVENTS, 0))[event] = row["n"]
    totals = dict.fromkeys(EVENTS, 0)
    result = []
    for day in sorted(days):
        for event in EVENTS:
            totals[event] += days[day][event]
        result.append({"day": day.isoformat(), **days[day], "totals": dict(totals)})
    return result


def series(rows: list[dict], event: str) -> list[tuple[str, int]]:
    """A running total of one event for a line chart."""
    return [(row["day"], row["totals"][event]) for row in rows]


def phish_prone_trend(membership: Membership) -> list[dict]:
    """The phish-prone percentage of each launched simulation, oldest first."""
    rows = (
        Simulation.objects.filter(
            organization_id=membership.organization_id, launched_at__isnull=False
        )
        .annotate(
            sent=Count("deliveries", filter=Q(deliveries__sent_at__isnull=False)),
            fell_for_it=Count(
                "deliveries",
                filter=Q(deliveries__sent_at__isnull=False)
                & (
                    Q(deliveries__clicked_at__isnull=False)
                    | Q(deliveries__submitted_at__isnull=False)
                ),
            ),
        )
        .values("pk", "name", "launched_at", "sent", "fell_for_it")
        .order_by("launched_at")
    )
    return [
        {**row, "percent": round(100 * row["fell_for_it"] / row["sent"]) if row["sent"] else 0}
        for row in rows
    ]


def people(simulation: Simulation, *, limit: int | None = 200):
    """Each person's timeline (what happened when); empty once results are anonymised."""
    rows = (
        Delivery.objects.filter(simulation=simulation, membership__isnull=False)
        .values_list(
            "pk",
            "membership__user__username",
            "group__name",
            *(f"{event}_at" for event in EVENTS),
            "enrolled_at",
        )
        .order_by("membership__user__username")
    )
    return list(rows[:limit]) if limit else rows.iterator(chunk_size=5000)


def person_timeline(simulation: Simulation, delivery_id: int) -> dict:
    """One person's events in order; a delivery of another simulation (or none) is a 404."""
    delivery = (
        Delivery.objects.filter(simulation=simulation, pk=delivery_id, membership__isnull=False)
        .select_related("membership__user", "group")
        .first()
    )
    if delivery is None:
        raise Http404("No such person in this simulation.")
    events = [
        (event, getattr(delivery, f"{event}_at"))
        for event in (*EVENTS, "enrolled")
        if getattr(delivery, f"{event}_at")
    ]
    return {"delivery": delivery, "events": sorted(events, key=lambda pair: pair[1])}


def per_person_allowed(simulation: Simulation) -> bool:
    """No per-person view where the organisation chose aggregates, or after anonymising."""
    policy = getattr(simulation.organization, "simulation_policy", None)
    return simulation.anonymised_at is None and not (policy and policy.aggregate_only)


def results(simulation: Simulation) -> dict:
    rows = timeline(simulation)
    return {
        "summary": summary(simulation),
        "groups": by_group(simulation),
        "timeline": rows,
        "clicks_over_time": series(rows, "clicked"),
        "reports_over_time": series(rows, "reported"),
        "per_person": per_person_allowed(simulation),
    }


def csv_table(simulation: Simulation, table: str):
    """(header, rows) of one results table by name; None for an unknown or hidden one."""
    tables = {
        "groups": (
            ["group", "targets", "sent", "clicked", "submitted", "reported",
             "click_rate", "submit_rate", "report_rate", "phish_prone"],
            lambda: (
                [g["group"], g["targets"], g["sent"], g["clicked"], g["submitted"],
                 g["reported"], g["click_rate"], g["submit_rate"], g["report_rate"],
                 g["phish_prone"]]
                for g in by_group(simulation)
            ),
        ),
        "timeline": (
            ["day", *EVENTS],
            lambda: ([row["day"], *(row[e] for e in EVENTS)] for row in timeline(simulation)),
        ),
    }  # fmt: skip
    if per_person_allowed(simulation):
        tables["people"] = (
            ["person", "group", *EVENTS, "enrolled"],
            lambda: (row[1:] for row in people(simulation, limit=None)),
        )
    if table not in tables:
        return None
    header, rows = tables[table]
    return header, rows()
