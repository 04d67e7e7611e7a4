"""An educator's class (or a manager's department): code, students, assignments, progress."""

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from awareness.content.selectors import catalogue
from awareness.lib.spreadsheets import csv_response
from training.people.forms import AssignForm, GroupForm, StudentsForm
from training.people.selectors import (
    group_for,
    group_students,
    membership_in,
    require_admin,
    require_staff,
    student_in,
)
from training.people.services import (
    assign_modules,
    create_group,
    create_students,
    reset_student_password,
    set_join_open,
)
from training.progress.selectors import (
    class_breakdown,
    class_grid,
    grade_rows,
    organization_grid,
)

STUDENT_STATUS_LABELS = {
    "not_started": gettext_lazy("Not started"),
    "in_progress": gettext_lazy("In progress"),
    "completed": gettext_lazy("Completed"),
    "overdue": gettext_lazy("Overdue"),
}


def _join_url(request, group) -> str:
    return request.build_absolute_uri(reverse("join_group", args=[group.join_code]))


def _cards(request, group, cards):
    """Log-in cards with passwords, shown once and never cached or stored."""
    response = render(request, "people/student_cards.html", {"cards": cards, "group": group})
    response["Cache-Control"] = "no-store"
    return response


@login_required
def group_create(request, org):
    membership = membership_in(request.user, org)
    require_staff(membership)
    form = GroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            group = create_group(membership, name=form.cleaned_data["name"])
        except ValidationError as error:
            form.add_error("name", error)
        else:
            return redirect("group_detail", org, group.pk)
    status = 400 if form.errors else 200
    return render(
        request, "people/group_create.html", {"membership": membership, "form": form}, status=status
    )


def _group_page(request, membership, group, students_form, status=200):
    return render(
        request,
        "people/group_detail.html",
        {
            "membership": membership,
            "group": group,
            "students": group_students(group),
            "assignments": group.assignments.all(),
            "join_url": _join_url(request, group),
            "students_form": students_form,
        },
        status=status,
    )


@login_required
def group_detail(request, org, group_id):
    membership = membership_in(request.user, org)
    return _group_page(request, membership, group_for(membership, group_id), StudentsForm())


@login_required
def group_code(request, org, group_id):
    """A printable page with the join code, the link and its QR code."""
    membership = membership_in(request.user, org)
    group = group_for(membership, group_id)
    join_url = _join_url(request, group)
    qr = segno.make(join_url, error="m").svg_inline(scale=8, title=_("QR code to join"))
    return render(
        request,
        "people/group_code.html",
        {"membership": membership, "group": group, "join_url": join_url, "qr": qr},
    )


@login_required
@require_POST
def group_joining(request, org, group_id):
    membership = membership_in(request.user, org)
    group = group_for(membership, group_id)
    set_join_open(membership, group, is_open=request.POST.get("open") == "1")
    return redirect("group_detail", org, group.pk)


@login_required
@require_POST
def students_create(request, org, group_id):
    membership = membership_in(request.user, org)
    group = group_for(membership, group_id)
    form = StudentsForm(request.POST)
    if form.is_valid():
        try:
            cards = create_students(membership, group, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _cards(request, group, cards)
    return _group_page(request, membership, group, form, status=400)


@login_required
@require_POST
def student_password(request, org, group_id, member_id):
    membership = membership_in(request.user, org)
    group = group_for(membership, group_id)
    student = student_in(group, member_id)
    password = reset_student_password(membership, group, student)
    return _cards(request, group, [(student, password)])


@login_required
def assign(request, org, group_id):
    membership = membership_in(request.user, org)
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
def group_progress(request, org, group_id):
    membership = membership_in(request.user, org)
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
def group_progress_csv(request, org, group_id):
    membership = membership_in(request.user, org)
    group = group_for(membership, group_id)
    return csv_response(
        f"grades-{group.pk}.csv",
        ["student", "note", "module", "due", "status", "score", "completed_at"],
        grade_rows(class_grid(group, now=timezone.now())),
    )


@login_required
def organization_progress(request, org):
    """The whole organisation, a page of students at a time (admins; educators use their
    class pages)."""
    membership = membership_in(request.user, org)
    require_admin(membership)
    grid, page = organization_grid(
        membership.organization, now=timezone.now(), page=request.GET.get("page", 1)
    )
    return render(
        request,
        "people/organization_progress.html",
        {"membership": membership, "grid": grid, "page": page, "labels": STUDENT_STATUS_LABELS},
    )
