"""Every page a learner touches runs a fixed number of queries, and the same number with many
more learners, modules and answers around. Counted with an empty cache, the worst case: warm,
the content reads (withdrawn modules, steps, the anonymous catalogue) cost nothing."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from awareness.content.models import Module, Question
from tests.content.builders import write_pack
from tests.people.factories import MembershipFactory, UserFactory
from tests.site.test_player import answer_for, attempt_of
from training.campaigns.models import ClassAssignment
from training.live.services import join_live_session, start_live_session
from training.people.models import Group
from training.progress.models import Answer, Attempt, Certificate, ModuleProgress

pytestmark = pytest.mark.django_db

# Pinned: when one changes, say why in the commit (a query added to a page every learner opens
# is paid on every visit). Cold, a player page also reads the attempt's module version and how
# long it may cache (the next consent change); warm, see the test below.
SIGNED_IN = {
    "home": 7,  # 6 before "my training" also listed campaign assignments
    "catalogue": 10,
    "module intro": 8,
    "start": 13,
    "resume": 7,
    "step: lesson": 11,
    "continue": 11,
    "step: example": 12,
    "step: scam_or_legit": 14,
    "answer: scam_or_legit": 16,
    "step: spot_flags": 14,
    "answer: spot_flags": 16,
    "step: single": 13,
    "answer: single": 15,
    "step: multiple": 13,
    "answer: multiple": 15,
    "step: which_is_real": 14,
    "answer: which_is_real": 16,
    "finish": 25,  # with one look for learning record stores that record the attempt (xAPI)
    "results": 14,  # 12 before it said which campaign or class the attempt counted for
    "certificate": 3,
    "museum": 5,
    "museum example": 4,
}
ANONYMOUS = {
    "catalogue": 8,
    "class join page": 1,
    "class join": 25,  # 24 before signing in activated the new member (one UPDATE)
    "live join page": 1,
    "live join": 11,  # the session key is replaced on joining (no session fixation)
}


def counted(client, method: str, url: str, data=None, **headers) -> tuple[int, object]:
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(url, data or {}, headers=headers)
    assert response.status_code < 400, (url, response.status_code)
    return len(queries), response


def play_as_signed_in_learner(group: Group) -> dict[str, int]:
    """A fresh student of the class: home, catalogue, the assigned module to the end."""
    student = MembershipFactory(organization=group.organization)
    group.members.add(student)
    client = Client()
    client.force_login(student.user)
    counts = {}
    for name, url in [
        ("home", reverse("home")),
        ("catalogue", reverse("catalogue")),
        ("module intro", reverse("module_detail", args=["parcel-fees"])),
    ]:
        counts[name], _ = counted(client, "get", url)
    counts["start"], started = counted(client, "post", reverse("start", args=["parcel-fees"]))
    counts["resume"], _ = counted(client, "post", reverse("start", args=["parcel-fees"]))
    play_url = started.url
    attempt = attempt_of(play_url)
    for step in attempt.module.steps.order_by("position"):
        question = Question.objects.filter(step=step).first()
        kind = question.kind if question else step.kind
        counts[f"step: {kind}"], _ = counted(client, "get", play_url)
        if question:
            data = {**answer_for(question, right=True), "position": step.position}
            counts[f"answer: {kind}"], _ = counted(
                client, "post", f"{play_url}answer/", data, hx_request="true"
            )
        last = step.position == attempt.module.steps.count() - 1
        counts["finish" if last else "continue"], _ = counted(
            client, "post", f"{play_url}continue/", {"position": step.position}
        )
    counts["results"], _ = counted(client, "get", f"{play_url}results/")
    code = Certificate.objects.get(user=student.user).code
    counts["certificate"], _ = counted(client, "get", reverse("certificate", args=[code]))
    counts["museum"], _ = counted(client, "get", reverse("museum"))
    counts["museum example"], _ = counted(
        client, "get", reverse("museum_example", args=["parcel-fee-sms"])
    )
    return counts


def visit_anonymously(group: Group, pin: str, nickname: str) -> dict[str, int]:
    client = Client()
    counts = {}
    counts["catalogue"], _ = counted(client, "get", reverse("catalogue"))
    join_url = reverse("join_group", args=[group.join_code])
    counts["class join page"], _ = counted(client, "get", join_url)
    counts["class join"], _ = counted(
        client, "post", join_url, {"action": "new", "age_band": "under-13"}
    )
    client = Client()
    live_url = reverse("live_join", args=[pin])
    counts["live join page"], _ = counted(client, "get", live_url)
    counts["live join"], _ = counted(client, "post", live_url, {"nickname": nickname})
    return counts


def crowd(group: Group, live_session, tmp_path, people: int = 10) -> None:
    """15 more modules; `people` more students who finished the assigned module and others,
    with their answers and certificates; as many players in the live quiz."""
    call_command("load_content", str(write_pack(tmp_path / "big", extra_modules=15)), verbosity=0)
    modules = list(Module.objects.filter(is_current=True, language="en"))
    now = timezone.now()
    for n in range(people):
        student = MembershipFactory(organization=group.organization)
        group.members.add(student)
        for module in modules[:3]:
            attempt = Attempt.objects.create(
                module=module, user=student.user, started_at=now, step_shown_at=now,
                finished_at=now, score=1.0, position=module.steps.count(),
            )  # fmt: skip
            Answer.objects.bulk_create(
                Answer(attempt=attempt, question=question, response={}, is_correct=True,
                       score=1.0, seconds=3, answered_at=now)
                for question in Question.objects.filter(step__module=module)
            )  # fmt: skip
            ModuleProgress.objects.create(
                user=student.user, module_slug=module.slug, status="completed", best_score=1
            )
            Certificate.objects.create(
                attempt=attempt, user=student.user, name_on_certificate=f"S{n}",
                module_title=module.title, score=1.0, issued_at=now,
            )  # fmt: skip
        join_live_session(
            live_session, nickname=f"Player {n}", user=None, max_age_rating=18, now=now
        )


def test_learner_pages_run_pinned_queries_that_do_not_grow(
    loaded_pack, educator, tmp_path, settings
):
    group = Group.objects.get(name="4B")
    now = timezone.now()
    ClassAssignment.objects.create(
        group=group, module_slug="parcel-fees", module_title="Parcel fees",
        starts_at=now - timedelta(days=1), due_at=now + timedelta(days=6), assigned_by=educator,
    )  # fmt: skip
    host = UserFactory(username="quizmaster")
    parcel = Module.objects.get(slug="parcel-fees", language="en", is_current=True)
    live_session = start_live_session(host, parcel, seconds=30, now=now)

    few = play_as_signed_in_learner(group), visit_anonymously(group, live_session.pin, "Ann")
    crowd(group, live_session, tmp_path)
    many = play_as_signed_in_learner(group), visit_anonymously(group, live_session.pin, "Bo")

    assert few == many == (SIGNED_IN, ANONYMOUS)


@pytest.mark.django_db(transaction=True)  # as in production: no test transaction around it
def test_a_warm_player_page_costs_an_anonymous_learner_its_attempt_and_answer_only(loaded_pack):
    """The path a traffic spike takes, once content is cached and someone before gave the same
    answers: a step reads the attempt (and, for a question, whether it was answered); an answer
    reads the attempt and writes the answer."""
    counts = {}
    for learner in (Client(), Client()):  # the first warms the caches, the second is counted
        play_url = learner.post(reverse("start", args=["parcel-fees"])).url
        for step in attempt_of(play_url).module.steps.order_by("position"):
            question = Question.objects.filter(step=step).first()
            with CaptureQueriesContext(connection) as queries:
                assert learner.get(play_url).status_code == 200
            counts[f"step: {question.kind if question else step.kind}"] = len(queries)
            if question:
                data = {**answer_for(question, right=True), "position": step.position}
                with CaptureQueriesContext(connection) as queries:
                    answered = learner.post(
                        f"{play_url}answer/", data, headers={"hx-request": "true"}
                    )
                assert answered.status_code == 200
                counts[f"answer: {question.kind}"] = len(queries)
            learner.post(f"{play_url}continue/", {"position": step.position})

    assert counts == {
        "step: lesson": 1,
        "step: example": 1,
        "step: scam_or_legit": 2,
        "answer: scam_or_legit": 2,
        "step: spot_flags": 2,
        "answer: spot_flags": 2,
        "step: single": 2,
        "answer: single": 2,
        "step: multiple": 2,
        "answer: multiple": 2,
        "step: which_is_real": 2,
        "answer: which_is_real": 2,
    }
