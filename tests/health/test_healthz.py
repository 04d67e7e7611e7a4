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
def test_healthz_says_degraded_and_names_the_broker_when_it_is_unreachable(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {}

    response = client.get("/healthz")

    assert response.status_code == 200  # pages still serve; the database holds the work
    body = response.json()
    assert body["status"] == "degraded"
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


def test_healthz_answers_503_down_when_the_database_is_unreachable(start_process):
    """A real server whose database is away: the load balancer must take it out."""
    import httpx

    from tests.conftest import free_port, wait_for_port

    port, closed = free_port(), free_port()
    server = start_process(
        "-m", "gunicorn", "awareness.wsgi:application", "--bind", f"127.0.0.1:{port}",
        DATABASE_URL=f"postgres://postgres@127.0.0.1:{closed}/nowhere",
    )  # fmt: skip
    wait_for_port(port, server)

    response = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=20)

    assert response.status_code == 503
    assert response.json()["status"] == "down"
    assert response.json()["checks"]["database"]["ok"] is False
