"""Modules an educator assigns to a class (or some of its students), with start and due dates."""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from training.campaigns.models import ClassAssignment
from training.people.models import Group, Membership
from training.people.selectors import require_leader


def assign_modules(
    actor: Membership,
    group: Group,
    *,
    modules: list,
    starts_at: datetime,
    due_at: datetime,
    learners: list[Membership] = (),
) -> list[ClassAssignment]:
    """Assign modules to the whole class, or to some of its students."""
    require_leader(actor, group)
    if due_at <= starts_at:
        raise ValidationError(_("The due date must be after the start."))
    if any(learner not in group.members.all() for learner in learners):
        raise PermissionDenied
    created = []
    with transaction.atomic():
        for module in modules:
            try:
                with transaction.atomic():
                    assignment = ClassAssignment.objects.create(
                        group=group,
                        module_slug=module.slug,
                        module_title=module.title,
                        starts_at=starts_at,
                        due_at=due_at,
                        assigned_by=actor,
                    )
            except IntegrityError:
                raise ValidationError(
                    _("“%(title)s” is already assigned from this start date.")
                    % {"title": module.title}
                ) from None
            assignment.learners.set(learners)
            created.append(assignment)
    return created
