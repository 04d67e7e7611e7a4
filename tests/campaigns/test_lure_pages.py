"""A lure's landing page lives on the lure host, in the lure's world, with nothing of the
training site; the teachable moment follows on click (or on submit), marks the red flags on the
lure itself, numbered, and disarms its links."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from tests.campaigns.simulation_helpers import load_library, template
from tests.campaigns.test_simulation_tracking import send_one
from training.campaigns import services
from training.campaigns.models import Delivery, TeachOn
from training.campaigns.services.simulations import save_template

pytestmark = pytest.mark.django_db
LURE_HOST = "secure-harbour-login.example"
TRAINING_WORDS = ("simulation", "training", "scam", "awareness", "spot the", "report")


@pytest.fixture
def lure_host(settings):
    settings.SITE_URL = "https://awareness.example"
    settings.LURE_URL = f"https://{LURE_HOST}"
    settings.LURE_HOSTS = [LURE_HOST]
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, LURE_HOST]
    settings.LURE_TEACH_AFTER_SECONDS = 3


def sent(bank_admin, departments, capture, smtp_sink, slug="bank-security-alert", **options):
    token, message = send_one(bank_admin, departments[0], slug, capture, smtp_sink, **options)
    return token, message


def test_the_lure_links_to_the_lure_host_which_serves_nothing_of_the_training_site(
    client, lure_host, bank_admin, departments, django_capture_on_commit_callbacks, smtp_sink
):
    token, message = sent(bank_admin, departments, django_capture_on_commit_callbacks, smtp_sink)
    assert f"https://{LURE_HOST}/s/{token}/" in message.get_body(("plain",)).get_content()
    for path in ("/", "/accounts/log-in/", "/learn/", "/orgs/", "/admin/", "/healthz"):
        assert client.get(path, HTTP_HOST=LURE_HOST).status_code == 404, path
    assert client.get("/").status_code == 200  # the training site, on its own host
    assert client.get(f"/s/{token}/", HTTP_HOST=LURE_HOST).status_code == 200
    assert client.get(f"/s/{token}/report/", HTTP_HOST=LURE_HOST).status_code == 404
    strict = Client(enforce_csrf_checks=True)  # a form sent without its cookie: bare 403
    refused = strict.post(f"/s/{token}/", HTTP_HOST=LURE_HOST)
    assert (refused.status_code, refused.content) == (403, b"Forbidden\n")


def test_the_landing_page_is_the_lures_world_and_teaches_soon_after_a_click(
    client, lure_host, bank_admin, departments, django_capture_on_commit_callbacks, smtp_sink
):
    token, _message = sent(bank_admin, departments, django_capture_on_commit_callbacks, smtp_sink)
    response = client.get(f"/s/{token}/", HTTP_HOST=LURE_HOST)
    page = response.content.decode()
    assert "<h1>Verify your identity</h1>" in page  # authored for this template
    assert "<title>Account Security Team</title>" in page
    assert not [word for word in TRAINING_WORDS if word in page.lower()]
    assert "site.css" not in page and "awareness.example" not in page
    assert '<meta http-equiv="refresh" content="3;url=learn/">' in page
    assert "<script" not in page and "style=" not in page
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert Delivery.objects.get().enrolled_at  # the tab may be closed before the refresh


def test_on_submit_the_teachable_moment_waits_for_the_form(
    client, lure_host, bank_admin, departments, django_capture_on_commit_callbacks, smtp_sink
):
    token, _message = sent(
        bank_admin, departments, django_capture_on_commit_callbacks, smtp_sink,
        teach_on=TeachOn.SUBMIT,
    )  # fmt: skip
    page = client.get(f"/s/{token}/", HTTP_HOST=LURE_HOST).content.decode()
    assert "refresh" not in page and Delivery.objects.get().enrolled_at is None
    response = client.post(f"/s/{token}/", HTTP_HOST=LURE_HOST)
    assert "This was a scam simulation" in response.content.decode()
    assert Delivery.objects.get().enrolled_at


def test_the_teachable_moment_marks_the_red_flags_on_the_lure_and_disarms_its_links(
    client, lure_host, bank_admin, departments, django_capture_on_commit_callbacks, smtp_sink
):
    token, _message = sent(bank_admin, departments, django_capture_on_commit_callbacks, smtp_sink)
    page = client.get(f"/s/{token}/learn/", HTTP_HOST=LURE_HOST).content.decode()
    marks = re.findall(r'<mark class="flag">(.*?)<sup class="flag-number"[^>]*>(\d)</sup>', page)
    assert marks == [
        ("Account Security Team", "3"),
        ("To avoid suspension", "1"),
        ("Verify my account", "2"),
    ]  # fmt: skip  (in page order: sender, body)
    assert '<span class="fake-link"><mark class="flag">Verify my account' in page
    links = re.findall(r'href="([^"]*)"', page)
    assert not [link for link in links if token in link or LURE_HOST in link]
    assert '<li value="1">' in page and "A threat of suspension to rush you." in page


def test_a_landing_page_with_script_or_a_foreign_link_is_refused_and_its_html_cleaned(db):
    load_library()
    fields = {
        "name": "Portal", "channel": "email", "sender_name": "IT", "subject": "Hi",
        "text_body": "{{ link }}", "red_flags": [{"flag": "A link.", "mark": "IT"}],
        "module_slug": "fake-bank-login", "landing": "login",
    }  # fmt: skip
    with pytest.raises(ValidationError, match="cannot run script"):
        save_template(None, "portal", landing_html="<script>steal()</script>", **fields)
    saved = save_template(None, "portal", landing_html='<h1 class="x">Hi</h1><form><input>'
                          "</form><style>h1 {}</style>", **fields)  # fmt: skip
    assert saved.landing_html == '<h1 class="x">Hi</h1>'
    with pytest.raises(ValidationError, match=r"evil\.example"):
        save_template(None, "portal", landing_html='<a href="https://evil.example/">x</a>',
                      **fields)  # fmt: skip


def test_teaching_on_submit_needs_a_lure_with_a_sign_in_form(bank_admin, departments):
    load_library()
    with pytest.raises(ValidationError, match="no sign-in form"):
        services.create_simulation(
            bank_admin, template=template("ceo-deepfake-follow-up"), name="x",
            groups=[departments[0]], teach_on=TeachOn.SUBMIT,
        )  # fmt: skip


def test_a_chinese_lure_speaks_chinese_from_the_mail_to_the_teachable_moment(
    client, lure_host, bank_admin, departments, django_capture_on_commit_callbacks, smtp_sink
):
    token, message = sent(bank_admin, departments, django_capture_on_commit_callbacks, smtp_sink,
                          slug="bank-security-alert-zh-hant")  # fmt: skip
    assert message["Subject"].strip() == "已攔截異常登入：請驗證你的帳戶"  # folded header
    assert re.search(r"\d{4}年\d{1,2}月\d{1,2}日", message.get_body(("plain",)).get_content())
    landing = client.get(f"/s/{token}/", HTTP_HOST=LURE_HOST).content.decode()
    assert '<html lang="zh-hant">' in landing and "<h1>驗證你的身分</h1>" in landing
    page = client.get(f"/s/{token}/learn/", HTTP_HOST=LURE_HOST).content.decode()
    assert "這是一次詐騙演練" in page
    assert '<mark class="flag">為免帳戶被暫停<sup class="flag-number" aria-hidden="true">1' in page
