"""The integrations pages: the LRS form keeps its secret to itself, the export, the query
counts of the lists, and who may see them."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.integrations.conftest import finish
from tests.people.factories import MembershipFactory
from training.integrations.models import (
    LearningRecordStore,
    WebhookDelivery,
    WebhookSubscription,
)
from training.people.models import Role

pytestmark = pytest.mark.django_db
PAGE = "/orgs/harbour/integrations/"


@pytest.fixture
def admin_client(client, bank_admin):
    client.force_login(bank_admin.user)
    return client


def test_the_lrs_settings_are_saved_and_the_secret_never_shown_back(admin_client, bank_admin):
    form = {"endpoint": "https://lrs.example.com/xapi/", "key": "k1", "secret": "s3cr3t-value-9f2a",
            "is_enabled": "on"}  # fmt: skip
    assert admin_client.post(PAGE, form).status_code == 302
    store = LearningRecordStore.objects.get()
    assert (store.endpoint, store.key, store.secret, store.is_enabled) == (
        "https://lrs.example.com/xapi/",
        "k1",
        "s3cr3t-value-9f2a",
        True,
    )
    page = admin_client.get(PAGE).content.decode()
    assert "s3cr3t-value-9f2a" not in page and "…9f2a" in page

    # Saved again without typing the secret: it is kept.
    assert admin_client.post(PAGE, {**form, "secret": "", "key": "k2"}).status_code == 302
    store.refresh_from_db()
    assert (store.key, store.secret) == ("k2", "s3cr3t-value-9f2a")
    from awareness.safety.models import AuditEvent

    events = AuditEvent.objects.filter(action="integrations.lrs_configured")
    assert events.count() == 2 and "s3cr3t" not in json.dumps(
        list(events.values_list("details", flat=True))
    )


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"endpoint": "ftp://lrs.example.com/"}, "Use an https:// address."),
        ({"endpoint": "https://lrs.example.com/" + "x" * 600}, "at most 500 characters"),
        ({"endpoint": "", "is_enabled": "on"}, "Enter the endpoint before switching sending on."),
        ({"endpoint": "https://lrs.example.com/", "key": "k" * 500}, "at most 200 characters"),
    ],
)
def test_bad_lrs_settings_get_a_clear_error_and_change_nothing(
    admin_client, settings, form, message
):
    settings.INTEGRATIONS_ALLOW_LOCAL_URLS = False
    response = admin_client.post(PAGE, form)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert LearningRecordStore.objects.get().endpoint == ""


def test_the_export_is_json_lines_of_the_period_in_a_bounded_number_of_queries(
    admin_client, staff, module, django_assert_num_queries
):
    finish(staff.user, module)
    today = timezone.localdate()
    address = f"{PAGE}statements.jsonl?start={today - timedelta(days=7)}&end={today}"

    def export():
        response = admin_client.get(address)
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith('attachment; filename="statements-')
        return [json.loads(line) for line in b"".join(response.streaming_content).splitlines()]

    export()  # the first visit saves the organisation's LRS row (its pseudonym salt)
    # 8: the 6 of the export before interactions, plus the questions' choices and their
    # examples' red flags, which each question's interaction lists (one query each per chunk).
    with django_assert_num_queries(8) as one:
        lines = export()
    verbs = [line["verb"]["display"]["en-US"] for line in lines]
    assert verbs[-2:] == ["completed", "passed"] and set(verbs[:-2]) == {"answered"}

    for _more in range(3):
        finish(staff.user, module)
    with django_assert_num_queries(len(one.captured_queries)):
        assert len(export()) == 4 * len(lines)

    earlier = (
        f"{PAGE}statements.jsonl?start={today - timedelta(days=30)}&end={today - timedelta(days=8)}"
    )
    assert b"".join(admin_client.get(earlier).streaming_content) == b""


@pytest.mark.parametrize(
    "query",
    ["start=2026-05-01&end=2026-04-01", "start=2024-01-01&end=2026-01-01", "start=yesterday&end=x",
     "start=2026-01-01"],
)  # fmt: skip
def test_a_bad_export_period_gets_a_clear_error(admin_client, query):
    response = admin_client.get(f"{PAGE}statements.jsonl?{query}")
    assert response.status_code == 400
    assert 'class="error' in response.content.decode() or "form-errors" in response.content.decode()


def test_the_integrations_page_lists_webhooks_in_constant_queries(
    admin_client, bank_admin, django_assert_num_queries
):
    def add_webhooks(n):
        for i in range(n):
            subscription = WebhookSubscription.objects.create(
                organization=bank_admin.organization, url=f"https://hr.example/{i}",
                events=["lure.reported"], created_at=timezone.now(),
            )  # fmt: skip
            WebhookDelivery.objects.create(
                subscription=subscription, event_id=f"00000000-0000-0000-0000-{i:012}",
                event_type="lure.reported", body="{}", not_before=timezone.now(),
                created_at=timezone.now(), status="failed",
            )  # fmt: skip

    add_webhooks(1)
    admin_client.get(PAGE)  # the LRS row is created on the first visit
    # user, membership (the session is cached), LRS, statement counts, webhooks with their counts
    with django_assert_num_queries(5) as few:
        assert admin_client.get(PAGE).status_code == 200
    add_webhooks(5)
    with django_assert_num_queries(len(few.captured_queries)):
        page = admin_client.get(PAGE).content.decode()
    assert page.count("https://hr.example/") == 6


def test_the_delivery_log_shows_recent_deliveries_in_constant_queries(
    admin_client, bank_admin, django_assert_num_queries
):
    subscription = WebhookSubscription.objects.create(
        organization=bank_admin.organization, url="https://hr.example/",
        events=["lure.reported"], created_at=timezone.now(),
    )  # fmt: skip

    def add(n, start):
        WebhookDelivery.objects.bulk_create(
            WebhookDelivery(
                subscription=subscription, event_id=f"00000000-0000-0000-0000-{start + i:012}",
                event_type="lure.reported", body="{}", not_before=timezone.now(),
                created_at=timezone.now(), status="sent", response_status=204, attempts=1,
            )
            for i in range(n)
        )  # fmt: skip

    address = f"{PAGE}webhooks/{subscription.pk}/"
    add(2, 0)
    # user, membership (the session is cached), subscription, deliveries
    with django_assert_num_queries(4) as few:
        admin_client.get(address)
    add(100, 2)
    with django_assert_num_queries(len(few.captured_queries)):
        page = admin_client.get(address).content.decode()
    assert page.count("<td>204</td>") == 50  # the most recent fifty


def test_a_manager_or_learner_of_the_organisation_cannot_open_the_pages(client, bank_admin):
    for role in (Role.MANAGER, Role.LEARNER):
        member = MembershipFactory(organization=bank_admin.organization, role=role)
        client.force_login(member.user)
        assert client.get(PAGE).status_code == 403
        assert client.post(f"{PAGE}webhooks/new/", {"url": "https://x.example/"}).status_code == 403
    assert not WebhookSubscription.objects.exists()


def test_deleting_a_webhook_is_audited(admin_client, bank_admin):
    subscription = WebhookSubscription.objects.create(
        organization=bank_admin.organization, url="https://hr.example/",
        events=["lure.reported"], created_at=timezone.now(),
    )  # fmt: skip
    assert admin_client.post(f"{PAGE}webhooks/{subscription.pk}/delete/").status_code == 302
    assert not WebhookSubscription.objects.exists()
    from awareness.safety.models import AuditEvent

    assert AuditEvent.objects.filter(action="integrations.webhook_deleted").exists()
