from datetime import datetime

from training.campaigns.models import Assignment


def complete_assignments(user, module_slug: str, *, score: float, finished_at: datetime) -> int:
    """A finished module completes the learner's open campaign assignments for it (in every
    organisation they belong to), keeping the score for dashboards and evidence."""
    return Assignment.objects.filter(
        membership__user=user,
        module_slug=module_slug,
        completed_at__isnull=True,
        run__starts_at__lte=finished_at,
    ).update(completed_at=finished_at, score=score)
