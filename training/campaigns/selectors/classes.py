"""Reads of class assignments with what the learners did: the class and organisation grids,
the breakdown per question, a learner's own assignments, and what an organisation set."""

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Exists, F, OuterRef, Prefetch, Q

from awareness.content.models import RedFlag
from training.campaigns.models import Assignment, ClassAssignment
from training.people.models import Membership
from training.progress.models import Answer, Attempt, ModuleProgress
from training.progress.selectors import missed_red_flags

# --- Classes: what each student did with what was assigned -----------------------------------


class CellStatus:
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    OVERDUE = "overdue"


@dataclass(frozen=True)
class Cell:
    status: str
    score: float | None = None
    finished_at: object = None
    late: bool = False

    @property
    def percent(self) -> int | None:
        return None if self.score is None else round(100 * self.score)


def attempt_rows(user_ids, slugs) -> dict[tuple[int, str], list[dict]]:
    """Every attempt of these learners on these modules, in one query."""
    rows: dict[tuple[int, str], list[dict]] = {}
    for row in Attempt.objects.filter(user_id__in=user_ids, module__slug__in=slugs).values(
        "user_id", "module__slug", "started_at", "finished_at", "score"
    ):
        rows.setdefault((row["user_id"], row["module__slug"]), []).append(row)
    return rows


def cell_for(assignment, attempts: list[dict], now) -> Cell:
    """Completed: a finished attempt since the start (best score counts); overdue: past due
    and not completed; in progress: an attempt begun since the start."""
    since_start = [a for a in attempts if a["started_at"] >= assignment.starts_at]
    finished = [a for a in since_start if a["finished_at"] is not None]
    if finished:
        best = max(finished, key=lambda a: a["score"])
        first_finish = min(a["finished_at"] for a in finished)
        return Cell(
            CellStatus.COMPLETED, best["score"], first_finish, first_finish > assignment.due_at
        )
    if now > assignment.due_at:
        return Cell(CellStatus.OVERDUE)
    if since_start:
        return Cell(CellStatus.IN_PROGRESS)
    return Cell(CellStatus.NOT_STARTED)


@dataclass
class Grid:
    students: list
    assignments: list
    cells: dict  # (membership id, assignment id) -> Cell, only where the assignment applies

    def row(self, student) -> list:
        return [self.cells.get((student.pk, a.pk)) for a in self.assignments]

    def completed(self, student) -> int:
        return sum(
            1
            for a in self.assignments
            if (cell := self.cells.get((student.pk, a.pk))) and cell.status == CellStatus.COMPLETED
        )


def _cells(members, assignments, *, now, column, member_of=lambda member, a: True) -> dict:
    """(membership id, column) -> Cell for every assignment that applies to a member: one
    query for all their attempts, whatever the numbers."""
    attempts = attempt_rows([m.user_id for m in members], {a.module_slug for a in assignments})
    cells = {}
    for assignment in assignments:
        targeted = {learner.pk for learner in assignment.learners.all()}
        for member in members:
            if not member_of(member, assignment) or (targeted and member.pk not in targeted):
                continue
            rows = attempts.get((member.user_id, assignment.module_slug), [])
            cells[(member.pk, column(assignment))] = cell_for(assignment, rows, now)
    return cells


def grade_rows(grid: Grid):
    """The class grid as CSV rows: one per student and assigned module."""
    for student in grid.students:
        for assignment, cell in zip(grid.assignments, grid.row(student), strict=True):
            if cell is not None:
                yield [
                    student.user.username,
                    student.staff_note,
                    assignment.module_title,
                    assignment.due_at.date().isoformat(),
                    cell.status,
                    "" if cell.percent is None else cell.percent,
                    cell.finished_at.isoformat() if cell.finished_at else "",
                ]


def class_grid(group, *, now, sort: str = "name") -> Grid:
    """Students × assignments of a class in four queries, whatever its size."""
    students = list(
        group.members.filter(is_active=True).select_related("user").order_by("user__username")
    )
    assignments = list(
        ClassAssignment.objects.filter(group=group)
        .prefetch_related("learners")
        .order_by("due_at", "module_title")
    )
    cells = _cells(students, assignments, now=now, column=lambda a: a.pk)
    grid = Grid(students, assignments, cells)
    if sort == "progress":
        grid.students.sort(key=lambda s: (-grid.completed(s), s.user.username))
    return grid


@dataclass(frozen=True)
class ModuleColumn:
    """One column of the organisation grid: a module, whichever classes assigned it."""

    pk: str  # the module slug
    module_title: str


