"""The lure editor: a library lure copied into the organisation (private to it) and edited,
a live preview, script refused with a clear message, and a real QR code in the QR lure."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.campaigns.conftest import staff
from tests.campaigns.simulation_helpers import load_library, send_due, template, unpaced, verify
from training.campaigns import services
from training.campaigns.models import SimulationTemplate
from training.campaigns.services.lures import qr_png

pytestmark = pytest.mark.django_db
LURES = "/orgs/harbour/simulations/lures/"


@pytest.fixture
def admin_client(client, bank_admin):
    load_library()
    client.force_login(bank_admin.user)
    return client


def edited(copy: SimulationTemplate, **changes) -> dict:
    fields = {
        "name": copy.name, "language": "zh-hant", "difficulty": 5, "channel": copy.channel,
        "sender_name": "IT 服務台", "subject": "{{ first_name }}，請於今天內驗證帳戶",
        "html_body": "<p>{{ first_name }}（{{ department }}）：</p>"
                     '<p><a href="{{ link }}">驗證</a></p>',
        "text_body": "驗證：{{ link }}", "landing": "login", "landing_html": "<h1>登入</h1>",
        "module_slug": copy.module_slug,
        "flags": "催促你在今天內行動 | 請於今天內驗證帳戶\n陌生的連結",
    }  # fmt: skip
    return {**fields, **changes}


def copied(admin_client) -> SimulationTemplate:
    library = template("bank-security-alert")
    response = admin_client.post(f"{LURES}{library.pk}/copy/")
    copy = SimulationTemplate.objects.get(organization__isnull=False)
    assert response.status_code == 302 and response["Location"] == f"{LURES}{copy.pk}/"
    return copy


def test_a_copied_lure_is_the_organisations_own_to_edit_and_private_to_it(
    admin_client, client, other_org_admin
):
    copy = copied(admin_client)
    assert copy.name == "Fake bank security alert (copy)" and copy.red_flags
    response = admin_client.post(f"{LURES}{copy.pk}/", edited(copy))
    assert response.status_code == 302
    copy.refresh_from_db()
    assert (copy.language, copy.difficulty, copy.sender_name) == ("zh-hant", 5, "IT 服務台")
    assert copy.red_flags == [
        {"flag": "催促你在今天內行動", "mark": "請於今天內驗證帳戶"},
        {"flag": "陌生的連結", "mark": ""},
    ]
    library = template("bank-security-alert")
    assert library.sender_name == "Account Security Team"  # the library is untouched
    assert admin_client.post(f"{LURES}{library.pk}/", edited(library)).status_code == 404

    client.force_login(other_org_admin.user)
    elsewhere = "/orgs/elsewhere/simulations/lures/"
    assert copy.name not in client.get(elsewhere).content.decode()
    for url in (f"{elsewhere}{copy.pk}/", f"{elsewhere}{copy.pk}/copy/"):
        assert client.post(url, edited(copy)).status_code == 404
    assert SimulationTemplate.objects.filter(organization__isnull=False).count() == 1


def test_a_lure_with_script_is_refused_with_a_clear_message_and_nothing_changes(admin_client):
    copy = copied(admin_client)
    before = copy.html_body
    for html in ('<p onclick="steal()">Hi</p>', "<script>steal()</script>",
                 '<a href="javascript:steal()">x</a>'):  # fmt: skip
        response = admin_client.post(f"{LURES}{copy.pk}/", edited(copy, html_body=html))
        assert response.status_code == 400
        assert "Lures and landing pages cannot run script" in response.content.decode()
        preview = admin_client.post(f"{LURES}{copy.pk}/preview/", edited(copy, html_body=html))
        assert "cannot run script" in preview.content.decode() and "steal" not in (
            preview.content.decode()
        )
    copy.refresh_from_db()
    assert copy.html_body == before


def test_the_live_preview_fills_the_placeholders_and_draws_the_qr_code(admin_client):
    copy = copied(admin_client)
    response = admin_client.post(
        f"{LURES}{copy.pk}/preview/",
        edited(copy, html_body="<p>{{ first_name }} of {{ department }}</p><p>{{ qr }}</p>"),
    )
    page = response.content.decode()
    assert "Amy of Retail" in page and '<svg width="' in page and 'class="qrline"' in page
    copy.refresh_from_db()
    assert "qr" not in copy.html_body  # a preview saves nothing


def test_the_lure_list_takes_a_fixed_number_of_queries(admin_client, django_assert_num_queries):
    copied(admin_client)
    with django_assert_num_queries(3):  # however many lures
        assert admin_client.get(LURES).status_code == 200


def test_the_qr_lure_carries_a_qr_code_of_the_persons_own_link(
    bank_admin, departments, smtp_sink, django_capture_on_commit_callbacks
):
    load_library()
    verify(bank_admin.organization)
    staff(departments[0], 1)
    unpaced(bank_admin.organization)
    now = timezone.now()
    simulation = services.create_simulation(
        bank_admin, template=template("qr-code-parking"), name="QR", groups=[departments[0]]
    )
    services.launch_simulation(bank_admin, simulation, now=now)
    send_due(now + timedelta(hours=5), django_capture_on_commit_callbacks)
    (mail,) = smtp_sink
    html = mail.get_body(("html",)).get_content()
    assert '<img src="cid:lure-qr"' in html and "{{ qr }}" not in html
    (image,) = [part for part in mail.walk() if part.get_content_type() == "image/png"]
    assert image["Content-ID"] == "<lure-qr>"
    link = re.search(r"(https?://\S+/s/[\w-]+/)", mail.get_body(("plain",)).get_content()).group(1)
    assert image.get_content() == qr_png(link)  # the person's own tracked link, as a QR code
