"""Dates and numbers follow the reader's language: a Chinese reader sees 2026年3月5日, and
large counts grouped in threes as Hong Kong and Taiwan write them."""

from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from tests.people.factories import UserFactory
from tests.site.test_player import play_to_the_end, start
from training.progress.models import Certificate


def dashboard(language: str) -> str:
    run = SimpleNamespace(
        number=2, get_status_display=lambda: "", due_at=datetime(2026, 3, 5, 9, tzinfo=UTC)
    )
    summary = SimpleNamespace(
        people=123456, percent=10, passed_percent=8, average_score=None, overdue_people=2345,
        sent=123456, waiting=0, failed=0,
    )  # fmt: skip
    context = {
        "run": run,
        "summary": summary,
        "over_time": [(date(2026, 3, 5), 12345)],
        "groups": [{"group": "Retail", "completed": 1234, "total": 12345, "percent": 10}],
        "scores": [],
        "membership": SimpleNamespace(organization=SimpleNamespace(slug="harbour")),
        "campaign": SimpleNamespace(pk=1, pass_mark=0.6),
    }
    with translation.override(language):
        return render_to_string("campaigns/_dashboard.html", context)


@pytest.mark.parametrize(
    ("language", "due", "day"),
    [("en", "March 5, 2026", "03/05/2026"), ("zh-hant", "2026年3月5日 09:00", "2026年3月5日")],
)
def test_the_campaign_dashboard_writes_dates_and_counts_in_the_readers_language(language, due, day):
    page = dashboard(language)

    assert "<dd>123,456</dd>" in page and "<dd>2,345</dd>" in page
    assert "1,234 / 12,345" in page
    assert due in page
    assert f'<th scope="row">{day}</th><td>12,345</td>' in page


def test_a_certificate_in_chinese_gives_its_date_in_chinese(client, loaded_pack):
    client.force_login(UserFactory())
    play_to_the_end(client, start(client))
    certificate = Certificate.objects.get()
    issued = timezone.localdate(certificate.issued_at)

    chinese = client.get(
        reverse("certificate", args=[certificate.code]), HTTP_ACCEPT_LANGUAGE="zh-hant"
    ).content.decode()
    english = client.get(
        reverse("certificate", args=[certificate.code]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()

    chinese_date = f"{issued.year}年{issued.month}月{issued.day}日"
    assert chinese_date in chinese and chinese_date not in english
