"""A learner's "my training": what their organisations set them, by campaign or by class, in
one list; and, for the results page, what a finished attempt counted for."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import OuterRef, Subquery

from training.campaigns.models import Assignment, CampaignModule, ClassAssignment, RunStatus
from training.campaigns.selectors.classes import Cell, attempt_rows, cell_for, my_assignments


@dataclass(frozen=True)
class TrainingItem:
    module_slug: str
    module_title: str
    due_at: datetime
    # The campaign or class that set it, and whose it is.
    set_by: str
    organization: str
    cell: Cell


@dataclass(frozen=True)
class _Window:
    starts_at: datetime
    due_at: datetime


def my_training(user, *, now: datetime) -> list[TrainingItem]:
    """Campaign and class assignments alike, soonest due first, each with its status."""
    if not user.is_authenticated:
        return []
    from_classes = [
        TrainingItem(
            item.assignment.module_slug,
            item.assignment.module_title,
            item.assignment.due_at,
            item.assignment.group.name,
            item.assignment.group.organization.name,
            item.cell,
        )
        for item in my_assignments(user, now=now)
    ]
    return sorted(from_classes + _from_campaigns(user, now), key=lambda item: item.due_at)


def _from_campaigns(user, now: datetime) -> list[TrainingItem]:
    title = CampaignModule.objects.filter(
        campaign_id=OuterRef("run__campaign_id"), module_slug=OuterRef("module_slug")
    ).values("module_title")[:1]
    assignments = list(
        Assignment.objects.filter(
            membership__user=user,
            membership__is_active=True,
            run__status=RunStatus.LAUNCHED,
        )
        .annotate(module_title=Subquery(title))
        .select_related("run__campaign__organization")
        .order_by("due_at")
    )
    attempts = attempt_rows([user.pk], {a.module_slug for a in assignments})
    items = []
    for assignment in assignments:
        cell = cell_for(
            _Window(assignment.run.starts_at, assignment.due_at),
            attempts.get((user.pk, assignment.module_slug), []),
            now,
        )
        if assignment.completed_at is not None:
            # The campaign's own record decides: it is what the dashboard and evidence count.
            cell = Cell("completed", assignment.score, assignment.completed_at)
        items.append(
            TrainingItem(
                assignment.module_slug,
                assignment.module_title or assignment.module_slug,
                assignment.due_at,
                assignment.run.campaign.name,
                assignment.run.campaign.organization.name,
                cell,
            )
        )
    return items


def counted_for(attempt) -> list[str]:
    """The campaigns and classes a finished attempt completed an assignment of."""
    if not attempt.user_id or attempt.finished_at is None:
        return []
    slug = attempt.module.slug
    campaigns = Assignment.objects.filter(
        membership__user_id=attempt.user_id, module_slug=slug, completed_at=attempt.finished_at
    ).values_list("run__campaign__name", flat=True)
    classes = ClassAssignment.objects.filter(
        group__members__user_id=attempt.user_id,
        group__members__is_active=True,
        module_slug=slug,
        starts_at__lte=attempt.started_at,
    ).values_list("group__name", flat=True)
    return sorted({*campaigns, *classes})
