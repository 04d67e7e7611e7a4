"""With Redis gone (REDIS_URL at a closed port), a real web server still serves learners from
the database: a citizen browses, plays a module to the end in one session and sees results;
/healthz says "degraded" with 200, so the load balancer keeps the process; limited forms
refuse (the rate limits fail closed) and change nothing."""

import httpx
import pytest

from tests.conftest import free_port, wait_for_port
from tests.site.test_player import answer_for, attempt_of
from training.people.models import User
from training.progress.models import Attempt


@pytest.fixture
def server_without_redis(transactional_db, postgresql, start_process, settings):
    port, closed = free_port(), free_port()  # nothing listens on `closed`
    server = start_process(
        "-m", "gunicorn", "awareness.wsgi:application", "--bind", f"127.0.0.1:{port}",
        "--workers", "1", "--log-level", "warning",
        REDIS_URL=f"redis://127.0.0.1:{closed}/0", MEDIA_ROOT=str(settings.MEDIA_ROOT),
    )  # fmt: skip
    wait_for_port(port, server)
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=20) as browser:
        yield browser


def post(browser, url: str, data: dict) -> httpx.Response:
    """A form post as the browser sends it, with the CSRF cookie's token."""
    return browser.post(url, data={**data, "csrfmiddlewaretoken": browser.cookies["csrftoken"]})


def test_a_citizen_plays_a_module_to_the_end_while_redis_is_away(server_without_redis, loaded_pack):
    browser = server_without_redis
    assert browser.get("/").status_code == 200
    catalogue = browser.get("/learn/")
    assert catalogue.status_code == 200 and "/learn/parcel-fees/" in catalogue.text
    assert browser.get("/museum/").status_code == 200
    module = browser.get("/learn/parcel-fees/")
    assert module.status_code == 200

    started = post(browser, "/learn/parcel-fees/start/", {})
    assert started.status_code == 302
    play_url = started.headers["location"]
    assert "Couriers <strong>never</strong> ask for fees" in browser.get(play_url).text
    attempt = attempt_of(play_url)
    for step in attempt.module.steps.order_by("position"):
        if step.kind == "question":
            answered = post(browser, f"{play_url}answer/", {
                "position": step.position, **answer_for(step.question, right=True),
            })  # fmt: skip
            assert answered.status_code == 302, answered.text[-500:]
        moved_on = post(browser, f"{play_url}continue/", {"position": step.position})
        assert moved_on.status_code == 302, moved_on.text[-500:]

    results = browser.get(moved_on.headers["location"])
    assert results.status_code == 200 and "You scored 100%." in results.text
    assert Attempt.objects.get(pk=attempt.pk).score == 1.0


def test_healthz_says_degraded_and_limited_forms_refuse_while_redis_is_away(
    server_without_redis,
):
    browser = server_without_redis

    health = browser.get("/healthz")
    assert health.status_code == 200
    body = health.json()
    assert body["status"] == "degraded"
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["cache"]["ok"] is False
    assert body["checks"]["channel_layer"]["ok"] is False

    form = browser.get("/accounts/sign-up/")
    assert form.status_code == 200
    refused = post(browser, "/accounts/sign-up/", {
        "username": "mei", "email": "mei@example.org", "age_band": "18+",
        "password1": "a long pass phrase 42", "password2": "a long pass phrase 42",
    })  # fmt: skip
    assert refused.status_code == 429
    assert "paused for a few minutes while part of the service recovers" in refused.text
    assert not User.objects.filter(username="mei").exists()
