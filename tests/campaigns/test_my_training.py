"""One "my training" for every learner: campaign and class assignments alike, soonest due
first; assignment links ask to sign in first; results say what they counted for; the setup
checklist ticks itself off."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.campaigns.conftest import staff
from tests.people.factories import GroupFactory, MembershipFactory
from training.campaigns import services
from training.campaigns.models import ClassAssignment
from training.people.onboarding import setup_checklist

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign_for_alice(bank_admin, departments, loaded_pack, django_capture_on_commit_callbacks):
    from awareness.content.models import Module

    retail, _ = departments
    [alice] = staff(retail, 1)
    campaign = services.create_campaign(
        bank_admin,
        name="Q1 scam awareness",
        modules=[Module.objects.get(slug="parcel-fees", language="en", is_current=True)],
        groups=[retail],
        starts_at=timezone.now() - timedelta(days=1),
        due_days=14,
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.schedule_campaign(bank_admin, campaign, now=timezone.now())
    run = campaign.runs.get()
    services.launch_run(run.pk)
    for chunk in run.chunks.all():
        services.enroll_chunk(chunk.pk)
    return alice


def test_my_training_lists_campaign_and_class_assignments_soonest_due_first(
    client, campaign_for_alice, django_assert_num_queries
):
    alice = campaign_for_alice
    chess_club = GroupFactory(organization=alice.organization, name="Chess club")
    chess_club.members.add(alice)
    ClassAssignment.objects.create(
        group=chess_club,
        module_slug="parcel-fees",
        module_title="Parcel fees",
        starts_at=timezone.now() - timedelta(days=2),
        due_at=timezone.now() + timedelta(days=3),
    )
    client.force_login(alice.user)
    client.get(reverse("my_training"))
    # user; memberships, class assignments, their learners, attempts; campaign assignments,
    # attempts (the session is in the cache)
    with django_assert_num_queries(7):
        response = client.get(reverse("my_training"))
    items = response.context["training"]
    assert [item.set_by for item in items] == ["Chess club", "Q1 scam awareness"]
    assert all(item.cell.status == "not_started" for item in items)
    assert b"Q1 scam awareness" in response.content


def test_an_assignment_link_signed_out_asks_to_sign_in_then_goes_to_the_module(client):
    link = reverse("assigned_module", args=["parcel-fees"])
    response = client.get(link)
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={link}"


def test_my_training_needs_an_account(client):
    response = client.get(reverse("my_training"))
    assert response.status_code == 302 and reverse("login") in response.url


def test_the_results_page_says_which_campaign_it_counted_for(client, campaign_for_alice):
    from awareness.content.models import Module
    from training.progress.services import Learner, finish_attempt, start_attempt

    alice = campaign_for_alice
    module = Module.objects.get(slug="parcel-fees", language="en", is_current=True)
    attempt = start_attempt(
        module, Learner(user=alice.user, key="", max_age_rating=18), now=timezone.now()
    )
    finish_attempt(attempt, now=timezone.now())
    client.force_login(alice.user)
    response = client.get(reverse("results", args=[attempt.public_id]))
    assert b"This counted for your training: Q1 scam awareness." in response.content
    items = client.get(reverse("my_training")).context["training"]
    assert [item.cell.status for item in items] == ["completed"]


def test_an_anonymous_attempt_counts_for_nothing(client, loaded_pack):
    from awareness.content.models import Module
    from training.campaigns.my_training import counted_for
    from training.progress.models import Attempt

    module = Module.objects.get(slug="parcel-fees", language="en", is_current=True)
    attempt = Attempt(module=module, learner_key="x", finished_at=timezone.now())
    assert counted_for(attempt) == []


def test_the_bank_checklist_ticks_itself_off(bank_admin):
    org = bank_admin.organization
    assert [step.done for step in setup_checklist(org)] == [False, False, False, False]
    retail = GroupFactory(organization=org, name="Retail", kind="department")
    retail.members.add(MembershipFactory(organization=org))
    assert [step.done for step in setup_checklist(org)] == [True, True, False, False]


def test_the_school_checklist_is_gone_once_done(educator):
    school = educator.organization
    class_4b = school.groups.get()
    assert [step.done for step in setup_checklist(school)] == [True, False, False]
    class_4b.members.add(MembershipFactory(organization=school))
    ClassAssignment.objects.create(
        group=class_4b,
        module_slug="parcel-fees",
        module_title="Parcel fees",
        starts_at=timezone.now(),
        due_at=timezone.now() + timedelta(days=3),
    )
    assert setup_checklist(school) == []


def test_a_schools_menu_leaves_out_what_schools_do_not_use(client, educator):
    from training.people.models import Role

    owner = MembershipFactory(organization=educator.organization, role=Role.OWNER)
    client.force_login(owner.user)
    page = client.get(reverse("organization_home", args=[educator.organization.slug]))
    nav = page.content.decode().split('class="org-nav"')[1].split("</nav>")[0]
    assert "Scam simulations" not in nav and "API tokens" not in nav and "Settings" in nav
    settings_page = client.get(reverse("organization_settings", args=["kowloon"]))
    assert b"Scam simulations" in settings_page.content and b"API tokens" in settings_page.content
