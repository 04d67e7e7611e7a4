from django.db import models
from django.utils.translation import gettext_lazy as _

from training.people.models import Group, Membership


class ClassAssignment(models.Model):
    """A module an educator set for a class (or some of its students), with dates.

    Each student's status is derived from their attempts, so students who join the class
    later get the assignment too, and nothing has to be kept in sync.
    """

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="assignments")
    module_slug = models.SlugField()
    module_title = models.CharField(max_length=200)
    starts_at = models.DateTimeField(_("start"))
    due_at = models.DateTimeField(_("due"))
    assigned_by = models.ForeignKey(Membership, null=True, on_delete=models.SET_NULL)
    # Empty: the whole class. Otherwise only these members.
    learners = models.ManyToManyField(Membership, blank=True, related_name="assignments")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_at", "module_title"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "module_slug", "starts_at"], name="assignment_once_per_start"
            ),
            models.CheckConstraint(
                condition=models.Q(due_at__gt=models.F("starts_at")), name="due_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.module_title} for {self.group} (due {self.due_at:%Y-%m-%d})"
