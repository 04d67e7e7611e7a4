"""The lure's own pages: opened, clicked, submitted and reported, the teachable moment and
its enrolment, nothing typed ever kept, no token enumerable, no redirect anywhere."""

import io
import logging
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from awareness.content.models import Module
from tests.campaigns.conftest import staff
from tests.campaigns.simulation_helpers import load_library, send_due, template, unpaced, verify
from training.campaigns import services, signals
from training.campaigns.models import Assignment, Delivery, Simulation
from training.campaigns.services.simulations import simulation_policy

pytestmark = pytest.mark.django_db
SECRET = "hunter2-Tr0ub4dor-zebra-7781"


@pytest.fixture
def lure(bank_admin, departments, smtp_sink, django_capture_on_commit_callbacks, settings):
    """A bank-security-alert lure (sign-in form landing) sent to one person of Retail;
    returns (token, the e-mail)."""
    return send_one(bank_admin, departments[0], "bank-security-alert",
                    django_capture_on_commit_callbacks, smtp_sink)  # fmt: skip


def send_one(bank_admin, group, slug, capture, smtp_sink, **options):
    load_library()
    verify(bank_admin.organization)
    staff(group, 1)
    unpaced(bank_admin.organization)
    now = timezone.now()
    simulation = services.create_simulation(
        bank_admin, template=template(slug), name="Test", groups=[group], **options
    )
    services.launch_simulation(bank_admin, simulation, now=now)
    send_due(now, capture)
    message = smtp_sink[-1]
    token = re.search(r"/s/([\w-]+)/", message.get_body(("plain",)).get_content()).group(1)
    return token, message


def test_the_image_beacon_records_the_open(client, lure):
    token, _message = lure
    response = client.get(f"/s/{token}/o.gif")
    assert response.status_code == 200 and response["Content-Type"] == "image/gif"
    assert response["Cache-Control"] == "no-store" and response["Referrer-Policy"] == "same-origin"
    assert Delivery.objects.get().opened_at is not None


