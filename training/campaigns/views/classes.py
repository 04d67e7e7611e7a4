"""A class's assignments and what its students did with them: assign modules, the class grid
(and its CSV of grades), and the whole organisation's grid."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from awareness.content.selectors import catalogue
from awareness.lib.spreadsheets import csv_response
from training.campaigns.selectors.classes import (
    class_breakdown,
    class_grid,
    grade_rows,
    organization_grid,
)
from training.campaigns.services.classes import assign_modules
from training.people.forms import AssignForm
from training.people.selectors import group_for, group_students
from training.people.views.gates import org_view

STUDENT_STATUS_LABELS = {
    "not_started": gettext_lazy("Not started"),
    "in_progress": gettext_lazy("In progress"),
    "completed": gettext_lazy("Completed"),
    "overdue": gettext_lazy("Overdue"),
}


@login_required
@org_view()
def assign(request, org, group_id, *, membership):
    group = group_for(membership, group_id)
    students = group_students(group)
    # Offer only what every student of the class may play.
    youngest = min((s.user.max_age_rating for s in students), default=18)
    modules = catalogue(language=request.LANGUAGE_CODE, max_age_rating=youngest)
    form = AssignForm(request.POST or None, modules=modules, students=students)
    if request.method == "POST" and form.is_valid():
        chosen = [m for m in modules if m.slug in form.cleaned_data["modules"]]
        learners = [s for s in students if str(s.pk) in form.cleaned_data["learners"]]
        try:
            assign_modules(
                membership,
                group,
                modules=chosen,
                starts_at=form.cleaned_data["starts_at"],
                due_at=form.cleaned_data["due_at"],
                learners=learners,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Assigned."))
            return redirect("group_progress", org, group.pk)
    return render(
        request,
        "people/assign.html",
        {"membership": membership, "group": group, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@org_view()
def group_progress(request, org, group_id, *, membership):
    group = group_for(membership, group_id)
    sort = "progress" if request.GET.get("sort") == "progress" else "name"
    grid = class_grid(group, now=timezone.now(), sort=sort)
    questions, missed_flags = class_breakdown(group)
    return render(
        request,
        "people/group_progress.html",
        {
            "membership": membership,
            "group": group,
            "grid": grid,
            "sort": sort,
            "questions": questions,
            "missed_flags": missed_flags,
            "labels": STUDENT_STATUS_LABELS,
        },
    )


@login_required
@org_view()
def group_progress_csv(request, org, group_id, *, membership):
    group = group_for(membership, group_id)
    return csv_response(
        f"grades-{group.pk}.csv",
        ["student", "note", "module", "due", "status", "score", "completed_at"],
        grade_rows(class_grid(group, now=timezone.now())),
    )


@login_required
@org_view(role="admin")
def organization_progress(request, org, *, membership):
    """The whole organisation, a page of students at a time (admins; educators use their
    class pages)."""
    grid, page = organization_grid(
        membership.organization, now=timezone.now(), page=request.GET.get("page", 1)
    )
    return render(
        request,
        "people/organization_progress.html",
        {"membership": membership, "grid": grid, "page": page, "labels": STUDENT_STATUS_LABELS},
    )
