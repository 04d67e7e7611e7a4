import pytest


@pytest.mark.django_db
def test_healthz_is_green_when_every_service_answers(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "broker", "cache", "channel_layer"}
    assert all(check["ok"] for check in body["checks"].values())
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.django_db
def test_healthz_answers_503_and_names_the_broker_when_it_is_unreachable(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {}

    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["broker"]["ok"] is False
    assert body["checks"]["database"]["ok"] is True
    assert "127.0.0.1" not in response.content.decode()  # no infrastructure details leak


@pytest.mark.django_db
def test_healthz_reports_when_the_scheduler_last_ticked(client):
    from django.utils import timezone

    from awareness.health.services import record_heartbeat

    record_heartbeat("tick", now=timezone.now())

    scheduler = client.get("/healthz").json()["scheduler"]

    assert scheduler["seconds_since"] is not None
    assert 0 <= scheduler["seconds_since"] < 60


@pytest.mark.django_db
def test_healthz_refuses_writes(client):
    assert client.post("/healthz").status_code == 405
