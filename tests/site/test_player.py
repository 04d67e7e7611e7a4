"""Playing a module as a citizen: server-side scoring, feedback, resume, results."""

import re

import pytest
from django.urls import reverse

from awareness.content.models import Choice, RedFlag
from training.progress.models import Answer, Attempt

pytestmark = pytest.mark.django_db


def start(client, slug="parcel-fees") -> str:
    response = client.post(reverse("start", args=[slug]))
    assert response.status_code == 302
    return response.url  # the play page of the attempt


def attempt_of(play_url: str) -> Attempt:
    return Attempt.objects.get(public_id=play_url.strip("/").split("/")[-1])


def post(client, play_url, action, **data):
    attempt = attempt_of(play_url)
    data.setdefault("position", attempt.position)
    return client.post(f"{play_url}{action}/", data)


def choice(question_prompt: str, correct: bool) -> Choice:
    return Choice.objects.filter(
        question__prompt=question_prompt,
        question__step__module__language="en",
        is_correct=correct,
    ).first()


def flags(slug="parcel-fee-sms", is_flag=True) -> list[int]:
    return list(
        RedFlag.objects.filter(example__slug=slug, is_flag=is_flag).values_list("pk", flat=True)
    )


def answer_for(question, *, right: bool) -> dict:
    """A submission for any question, right or wrong, as a learner's form would send it."""
    if question.kind == "scam_or_legit":
        says_scam = question.example.is_scam == right
        return {"verdict": "scam" if says_scam else "legit", "confidence": 80}
    if question.kind == "spot_flags":
        spots = question.example.spots.filter(is_flag=right).values_list("pk", flat=True)
        return {"spots": list(spots)}
    if question.kind == "which_is_real":
        pair = [question.example, question.other_example]
        real = next(example for example in pair if example.is_scam != right)
        return {"real": real.pk, "confidence": 50}
    picked = [c.pk for c in question.choices.filter(is_correct=right)]
    key = "choices" if question.kind == "multiple" else "choice"
    return {key: picked if key == "choices" else picked[0], "confidence": 95}


def step_through(client, play_url, *, right: bool = True, steps: int = 7):
    """Answer each question and continue, for the first `steps` steps of the module."""
    module = attempt_of(play_url).module
    for position in range(steps):
        step = module.steps.get(position=position)
        if step.kind == "question":
            data = answer_for(step.question, right=right)
            assert post(client, play_url, "answer", **data).status_code == 302
        response = post(client, play_url, "continue")
        assert response.status_code == 302
    return response


def play_to_the_end(client, play_url, *, right: bool = True):
    return step_through(client, play_url, right=right)


def test_a_citizen_plays_a_module_to_the_end_and_sees_results(client, loaded_pack):
    play_url = start(client)
    assert "Couriers <strong>never</strong> ask for fees" in client.get(play_url).content.decode()

    response = play_to_the_end(client, play_url)

    assert response.url.endswith("/results/")
    results = client.get(response.url).content.decode()
    assert "You scored 100%." in results
    assert "On average you were" in results
    assert attempt_of(play_url).score == 1.0


def test_wrong_answers_score_zero_and_partial_picks_score_in_between(client, loaded_pack):
    play_url = start(client)
    play_to_the_end(client, play_url, right=False)

    attempt = attempt_of(play_url)
    assert attempt.score == 0.0
    assert not attempt.answers.filter(is_correct=True).exists()


def test_feedback_explains_the_answer_and_magnifies_nothing_before_answering(client, loaded_pack):
    play_url = start(client)
    post(client, play_url, "continue")
    post(client, play_url, "continue")
    question_page = client.get(play_url).content.decode()
    assert "A fee, a deadline and a strange link." not in question_page  # no answer leaks

    post(client, play_url, "answer", verdict="scam", confidence=80)
    feedback = client.get(play_url).content.decode()

    assert "Correct" in feedback
    assert "A fee, a deadline and a strange link." in feedback
    assert "A lookalike link" in feedback  # red flags revealed with explanations


def test_spot_the_flags_offers_flags_and_safe_spots_alike_before_answering(client, loaded_pack):
    play_url = start(client)
    step_through(client, play_url, steps=3)

    page = client.get(play_url).content.decode()

    offered = {int(value) for value in re.findall(r'name="spots" value="(\d+)"', page)}
    assert offered == set(flags()) | set(flags(is_flag=False))
    assert "A lookalike link" not in page  # labels stay hidden until the answer


