"""An educator's class: code, joining, pseudonymous students, assignments, the grid."""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from tests.people.factories import MembershipFactory, UserFactory
from training.campaigns.models import ClassAssignment
from training.people.models import Group, Membership, Role

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def class_4b(educator):
    return Group.objects.get(name="4B")


@pytest.fixture
def teacher(client, educator):
    client.force_login(educator.user)
    return client


def url(name, group, *extra):
    return reverse(name, args=[group.organization.slug, group.pk, *extra])


def test_an_educator_creates_a_class_and_leads_it(teacher, educator):
    response = teacher.post(reverse("group_create", args=["kowloon"]), {"name": "5A"})

    group = Group.objects.get(name="5A")
    assert response.url == url("group_detail", group)
    assert group.leader == educator and group.kind == "class"
    assert re.fullmatch(r"[A-HJ-NP-Z2-9]{8}", group.join_code)


def test_a_duplicate_class_name_is_refused(teacher, class_4b):
    response = teacher.post(reverse("group_create", args=["kowloon"]), {"name": "4b"})

    assert response.status_code == 400
    assert "already a group with this name" in response.content.decode()


def test_the_class_page_shows_the_code_and_a_printable_qr_code(teacher, class_4b):
    page = teacher.get(url("group_detail", class_4b)).content.decode()
    sheet = teacher.get(url("group_code", class_4b)).content.decode()

    assert class_4b.join_code in page
    assert f"/join/{class_4b.join_code}/" in page
    assert "<svg" in sheet and class_4b.join_code in sheet


def test_thirty_pseudonymous_students_get_printable_cards_once(teacher, class_4b):
    notes = "\n".join(f"pupil {n}" for n in range(30))
    response = teacher.post(
        url("students_create", class_4b), {"count": 30, "age_band": "under-13", "notes": notes}
    )

    page = response.content.decode()
    students = Membership.objects.filter(groups=class_4b)
    assert students.count() == 30
    assert response["Cache-Control"] == "no-store"
    first = students.order_by("pk").first()
    assert first.user.is_pseudonymous and first.user.email == "" and first.staff_note == "pupil 0"
    assert first.user.age_band == "under-13"
    passwords = re.findall(r'<dd class="credential">([a-z]+-[a-z]+-[a-z]+-\d\d)</dd>', page)
    assert len(passwords) == 30
    assert first.user.check_password(passwords[0])
    assert passwords[0] not in teacher.get(url("group_detail", class_4b)).content.decode()


def test_too_many_students_at_once_is_refused(teacher, class_4b):
    response = teacher.post(
        url("students_create", class_4b), {"count": 500, "age_band": "under-13"}
    )

    assert response.status_code == 400
    assert not Membership.objects.filter(groups=class_4b).exists()


def test_an_educator_resets_a_students_password(teacher, class_4b):
    teacher.post(url("students_create", class_4b), {"count": 1, "age_band": "under-13"})
    student = Membership.objects.get(groups=class_4b)

    page = teacher.post(url("student_password", class_4b, student.pk)).content.decode()

    password = re.search(r'<dd class="credential">([a-z]+-[a-z]+-[a-z]+-\d\d)</dd>', page).group(1)
    student.user.refresh_from_db()
    assert student.user.check_password(password)


def test_an_adults_own_password_cannot_be_reset_by_the_educator(teacher, class_4b):
    adult = MembershipFactory(organization=class_4b.organization)
    class_4b.members.add(adult)

    assert teacher.post(url("student_password", class_4b, adult.pk)).status_code == 403


def test_a_child_joins_with_the_code_and_gets_a_class_account(client, class_4b):
    response = client.post(
        reverse("join_group", args=[class_4b.join_code.lower()]),
        {"action": "new", "age_band": "under-13"},
    )

    member = Membership.objects.get(groups=class_4b)
    assert member.user.is_pseudonymous and member.role == Role.LEARNER
    assert member.user.get_username() in response.content.decode()
    assert client.get(reverse("home")).context["user"] == member.user  # signed in