def test_a_click_on_a_teachable_lure_explains_its_red_flags_and_enrols_once(
    client, bank_admin, departments, smtp_sink, django_capture_on_commit_callbacks
):
    token, _message = send_one(bank_admin, departments[0], "ceo-deepfake-follow-up",
                               django_capture_on_commit_callbacks, smtp_sink)  # fmt: skip
    Module.objects.create(slug="deepfake-cfo", title="The CFO on the video call", language="en",
                          is_current=True, version=1, minutes=5)  # fmt: skip
    for _ in range(2):
        response = client.get(f"/s/{token}/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "This was a scam simulation" in page
    assert "Confidential: the transfer we discussed on the call" in page  # the lure itself
    assert "A &quot;confidential&quot; payment you must not discuss" in page  # its red flags
    assert "/learn/deepfake-cfo/" in page
    assert "<script" not in page and " onclick=" not in page
    delivery = Delivery.objects.get()
    assert delivery.clicked_at and delivery.enrolled_at
    (assignment,) = Assignment.objects.all()
    assert assignment.membership_id == delivery.membership_id
    assert assignment.module_slug == "deepfake-cfo"
    assert assignment.run_id == delivery.simulation.follow_up_id


def test_the_sign_in_form_records_only_that_something_was_submitted(
    client, lure, caplog, settings, tmp_path
):
    token, _message = lure
    caplog.set_level(logging.DEBUG)
    form = client.get(f"/s/{token}/").content.decode()
    inputs = re.findall(r"<input[^>]*>", form)
    typed = [field for field in inputs if 'type="hidden"' not in field]
    assert len(typed) == 2 and not any("name=" in field for field in typed)

    response = client.post(f"/s/{token}/", {"username": "amy", "password": SECRET})
    assert response.status_code == 200
    assert "Its red flags" in response.content.decode()
    delivery = Delivery.objects.get()
    assert delivery.submitted_at and delivery.clicked_at and delivery.enrolled_at

    dump = io.StringIO()
    call_command("dumpdata", stdout=dump)
    assert SECRET not in dump.getvalue()
    assert SECRET not in caplog.text
    for folder in (settings.MEDIA_ROOT, settings.SMS_SINK_PATH.parent, tmp_path):
        for path in Path(folder).rglob("*"):
            if path.is_file() and path.stat().st_size < 50_000_000:
                assert SECRET.encode() not in path.read_bytes(), path


def same_page(content: bytes, token: str) -> bytes:
    """The page without what differs on every request anyway: its address and CSRF token."""
    content = content.replace(token.encode(), b"TOKEN")
    return re.sub(rb'name="csrfmiddlewaretoken" value="\w+"', b"", content)


def test_an_unknown_token_gets_the_same_answers_as_a_real_one(client, lure):
    token, _message = lure
    fake = "A" * len(token)
    for method, suffix in (("get", "o.gif"), ("get", "report/"), ("post", "report/")):
        real = getattr(client, method)(f"/s/{token}/{suffix}")
        unknown = getattr(client, method)(f"/s/{fake}/{suffix}")
        assert (real.status_code, real["Content-Type"]) == (
            unknown.status_code,
            unknown["Content-Type"],
        )
        assert same_page(real.content, token) == same_page(unknown.content, fake)
    assert client.get(f"/s/{fake}/").status_code == 404


def test_reporting_marks_the_lure_and_tells_integrations_after_commit(
    client, lure, bank_admin, django_capture_on_commit_callbacks
):
    token, _message = lure
    heard = []

    def listener(sender, organization, payload, **kwargs):
        heard.append((organization, payload))

    signals.lure_reported.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            client.post(f"/s/{token}/report/")
            client.post(f"/s/{token}/report/")  # twice: reported once
    finally:
        signals.lure_reported.disconnect(listener)
    delivery = Delivery.objects.get()
    assert delivery.reported_at is not None
    assert heard == [
        (
            bank_admin.organization,
            {
                "simulation": delivery.simulation_id,
                "delivery": delivery.pk,
                "reported_at": delivery.reported_at.isoformat(),
            },
        )
    ]


def test_the_report_button_inbox_finds_the_lure_from_its_raw_headers(client, lure, bank_admin):
    _token, message = lure
    key = simulation_policy(bank_admin.organization_id).report_key
    headers = "".join(f"{name}: {value}\r\n" for name, value in message.items())
    unknown = client.post("/s/report-inbox/not-a-key/", {"headers": headers})
    assert Delivery.objects.get().reported_at is None
    response = client.post(f"/s/report-inbox/{key}/", headers, content_type="message/rfc822")
    assert (response.status_code, response.content) == (unknown.status_code, unknown.content)
    assert response.status_code == 202
    assert Delivery.objects.get().reported_at is not None


def test_no_lure_page_redirects_anywhere(client, lure, bank_admin):
    token, _message = lure
    key = simulation_policy(bank_admin.organization_id).report_key
    evil = "https://evil.example/"
    pages = [f"/s/{token}/", f"/s/{token}/o.gif", f"/s/{token}/learn/", f"/s/{token}/report/",
             f"/s/report-inbox/{key}/"]  # fmt: skip
    for url in pages:
        for method in ("get", "post"):
            response = getattr(client, method)(f"{url}?next={evil}&url={evil}&to={evil}")
            assert not 300 <= response.status_code < 400, (method, url)
            links = re.findall(r'(?:href|src|action)="([^"]*)"', response.content.decode("latin-1"))
            assert not any(link.startswith(evil) for link in links), (method, url)


def test_a_cancelled_simulation_stops_counting(client, lure, bank_admin):
    token, _message = lure
    services.cancel_simulation(bank_admin, Simulation.objects.get())
    client.get(f"/s/{token}/o.gif")
    client.post(f"/s/{token}/report/")
    assert client.get(f"/s/{token}/").status_code == 404
    delivery = Delivery.objects.get()
    assert delivery.opened_at is None and delivery.reported_at is None
