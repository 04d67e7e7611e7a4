"""A host and three players on phones play a five-question live quiz to the end, in real
browsers against a real ASGI server (uvicorn: pytest's live server speaks no WebSocket).
One player reloads in the middle of the game and keeps their score."""

import re

import pytest
from playwright.sync_api import expect

from tests.conftest import free_port, wait_for_port
from tests.e2e.conftest import PHONE

# What each player taps for each question of the test pack's parcel module; None skips it.
ANSWERS = {
    "Ann": ["It's a scam", ["+44 7700 900123", "hkpost-redeliver.top"],
            "Check in the official app.", ["A deadline.", "A lookalike link."], "B is real"],
    "Bo": ["It's genuine", ["HK$12"], "Tap the link.", ["A tracking number."], "A is real"],
    "Cy": ["It's a scam", None, "Check in the official app.", ["A deadline."], "B is real"],
}  # fmt: skip

AFTER_ANSWER = re.compile("Answer sent|Correct!|Partly right|Not this time")


@pytest.fixture
def asgi_server(transactional_db, start_process, settings):
    port = free_port()
    server = start_process(
        "-m", "uvicorn", "awareness.asgi:application", "--port", str(port),
        "--log-level", "warning", MEDIA_ROOT=str(settings.MEDIA_ROOT),
    )  # fmt: skip
    wait_for_port(port, server)
    return f"http://localhost:{port}"


def answer(page, choice) -> None:
    if isinstance(choice, list):
        spotting = page.locator(".live-spot").count() > 0
        for label in choice:
            if spotting:  # tap the suspicious part of the message itself
                page.locator(".live-spot").get_by_text(label, exact=True).click()
            else:
                page.get_by_label(label).check()
        page.get_by_role("button", name="Send my answer").click()
    else:
        page.get_by_role("button", name=choice).click()
    # The last player to answer may see the result at once instead.
    expect(page.get_by_text(AFTER_ANSWER)).to_be_visible()


def test_a_host_and_three_phones_play_a_live_quiz_to_the_end(
    browser, asgi_server, loaded_pack, screenshot
):
    from tests.live.conftest import signed_in
    from tests.people.factories import UserFactory
    from training.live.models import LiveAnswer, LiveSession

    host_user = UserFactory(username="quizmaster")
    host = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    _name, cookie = signed_in(host_user)
    session_key = cookie.decode().split("=", 1)[1]
    host.context.add_cookies([{"name": "sessionid", "value": session_key, "url": asgi_server}])

    host.goto(f"{asgi_server}/live/host/")
    host.get_by_role("link", name="Parcel fees").click()
    host.get_by_label("Time for each question").select_option("30")
    host.get_by_role("button", name="Open the lobby").click()
    pin = host.locator("[data-pin]").inner_text().strip()
    screenshot(host, "lobby")

    phones = {}
    for nickname in ANSWERS:
        phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
        phone.goto(f"{asgi_server}/live/")
        phone.get_by_label("Game PIN").fill(pin)
        phone.get_by_role("button", name="Enter").click()
        phone.get_by_label("Nickname").fill(nickname)
        phone.get_by_role("button", name="Join").click()
        expect(phone.get_by_role("heading", name="You're in!")).to_be_visible()
        phones[nickname] = phone
    expect(host.locator("[data-lobby] li")).to_have_count(3)
    screenshot(phones["Ann"], "player-lobby")

    host.get_by_role("button", name="Start the quiz").click()
    scores_before_reload = None
    for number in range(5):
        expect(host.get_by_text(f"Question {number + 1} of 5")).to_be_visible()
        for nickname, phone in phones.items():
            expect(phone.get_by_text(f"Question {number + 1} of 5")).to_be_visible()
            if number == 2 and nickname == "Bo":
                # A reload in the middle: the same question comes back, the score stays.
                scores_before_reload = phone.locator("[data-score]").inner_text()
                phone.reload()
                expect(phone.get_by_text("Question 3 of 5")).to_be_visible()
                assert phone.locator("[data-score]").inner_text() == scores_before_reload
            if number in (1, 2) and nickname == "Ann":
                screenshot(phone, f"player-question-{number + 1}")
            choice = ANSWERS[nickname][number]
            if choice is not None:
                answer(phone, choice)
            if number == 1 and nickname == "Ann":
                screenshot(phone, "player-answered")
        if number == 1:
            screenshot(host, "question")
        if ANSWERS["Cy"][number] is None:
            host.get_by_role("button", name="Stop the clock and show the answer").click()
        expect(host.get_by_text("The answer:")).to_be_visible()
        expect(phones["Ann"].get_by_role("heading", name="Correct!")).to_be_visible()
        expect(phones["Bo"].get_by_role("heading", name="Not this time.")).to_be_visible()
        if number == 1:
            screenshot(host, "reveal")
            screenshot(phones["Ann"], "player-result")
            expect(phones["Cy"].get_by_role("heading", name="No answer this time.")).to_be_visible()
        host.get_by_role("button", name="Show the leaderboard").click()
        expect(host.get_by_role("heading", name="Leaderboard")).to_be_visible()
        next_label = "Finish the quiz" if number == 4 else "Next question"
        host.get_by_role("button", name=next_label).click()

    expect(host.get_by_role("heading", name="Final results")).to_be_visible()
    leaders = host.locator(".live-leader-name").all_inner_texts()
    assert leaders[0] == "Ann" and set(leaders) == {"Ann", "Bo", "Cy"}
    screenshot(host, "final")
    for phone in phones.values():
        expect(
            phone.get_by_role("heading", name="The quiz is over. Thank you for playing!")
        ).to_be_visible()
    expect(phones["Ann"].get_by_text("You are number 1 of 3.")).to_be_visible()
    screenshot(phones["Ann"], "player-final")

    session = LiveSession.objects.get(pin=pin)
    assert session.state == "ended"
    assert LiveAnswer.objects.filter(player__session=session).count() == 14
    csv_text = host.request.get(f"{asgi_server}/live/s/{session.public_id}/results.csv").text()
    assert csv_text.splitlines()[1].split(",")[1] == "Ann"
    for page in [host, *phones.values()]:
        page.context.close()
