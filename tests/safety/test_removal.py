"""Removal requests: a public, rate-limited, spam-resistant form; a staff queue with deadlines
and reminders; an e-mail to the requester at each step; everything audited."""

import time
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from awareness.content.models import Example
from awareness.safety.forms import form_started_token
from awareness.safety.models import AuditEvent, RemovalRequest, RemovalStatus
from awareness.safety.services import claim_removal_reminders, file_removal_request
from awareness.safety.services.removal import send_removal_reminder
from tests.safety.conftest import removal_form

pytestmark = pytest.mark.django_db


def file(client, **overrides):
    return client.post(reverse("removal_request"), removal_form(**overrides))


def text_and_html(message) -> tuple[str, str]:
    return (
        message.get_body(("plain",)).get_content(),
        message.get_body(("html",)).get_content(),
    )


def test_anyone_without_an_account_asks_from_the_examples_page_and_it_is_hidden_at_once(
    client, consent_pack, smtp_sink, reviewer, django_capture_on_commit_callbacks
):
    page = client.get(reverse("museum_example", args=["portrait-call"])).content.decode()
    assert f"{reverse('removal_request')}?example=portrait-call" in page
    form = client.get(f"{reverse('removal_request')}?example=portrait-call").content.decode()
    assert '<option value="portrait-call" selected>' in form

    with django_capture_on_commit_callbacks(execute=True):
        response = file(client)

    assert response.status_code == 302
    assert "is now hidden from every page" in client.get(response.url).content.decode()
    assert client.get(reverse("museum_example", args=["portrait-call"])).status_code == 404
    removal = RemovalRequest.objects.get()
    assert removal.status == RemovalStatus.HIDDEN and removal.filed_by is None
    assert removal.due_at - removal.filed_at == timedelta(days=7)
    assert list(AuditEvent.objects.order_by("pk").values_list("action", flat=True)[2:]) == [
        "removal.filed",
        "removal.hidden",
    ]
    to_requester, to_staff = sorted(smtp_sink, key=lambda m: m["To"] != "lee@example.net")
    text, html = text_and_html(to_requester)
    assert to_requester["Subject"] == "The example you reported is hidden pending review"
    assert "is now hidden from every page" in text and "is now hidden from every page" in html
    assert to_staff["To"] == "reviewer@platform.example"
    assert f"/staff/removals/{removal.pk}/" in text_and_html(to_staff)[0]


def test_a_request_by_link_about_harm_waits_for_review(client, consent_pack):
    link = "https://awareness.example.org" + reverse("museum_example", args=["parcel-fee-sms"])

    response = file(client, example="", link=link, reason="harmful")

    assert response.status_code == 302
    removal = RemovalRequest.objects.get()
    assert (removal.example_slug, removal.status) == ("parcel-fee-sms", RemovalStatus.RECEIVED)
    assert client.get(reverse("museum_example", args=["parcel-fee-sms"])).status_code == 200


def test_the_footer_of_every_page_links_to_the_form_and_the_transparency_page(client, db):
    page = client.get(reverse("home")).content.decode()

    assert f'href="{reverse("removal_request")}"' in page
    assert f'href="{reverse("transparency")}"' in page


@pytest.mark.parametrize(
    ("overrides", "why"),
    [
        ({"website": "http://spam.example"}, "the honeypot was filled in"),
        ({"started": 1}, "sent within three seconds"),
        ({"started": "forged"}, "a forged start time"),
    ],
)
def test_spam_is_refused_and_nothing_is_saved(client, consent_pack, overrides, why):
    if overrides.get("started") == 1:
        overrides = {"started": form_started_token(time.time() - 1)}
    response = file(client, **overrides)

    assert response.status_code == 400, why
    assert "could not be sent" in response.content.decode()
    assert not RemovalRequest.objects.exists()


def test_a_form_older_than_a_day_is_refused(client, consent_pack, monkeypatch):
    data = removal_form()
    later = time.time() + 24 * 60 * 60 + 5
    monkeypatch.setattr(time, "time", lambda: later)

    assert client.post(reverse("removal_request"), data).status_code == 400
    assert not RemovalRequest.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"example": "", "link": ""}, "Choose the example, or paste the link"),
        ({"example": "", "link": "https://x.example/museum/no-such/"}, "is not an example"),
        ({"contact_email": "not an address"}, "Enter a valid email address"),
        ({"reason": "boredom"}, "Select a valid choice"),
    ],
)
def test_bad_input_is_a_clear_400_and_changes_nothing(client, consent_pack, overrides, error):
    response = file(client, **overrides)

    assert response.status_code == 400
    assert error in response.content.decode()
    assert Example.objects.filter(slug="portrait-call").exists()
    assert not RemovalRequest.objects.exists()


def test_the_form_is_rate_limited(client, consent_pack, settings):
    settings.RATELIMIT_REMOVAL = "2/h"
    for _ in range(2):
        file(client, reason="other")

    response = file(client, reason="other")

    assert response.status_code == 429
    assert RemovalRequest.objects.count() == 2


def file_directly(reason="voice", now=None) -> RemovalRequest:
    return file_removal_request(
        example=Example.objects.get(slug="portrait-call"),
        reason=reason,
        contact_email="lee@example.net",
        details="",
        language="zh-hant",
        now=now or timezone.now(),
    )


def test_staff_see_open_requests_with_their_deadlines_in_a_fixed_number_of_queries(
    client, consent_pack, reviewer, django_assert_num_queries
):
    client.force_login(reviewer)
    file_directly()
    url = reverse("removal_queue")
    client.get(url)  # warm the session and the content types
    with django_assert_num_queries(3):  # user, count, page (the session is cached)
        client.get(url)
    for _ in range(30):
        file_directly(reason="other")

    with django_assert_num_queries(3):
        page = client.get(url)

    assert len(page.context["page"].object_list) == 31
    assert "A video call from a familiar face" in page.content.decode()