def test_someone_with_an_account_joins_and_joining_twice_changes_nothing(client, class_4b):
    user = UserFactory()
    client.force_login(user)
    for _ in range(2):
        client.post(reverse("join_group", args=[class_4b.join_code]), {"action": "join"})

    assert class_4b.members.filter(user=user).count() == 1


def test_a_wrong_or_closed_code_is_a_404(client, class_4b):
    assert client.get(reverse("join_group", args=["WRONG234"])).status_code == 404
    class_4b.join_open = False
    class_4b.save()
    assert client.get(reverse("join_group", args=[class_4b.join_code])).status_code == 404


def test_join_code_guessing_is_rate_limited(client, settings, class_4b):
    settings.RATELIMIT_JOIN = "3/h"
    for _ in range(3):
        client.get(reverse("join_group", args=["WRONG234"]))

    assert client.get(reverse("join_group", args=[class_4b.join_code])).status_code == 429


@pytest.fixture
def modules(loaded_pack):
    from awareness.content.models import Module

    return Module.objects.filter(is_current=True, language="en")


def test_an_educator_assigns_modules_and_students_see_them_at_home(teacher, class_4b, modules):
    student = MembershipFactory(organization=class_4b.organization)
    class_4b.members.add(student)
    start = timezone.now()
    response = teacher.post(
        url("assign", class_4b),
        {
            "modules": ["parcel-fees", "adult-module"],
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "due_at": (start + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M"),
        },
    )

    assert response.status_code == 302
    assert ClassAssignment.objects.filter(group=class_4b).count() == 2
    teacher.force_login(student.user)
    home = teacher.get(reverse("home")).content.decode()
    assert "My training" in home and "Parcel fees" in home and "Not started" in home


def test_a_due_date_before_the_start_is_refused(teacher, class_4b, modules):
    now = timezone.now()
    response = teacher.post(
        url("assign", class_4b),
        {
            "modules": ["parcel-fees"],
            "starts_at": now.strftime("%Y-%m-%dT%H:%M"),
            "due_at": (now - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
        },
    )

    assert response.status_code == 400
    assert "must be after the start" in response.content.decode()
    assert not ClassAssignment.objects.exists()


def assign_directly(group, slugs, *, starts_at, due_at):
    return [
        ClassAssignment.objects.create(
            group=group, module_slug=slug, module_title=slug, starts_at=starts_at, due_at=due_at
        )
        for slug in slugs
    ]


def test_the_grid_shows_not_started_in_progress_completed_and_overdue(
    client, teacher, class_4b, modules
):
    from tests.site.test_player import play_to_the_end, start

    now = timezone.now()
    done, busy, idle = (MembershipFactory(organization=class_4b.organization) for _ in range(3))
    class_4b.members.add(done, busy, idle)
    (current,) = assign_directly(
        class_4b, ["parcel-fees"], starts_at=now - timedelta(days=1), due_at=now + timedelta(days=6)
    )
    (late,) = assign_directly(
        class_4b,
        ["adult-module"],
        starts_at=now - timedelta(days=9),
        due_at=now - timedelta(days=2),
    )
    learner = client.__class__()
    learner.force_login(done.user)
    play_to_the_end(learner, start(learner))
    learner.force_login(busy.user)
    start(learner)

    grid = teacher.get(url("group_progress", class_4b)).context["grid"]

    status = {key: cell.status for key, cell in grid.cells.items()}
    assert status[(done.pk, current.pk)] == "completed"
    assert grid.cells[(done.pk, current.pk)].percent == 100
    assert status[(busy.pk, current.pk)] == "in_progress"
    assert status[(idle.pk, current.pk)] == "not_started"
    assert status[(idle.pk, late.pk)] == "overdue"


def test_grades_download_as_csv_safe_for_spreadsheets(teacher, class_4b, modules):
    now = timezone.now()
    student = MembershipFactory(organization=class_4b.organization, staff_note="=HYPERLINK(1)")
    class_4b.members.add(student)
    assign_directly(class_4b, ["parcel-fees"], starts_at=now, due_at=now + timedelta(days=1))

    response = teacher.get(url("group_progress_csv", class_4b))

    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:3] == ["student", "note", "module"]
    assert rows[1][0] == student.user.username and rows[1][1] == "'=HYPERLINK(1)"
    assert rows[1][4] == "not_started"


def test_the_breakdown_shows_the_red_flags_the_class_missed_most(
    client, teacher, class_4b, modules
):
    from tests.site.test_player import play_to_the_end, start

    now = timezone.now()
    assign_directly(
        class_4b, ["parcel-fees"], starts_at=now - timedelta(days=1), due_at=now + timedelta(days=1)
    )
    for _ in range(2):
        member = MembershipFactory(organization=class_4b.organization)
        class_4b.members.add(member)
        learner = client.__class__()
        learner.force_login(member.user)
        play_to_the_end(learner, start(learner), right=False)

    response = teacher.get(url("group_progress", class_4b))

    flags = {label: (missed, seen) for label, missed, seen in response.context["missed_flags"]}
    assert flags == {"A lookalike link": (2, 2), "A foreign number": (2, 2)}
    assert all(q.percent == 0 for q in response.context["questions"])


def test_the_class_grid_of_40_students_and_20_modules_runs_few_queries(
    teacher, class_4b, tmp_path, settings, django_assert_max_num_queries
):
    from django.core.management import call_command

    from awareness.content.models import Module
    from tests.content.builders import write_pack
    from training.progress.models import Attempt

    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_content", str(write_pack(tmp_path / "pack", extra_modules=18)))
    now = timezone.now()
    members = [MembershipFactory(organization=class_4b.organization) for _ in range(40)]
    class_4b.members.add(*members)
    modules = list(Module.objects.filter(is_current=True, language="en"))
    assert len(modules) == 20
    assign_directly(
        class_4b,
        [m.slug for m in modules],
        starts_at=now - timedelta(days=1),
        due_at=now + timedelta(days=1),
    )
    Attempt.objects.bulk_create(
        Attempt(
            module=module,
            user=member.user,
            started_at=now,
            step_shown_at=now,
            finished_at=now,
            score=0.5,
        )
        for member in members[::2]
        for module in modules
    )

    with django_assert_max_num_queries(12):
        response = teacher.get(url("group_progress", class_4b))

    assert len(response.context["grid"].cells) == 800


def test_the_school_wide_grid_of_2000_students_runs_few_queries(
    client, educator, django_assert_max_num_queries
):
    school = educator.organization
    users = User.objects.bulk_create(
        User(username=f"pupil-{n}", password="!", is_pseudonymous=True) for n in range(2000)
    )
    members = Membership.objects.bulk_create(
        Membership(organization=school, user=user, role=Role.LEARNER) for user in users
    )
    now = timezone.now()
    through = Membership.groups.through
    for number in range(50):
        group = Group.objects.create(organization=school, name=f"Class {number}", kind="class")
        through.objects.bulk_create(
            through(group=group, membership=m) for m in members[number * 40 : (number + 1) * 40]
        )
        assign_directly(group, ["parcel-fees"], starts_at=now, due_at=now + timedelta(days=5))
    admin = MembershipFactory(organization=school, role=Role.ADMIN)
    client.force_login(admin.user)

    with django_assert_max_num_queries(12):
        first = client.get(reverse("organization_progress", args=[school.slug]))
    with django_assert_max_num_queries(12):
        last = client.get(reverse("organization_progress", args=[school.slug]) + "?page=40")

    assert first.context["page"].paginator.count == 2000
    assert len(first.context["grid"].students) == len(last.context["grid"].students) == 50
    assert len(first.context["grid"].cells) == 50  # each student has their own class's module


def test_modules_too_old_for_a_student_of_the_class_cannot_be_assigned(teacher, class_4b, modules):
    teacher.post(url("students_create", class_4b), {"count": 1, "age_band": "under-13"})
    now = timezone.now()

    form = teacher.get(url("assign", class_4b)).context["form"]
    response = teacher.post(
        url("assign", class_4b),
        {
            "modules": ["adult-module"],
            "starts_at": now.strftime("%Y-%m-%dT%H:%M"),
            "due_at": (now + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
        },
    )

    assert [slug for slug, _title in form.fields["modules"].choices] == ["parcel-fees"]
    assert response.status_code == 400
    assert not ClassAssignment.objects.exists()