def organization_grid(organization, *, now, page: int = 1, per_page: int = 50):
    """Every student of every class in an organisation, a page at a time, one column per
    module, in a fixed number of queries whatever the size of the school."""
    students = (
        Membership.objects.filter(organization=organization, is_active=True, groups__isnull=False)
        .distinct()
        .select_related("user")
        .order_by("user__username")
    )
    page_obj = Paginator(students, per_page).get_page(page)
    members = list(page_obj.object_list)
    assignments = list(
        ClassAssignment.objects.filter(group__organization=organization)
        .prefetch_related("learners")
        .order_by("module_title", "due_at")
    )
    columns = list(
        {a.module_slug: ModuleColumn(a.module_slug, a.module_title) for a in assignments}.values()
    )
    group_ids: dict[int, set[int]] = {}
    through = Membership.groups.through
    for row in through.objects.filter(membership_id__in=[m.pk for m in members]).values(
        "membership_id", "group_id"
    ):
        group_ids.setdefault(row["membership_id"], set()).add(row["group_id"])
    # The latest-due assignment of a module wins its cell.
    cells = _cells(
        members,
        assignments,
        now=now,
        column=lambda a: a.module_slug,
        member_of=lambda member, a: a.group_id in group_ids.get(member.pk, ()),
    )
    return Grid(members, columns, cells), page_obj


@dataclass(frozen=True)
class QuestionResult:
    prompt: str
    module_title: str
    answers: int
    correct: int

    @property
    def percent(self) -> int:
        return round(100 * self.correct / self.answers) if self.answers else 0


def class_breakdown(group) -> tuple[list[QuestionResult], list[tuple[str, int, int]]]:
    """Per question, how many of the class got it right; and the red flags most often missed
    in spot-the-red-flags questions, as (label, missed, seen)."""
    slugs = set(ClassAssignment.objects.filter(group=group).values_list("module_slug", flat=True))
    user_ids = list(group.members.filter(is_active=True).values_list("user_id", flat=True))
    answers = list(
        Answer.objects.filter(attempt__user_id__in=user_ids, attempt__module__slug__in=slugs)
        .select_related("question__step__module", "question__example")
        .prefetch_related(
            Prefetch("question__example__spots", queryset=RedFlag.objects.filter(is_flag=True))
        )
    )
    per_question: dict[int, list] = {}
    for answer in answers:
        per_question.setdefault(answer.question_id, []).append(answer)
    results = sorted(
        (
            QuestionResult(
                rows[0].question.prompt,
                rows[0].question.step.module.title,
                len(rows),
                sum(a.is_correct for a in rows),
            )
            for rows in per_question.values()
        ),
        key=lambda result: (result.percent, result.prompt),
    )
    return results, missed_red_flags(answers)


@dataclass(frozen=True)
class MyAssignment:
    assignment: object
    cell: Cell


def my_assignments(user, *, now) -> list[MyAssignment]:
    """What the learner's classes assigned to them, soonest due first."""
    if not user.is_authenticated:
        return []
    memberships = list(
        Membership.objects.filter(user=user, is_active=True).values_list("pk", flat=True)
    )
    assignments = [
        assignment
        for assignment in ClassAssignment.objects.filter(group__members__in=memberships)
        .distinct()
        .select_related("group__organization")
        .prefetch_related("learners")
        .order_by("due_at")
        if not assignment.learners.all()
        or any(learner.pk in memberships for learner in assignment.learners.all())
    ]
    attempts = attempt_rows([user.pk], {a.module_slug for a in assignments})
    return [
        MyAssignment(a, cell_for(a, attempts.get((user.pk, a.module_slug), []), now))
        for a in assignments
    ]


# --- An organisation's learners, for the API -----------------------------------------------


def set_by_organization(organization_id: int, *, slug: str = "module__slug") -> Q:
    """Rows about a learner's module that the organisation set for them (by a campaign or a
    class): what it may see of its people, and nothing of what they did on their own."""
    by_campaign = Assignment.objects.filter(
        membership__organization_id=organization_id,
        membership__user_id=OuterRef("user_id"),
        module_slug=OuterRef(slug),
    )
    by_class = ClassAssignment.objects.filter(
        group__organization_id=organization_id,
        group__members__user_id=OuterRef("user_id"),
        module_slug=OuterRef(slug),
    )
    return Q(Exists(by_campaign)) | Q(Exists(by_class))


def module_progress_in(organization_id: int):
    """Module progress of the organisation's members on what it set, with the member's id."""
    progress = ModuleProgress.objects.filter(
        set_by_organization(organization_id, slug="module_slug"),
        user__memberships__organization_id=organization_id,
    )
    return progress.annotate(member_id=F("user__memberships__pk"))


def attempts_in(organization_id: int):
    """Attempts of the organisation's members on what it set, with the member's id."""
    return (
        Attempt.objects.filter(
            set_by_organization(organization_id),
            user__memberships__organization_id=organization_id,
        )
        .annotate(member_id=F("user__memberships__pk"))
        .select_related("module")
    )