def test_only_staff_see_the_queue(client, consent_pack, bank_admin):
    removal = file_directly()

    assert client.get(reverse("removal_queue")).status_code == 302  # to log in
    client.force_login(bank_admin.user)
    assert client.get(reverse("removal_queue")).status_code == 403
    assert client.get(reverse("removal_review", args=[removal.pk])).status_code == 403
    assert (
        client.post(
            reverse("removal_review", args=[removal.pk]), {"decision": "reject", "reason": "x"}
        ).status_code
        == 403
    )
    assert RemovalRequest.objects.get().status == RemovalStatus.HIDDEN


def test_each_decision_is_audited_and_mailed_to_the_requester_in_their_language(
    client, consent_pack, reviewer, smtp_sink, django_capture_on_commit_callbacks
):
    removal = file_directly(reason="harmful")
    client.force_login(reviewer)
    url = reverse("removal_review", args=[removal.pk])

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"decision": "hide", "reason": ""})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"decision": "remove", "reason": "It is her face."})

    removal.refresh_from_db()
    assert removal.status == RemovalStatus.REMOVED and removal.decision_reason == "It is her face."
    actions = AuditEvent.objects.filter(
        action__startswith="removal.", target_id=str(removal.pk)
    ).values_list("action", "actor")
    assert list(actions.order_by("pk")) == [
        ("removal.filed", None),
        ("removal.hidden", reviewer.pk),
        ("removal.removed", reviewer.pk),
    ]
    hidden, removed = smtp_sink
    assert hidden["To"] == removed["To"] == "lee@example.net"
    assert hidden.is_multipart() and removed.is_multipart()
    assert '<html lang="zh-hant">' in text_and_html(removed)[1]  # the language it was filed in
    assert "It is her face." in text_and_html(removed)[0]
    assert client.get(reverse("museum_example", args=["portrait-call"])).status_code == 404
    page = client.get(url).content.decode()
    assert "removal.removed" in page and "reviewer" in page


def test_a_rejection_needs_a_reason_and_the_requester_is_told_it(
    client, consent_pack, reviewer, smtp_sink, django_capture_on_commit_callbacks
):
    removal = file_directly()
    client.force_login(reviewer)
    url = reverse("removal_review", args=[removal.pk])

    refused = client.post(url, {"decision": "reject", "reason": " "})
    assert refused.status_code == 400
    assert "Say why the request is rejected" in refused.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"decision": "reject", "reason": "This is not the person shown."})

    removal.refresh_from_db()
    assert removal.status == RemovalStatus.REJECTED
    assert "This is not the person shown." in text_and_html(smtp_sink[-1])[1]
    again = client.post(url, {"decision": "remove", "reason": ""})
    assert again.status_code == 400
    assert "already been decided" in again.content.decode()
    removal.refresh_from_db()
    assert removal.status == RemovalStatus.REJECTED


def test_a_decision_is_made_once_even_if_two_reviewers_click_together(consent_pack, reviewer):
    from django.core.exceptions import ValidationError

    from awareness.safety.services import remove_example

    removal = file_directly()
    stale = RemovalRequest.objects.get(pk=removal.pk)
    remove_example(removal, reviewer=reviewer, now=timezone.now())

    with pytest.raises(ValidationError, match="already been decided"):
        remove_example(stale, reviewer=reviewer, now=timezone.now())
    assert AuditEvent.objects.filter(action="removal.removed").count() == 1


def test_reminders_are_claimed_once_however_many_ticks_run(
    consent_pack, reviewer, settings, smtp_sink, django_capture_on_commit_callbacks
):
    settings.REMOVAL_REVIEW_DAYS = 2
    now = timezone.now()
    removal = file_directly(now=now)
    file_directly(reason="other", now=now + timedelta(days=1))  # not due for a reminder yet

    with django_capture_on_commit_callbacks() as queued:
        assert claim_removal_reminders(now=now + timedelta(hours=1)) == 1
        assert claim_removal_reminders(now=now + timedelta(hours=1)) == 0  # a second tick

    assert len(queued) == 1
    send_removal_reminder(removal.pk, 1)
    assert smtp_sink[-1]["Subject"] == f"Due soon: removal request #{removal.pk}"
    with django_capture_on_commit_callbacks() as queued:
        # Overdue now; and the second request's deadline is near.
        assert claim_removal_reminders(now=now + timedelta(days=2, minutes=1)) == 2
        assert claim_removal_reminders(now=now + timedelta(days=2, minutes=1)) == 0
    send_removal_reminder(removal.pk, 2)
    assert smtp_sink[-1]["Subject"] == f"Overdue: removal request #{removal.pk}"
    assert smtp_sink[-1]["To"] == "reviewer@platform.example"


def test_no_reminder_is_sent_for_a_request_decided_after_the_claim(
    consent_pack, reviewer, smtp_sink, django_capture_on_commit_callbacks
):
    from awareness.safety.services import remove_example

    now = timezone.now()
    removal = file_directly(now=now - timedelta(days=30))
    with django_capture_on_commit_callbacks():
        claim_removal_reminders(now=now)
    remove_example(removal, reviewer=reviewer, now=now)
    sent = len(smtp_sink)

    send_removal_reminder(removal.pk, 2)

    assert len(smtp_sink) == sent


def test_the_tick_claims_removal_reminders(consent_pack, django_capture_on_commit_callbacks):
    from awareness.tick import tick

    file_directly(now=timezone.now() - timedelta(days=30))

    with django_capture_on_commit_callbacks():
        tick()

    assert RemovalRequest.objects.get().reminders_sent == 2