def test_a_question_cannot_be_answered_twice_for_credit(client, loaded_pack):
    play_url = start(client)
    post(client, play_url, "continue")
    post(client, play_url, "continue")
    post(client, play_url, "answer", verdict="legit", confidence=80)

    again = post(client, play_url, "answer", verdict="scam", confidence=80)

    assert again.status_code == 400
    assert "already answered" in again.content.decode()
    assert Answer.objects.get().response == {"verdict": "legit"}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"verdict": "maybe", "confidence": 80}, "Choose scam or legitimate."),
        ({"verdict": "scam"}, "Say how sure you are."),
        ({"verdict": "scam", "confidence": 77}, "Say how sure you are."),
        ({"verdict": "scam", "confidence": 80, "position": 5}, "out of date"),
        ({"confidence": 80}, "Choose scam or legitimate."),
        ({"verdict": ["scam", "legit"], "confidence": 80}, "Choose scam or legitimate."),
    ],
)
def test_malformed_or_forged_answers_get_400_and_change_nothing(client, loaded_pack, data, message):
    play_url = start(client)
    post(client, play_url, "continue")
    post(client, play_url, "continue")

    response = post(client, play_url, "answer", **data)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Answer.objects.exists()


def test_a_choice_from_another_question_is_refused(client, loaded_pack):
    play_url = start(client)
    step_through(client, play_url, steps=4)
    foreign = choice("Which are warning signs?", True)  # belongs to question 5, not 4

    response = post(client, play_url, "answer", choice=foreign.pk, confidence=80)

    assert response.status_code == 400
    assert "not one of the choices" in response.content.decode()


def test_spots_of_another_example_are_refused(client, loaded_pack):
    play_url = start(client)
    step_through(client, play_url, steps=3)

    response = post(client, play_url, "answer", spots=flags("fake-ad-picture"))

    assert response.status_code == 400
    assert Answer.objects.count() == 1


def test_a_question_must_be_answered_before_moving_on(client, loaded_pack):
    play_url = start(client)
    post(client, play_url, "continue")
    post(client, play_url, "continue")

    response = post(client, play_url, "continue")

    assert response.status_code == 400
    assert attempt_of(play_url).position == 2


def test_a_learner_resumes_where_they_left_off(client, loaded_pack):
    play_url = start(client)
    post(client, play_url, "continue")

    again = start(client)

    assert again == play_url
    assert "Step 2 of 7" in client.get(again).content.decode()


def test_another_browser_cannot_open_my_attempt(client, loaded_pack):
    from django.test import Client

    play_url = start(client)

    stranger = Client()
    assert stranger.get(play_url).status_code == 404
    assert stranger.post(f"{play_url}answer/", {"verdict": "scam"}).status_code == 404


def test_htmx_gets_only_the_player_fragment(client, loaded_pack):
    play_url = start(client)

    response = client.post(f"{play_url}continue/", {"position": 0}, headers={"hx-request": "true"})

    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith('<div id="player"')
    assert "<html" not in page


def test_finishing_over_htmx_redirects_the_browser_to_the_results(client, loaded_pack):
    play_url = start(client)
    step_through(client, play_url, steps=6)
    last = attempt_of(play_url).module.steps.get(position=6).question
    post(client, play_url, "answer", **answer_for(last, right=True))

    response = client.post(f"{play_url}continue/", {"position": 6}, headers={"hx-request": "true"})

    assert response.status_code == 200
    assert response["HX-Redirect"].endswith("/results/")


def test_learners_on_the_same_step_share_a_rendering_but_each_gets_their_own_links(loaded_pack):
    """Anonymous player pages are rendered once and shared; what is a learner's own (their
    attempt in every link, their CSRF token) must never reach another learner."""
    from django.test import Client

    first, second = Client(), Client()
    first_url, second_url = start(first), start(second)
    for client, url in ((first, first_url), (second, second_url)):
        for _ in range(2):  # past the lesson and the example, to the same question
            assert post(client, url, "continue").status_code == 302

    responses = {url: client.get(url) for client, url in ((first, first_url), (second, second_url))}
    pages = {url: response.content.decode() for url, response in responses.items()}

    assert responses[first_url].templates and not responses[second_url].templates  # shared

    for url, other in ((first_url, second_url), (second_url, first_url)):
        own_id, other_id = attempt_of(url).public_id, attempt_of(other).public_id
        assert f"{url}answer/" in pages[url] and str(own_id) in pages[url]
        assert str(other_id) not in pages[url]
    tokens = [re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page) for page in
              pages.values()]  # fmt: skip
    assert all(tokens) and set(tokens[0]).isdisjoint(tokens[1])
    assert "__own_id__" not in "".join(pages.values()) + str(tokens)


def test_feedback_is_shared_only_between_identical_answers(loaded_pack):
    from django.test import Client

    right, wrong = Client(), Client()
    right_url, wrong_url = start(right), start(wrong)
    for client, url in ((right, right_url), (wrong, wrong_url)):
        for _ in range(2):
            post(client, url, "continue")
    question = attempt_of(right_url).module.steps.get(position=2).question

    said_right = right.post(
        f"{right_url}answer/", {**answer_for(question, right=True), "position": 2},
        headers={"hx-request": "true"},
    ).content.decode()  # fmt: skip
    said_wrong = wrong.post(
        f"{wrong_url}answer/", {**answer_for(question, right=False), "position": 2},
        headers={"hx-request": "true"},
    ).content.decode()  # fmt: skip

    assert "feedback-right" in said_right and "feedback-wrong" not in said_right
    assert "feedback-wrong" in said_wrong and "feedback-right" not in said_wrong
