"""An educator's class (or a manager's department): code, students, assignments, progress."""

import segno
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from training.people.forms import GroupForm, StudentsForm
from training.people.selectors import (
    group_for,
    group_students,
    student_in,
)
from training.people.services import (
    create_group,
    create_students,
    reset_student_password,
    set_join_open,
)
from training.people.views.gates import org_view


def _join_url(request, group) -> str:
    return request.build_absolute_uri(reverse("join_group", args=[group.join_code]))


def _cards(request, group, cards):
    """Log-in cards with passwords, shown once and never cached or stored."""
    response = render(request, "people/student_cards.html", {"cards": cards, "group": group})
    response["Cache-Control"] = "no-store"
    return response


@login_required
@org_view(role="staff")
def group_create(request, org, *, membership):
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
@org_view()
def group_detail(request, org, group_id, *, membership):
    return _group_page(request, membership, group_for(membership, group_id), StudentsForm())


@login_required
@org_view()
def group_code(request, org, group_id, *, membership):
    """A printable page with the join code, the link and its QR code."""
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
@org_view()
def group_joining(request, org, group_id, *, membership):
    group = group_for(membership, group_id)
    set_join_open(membership, group, is_open=request.POST.get("open") == "1")
    return redirect("group_detail", org, group.pk)


@login_required
@require_POST
@org_view()
def students_create(request, org, group_id, *, membership):
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
@org_view()
def student_password(request, org, group_id, member_id, *, membership):
    group = group_for(membership, group_id)
    student = student_in(group, member_id)
    password = reset_student_password(membership, group, student)
    return _cards(request, group, [(student, password)])
