"""Simulation templates, the safety rules checked before launch, approval, the audit log,
and lures sent through the campaign outbox at the organisation's pace."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from awareness.lib.sms import read_sink
from awareness.lib.tokens import hash_token
from awareness.safety.models import AuditEvent
from tests.campaigns.conftest import staff
from tests.campaigns.simulation_helpers import (
    DEMO_PACK,
    load_library,
    send_due,
    template,
    unpaced,
    verify,
)
from tests.people.factories import MembershipFactory, UserFactory
from training.campaigns import services
from training.campaigns.models import (
    Delivery,
    Notification,
    NotificationStatus,
    SendingPolicy,
    SimulationPolicy,
    SimulationStatus,
    SimulationTemplate,
)
from training.campaigns.services.lures import fill
from training.campaigns.services.simulations import save_template, simulation_policy
from training.people.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def library(db):
    load_library()


def simulate(admin, groups, slug="bank-security-alert", **options):
    return services.create_simulation(
        admin, template=template(slug), name="Spring phishing test", groups=groups, **options
    )


# --- Templates --------------------------------------------------------------------------------


def test_the_demo_library_has_at_least_eight_lures_each_with_red_flags_and_a_demo_module(library):
    templates = list(SimulationTemplate.objects.filter(organization=None))
    assert len(templates) >= 8
    assert {t.channel for t in templates} == {"email", "sms"}
    demo_modules = {path.name.split(".")[0] for path in (DEMO_PACK / "modules").glob("*.yaml")}
    for lure in templates:
        assert lure.red_flags and lure.module_slug in demo_modules, lure.slug
    load_library()  # idempotent
    assert SimulationTemplate.objects.count() == len(templates)


def test_an_unknown_placeholder_is_refused_with_the_names_allowed(db):
    with pytest.raises(ValidationError) as refused:
        save_template(
            None, "x", name="X", channel="sms", sender_name="S",
            text_body="Hi {{ salary }} {{ link }}", red_flags=[], module_slug="voice-clone",
        )  # fmt: skip
    message = " ".join(refused.value.messages)
    assert "{{ salary }}" in message and "{{ first_name }}" in message
    assert not SimulationTemplate.objects.exists()


def test_lure_html_is_sanitised_and_links_may_only_point_to_this_site(db, settings):
    saved = save_template(
        None, "x", name="X", channel="email", sender_name="S", subject="Hi",
        html_body='<p onclick="steal()">Hi</p><script>alert(1)</script><a href="{{ link }}">go</a>',
        text_body="{{ link }}", red_flags=["a"], module_slug="voice-clone",
    )  # fmt: skip
    assert "script" not in saved.html_body and "onclick" not in saved.html_body
    assert 'href="{{ link }}"' in saved.html_body
    with pytest.raises(ValidationError, match=r"evil\.example"):
        save_template(
            None, "y", name="Y", channel="email", sender_name="S", subject="Hi",
            html_body='<a href="https://evil.example/x">go</a>', text_body="x",
            red_flags=[], module_slug="voice-clone",
        )  # fmt: skip
    with pytest.raises(ValidationError, match="first_name"):
        save_template(
            None, "n", name="N", channel="email", sender_name="S", subject="Hi",
            html_body='<a href="{{ first_name }}">go</a>', text_body="x",
            red_flags=["a"], module_slug="voice-clone",
        )  # fmt: skip
    with pytest.raises(ValidationError, match=r"evil\.example"):
        save_template(
            None, "z", name="Z", channel="sms", sender_name="S",
            text_body="see http://evil.example/{{ link }}", red_flags=[], module_slug="voice-clone",
        )  # fmt: skip


def test_placeholders_are_escaped_in_html():
    values = {"first_name": '<img src=x onerror="alert(1)">'}
    assert fill("<p>{{ first_name }}</p>", values, html=True) == (
        "<p>&lt;img src=x onerror=&quot;alert(1)&quot;&gt;</p>"
    )


# --- Who may be targeted ----------------------------------------------------------------------


def test_a_launch_with_addresses_off_the_verified_domains_is_refused_whole(
    bank_admin, departments, library
):
    retail, _treasury = departments
    verify(bank_admin.organization)
    staff(retail, 2)
    outsider = MembershipFactory(
        organization=bank_admin.organization, user=UserFactory(email="amy@gmail.example")
    )
    retail.members.add(outsider)
    simulation = simulate(bank_admin, [retail])

    with pytest.raises(ValidationError) as refused:
        services.launch_simulation(bank_admin, simulation, now=timezone.now())

    assert "1 address is not on your organisation's verified domains: amy@gmail.example" in (
        " ".join(refused.value.messages)
    )
    assert not Delivery.objects.exists() and not Notification.objects.exists()
    simulation.refresh_from_db()
    assert simulation.status == SimulationStatus.DRAFT


def test_children_and_classroom_accounts_are_never_targeted(bank_admin, departments, library):
    retail, _treasury = departments
    verify(bank_admin.organization)
    staff(retail, 1)
    child = MembershipFactory(organization=bank_admin.organization, user__age_band="13-15")
    retail.members.add(child)
    simulation = simulate(bank_admin, [retail])
    with pytest.raises(ValidationError, match="child or classroom account"):
        services.launch_simulation(bank_admin, simulation, now=timezone.now())
    assert not Notification.objects.exists()


def test_a_public_account_without_membership_of_the_organisation_is_refused(
    bank_admin, departments, library, other_org_admin
):
    retail, _treasury = departments
    verify(bank_admin.organization)
    retail.members.add(MembershipFactory(organization=other_org_admin.organization))
    simulation = simulate(bank_admin, [retail])
    with pytest.raises(ValidationError, match="not a member of your organisation"):
        services.launch_simulation(bank_admin, simulation, now=timezone.now())
    assert not Notification.objects.exists()


def test_text_lures_go_only_to_confirmed_phones_through_the_gateway(
    bank_admin, departments, library, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.SMS_SINK_PATH = tmp_path / "sms.jsonl"
    retail, _treasury = departments
    confirmed, unconfirmed = staff(retail, 2)
    confirmed.phone_number, confirmed.phone_confirmed_at = "+85291234567", timezone.now()
    confirmed.save()
    unconfirmed.phone_number = "+85291234568"
    unconfirmed.save()
    simulation = simulate(bank_admin, [retail], slug="parcel-fee")
    with pytest.raises(ValidationError, match="1 person has no confirmed phone number"):
        services.launch_simulation(bank_admin, simulation, now=timezone.now())

    retail.members.remove(unconfirmed)
    now = timezone.now()
    services.launch_simulation(bank_admin, simulation, now=now)
    unpaced(bank_admin.organization)
    assert send_due(now + timedelta(hours=4), django_capture_on_commit_callbacks) == 1
    (text,) = read_sink()
    assert text["to"] == "+85291234567" and text["sender"] == "ParcelPost"
    assert text["headers"]["X-Awareness-Simulation"] == f"harbour-{bank_admin.organization_id}"
    token = re.search(r"/s/([\w-]+)/", text["body"]).group(1)
    assert Delivery.objects.get().token_hash == hash_token(token)


# --- Approval and the audit log ---------------------------------------------------------------


def test_a_second_admin_must_approve_when_the_organisation_asks_for_it(
    bank_admin, departments, library
):
    retail, _treasury = departments
    verify(bank_admin.organization)
    staff(retail, 1)
    SimulationPolicy.objects.filter(pk=simulation_policy(bank_admin.organization_id).pk).update(
        require_approval=True
    )
    simulation = simulate(bank_admin, [retail])
    assert simulation.status == SimulationStatus.AWAITING_APPROVAL
    with pytest.raises(ValidationError, match="approve it first"):
        services.launch_simulation(bank_admin, simulation, now=timezone.now())
    with pytest.raises(ValidationError, match="Another administrator"):
        services.approve_simulation(bank_admin, simulation)

    second = MembershipFactory(organization=bank_admin.organization, role=Role.ADMIN)
    services.approve_simulation(second, simulation)
    services.launch_simulation(bank_admin, simulation, now=timezone.now())
    services.cancel_simulation(bank_admin, simulation)

    actions = list(
        AuditEvent.objects.filter(organization=bank_admin.organization)
        .order_by("pk")
        .values_list("action", "actor_id")
    )
    assert actions == [
        ("simulation.created", bank_admin.user_id),
        ("simulation.approved", second.user_id),
        ("simulation.launched", bank_admin.user_id),
        ("simulation.cancelled", bank_admin.user_id),
    ]
    assert not Notification.objects.exclude(status=NotificationStatus.CANCELLED).exists()


def test_managers_and_other_organisations_cannot_launch(
    bank_admin, departments, library, other_org_admin
):
    retail, _treasury = departments
    simulation = simulate(bank_admin, [retail])
    manager = retail.leader
    for actor in (manager, other_org_admin):
        with pytest.raises(PermissionDenied):
            services.launch_simulation(actor, simulation, now=timezone.now())


# --- Sending: spread over the window, paced, through the outbox -------------------------------


def test_lures_are_spread_over_the_window_and_paced_per_organisation(
    bank_admin, departments, library, smtp_sink, django_capture_on_commit_callbacks, settings
):
    settings.TICK_SECONDS = 60
    retail, treasury = departments
    verify(bank_admin.organization)
    staff(retail, 4)
    staff(treasury, 4)
    now = timezone.now()
    simulation = simulate(bank_admin, [retail, treasury], send_over_hours=4)
    services.launch_simulation(bank_admin, simulation, now=now)

    due = sorted(Notification.objects.values_list("not_before", flat=True))
    assert len(due) == 8 and due[0] == now and due[-1] == now + timedelta(hours=3, minutes=30)
    assert send_due(now + timedelta(minutes=1), django_capture_on_commit_callbacks) == 1

    SendingPolicy.objects.filter(organization=bank_admin.organization).delete()
    SendingPolicy.objects.create(organization=bank_admin.organization, per_minute=3, per_day=0)
    assert send_due(now + timedelta(hours=5), django_capture_on_commit_callbacks) == 3
    assert len(smtp_sink) == 4


def test_each_person_gets_one_lure_with_the_marker_headers_and_only_links_to_this_site(
    bank_admin, departments, library, smtp_sink, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://awareness.example"
    settings.ABUSE_CONTACT = "abuse@awareness.example"
    retail, _treasury = departments
    verify(bank_admin.organization)
    people = staff(retail, 3)
    unpaced(bank_admin.organization)
    now = timezone.now()
    services.launch_simulation(bank_admin, simulate(bank_admin, [retail]), now=now)
    assert send_due(now + timedelta(hours=4), django_capture_on_commit_callbacks) == 3
    assert send_due(now + timedelta(hours=5), django_capture_on_commit_callbacks) == 0
    for notification_ids in [list(Notification.objects.values_list("pk", flat=True))]:
        assert services.deliver(notification_ids) == 0  # a retried batch sends nothing again

    assert sorted(m["To"] for m in smtp_sink) == sorted(p.user.email for p in people)
    lure = smtp_sink[0]
    assert lure["X-Awareness-Simulation"] == f"harbour-{bank_admin.organization_id}"
    assert lure["X-Abuse-Contact"] == "abuse@awareness.example"
    assert lure["Subject"] == "Unusual sign-in blocked: verify your account"
    assert lure["From"].startswith("Account Security Team <")
    html = lure.get_body(("html",)).get_content()
    text = lure.get_body(("plain",)).get_content()
    links = re.findall(r'(?:href|src)="([^"]+)"', html) + re.findall(r"https?://\S+", text)
    assert links and all(link.startswith("https://awareness.example/s/") for link in links)
    token = re.search(r"/s/([\w-]+)/", text).group(1)
    assert len(token) >= 30  # 24 random bytes
    assert f"https://awareness.example/s/{token}/report/" in html
    assert f"Report this message: https://awareness.example/s/{token}/report/" in text
    stored = set(Delivery.objects.values_list("token_hash", flat=True))
    assert hash_token(token) in stored and token not in stored


def test_a_lure_to_a_domain_that_lost_its_verification_is_not_sent(
    bank_admin, departments, library, smtp_sink, django_capture_on_commit_callbacks
):
    retail, _treasury = departments
    domain = verify(bank_admin.organization)
    staff(retail, 2)
    unpaced(bank_admin.organization)
    now = timezone.now()
    services.launch_simulation(bank_admin, simulate(bank_admin, [retail]), now=now)
    domain.delete()
    send_due(now + timedelta(hours=4), django_capture_on_commit_callbacks)
    assert smtp_sink == []
    assert set(Notification.objects.values_list("status", flat=True)) == {"cancelled"}


def test_the_transparency_page_publishes_the_abuse_contact_and_marker_header(client, settings):
    settings.ABUSE_CONTACT = "abuse@awareness.example"
    page = client.get("/transparency/").content.decode()
    assert 'href="mailto:abuse@awareness.example"' in page
    assert "X-Awareness-Simulation" in page


def test_red_flags_must_be_sentences(db):
    with pytest.raises(ValidationError, match="red flags"):
        save_template(
            None, "x", name="X", channel="sms", sender_name="S", text_body="{{ link }}",
            red_flags=[{"Voices can be cloned": "call back"}], module_slug="voice-clone",
        )  # fmt: skip
