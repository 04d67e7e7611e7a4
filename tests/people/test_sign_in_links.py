"""Set-up and sign-in links, as people use them: from the mail in the outbox to the page.
Bad links (unknown, reused, expired), unknown addresses and too many requests get a clear
answer and change nothing."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tests.people.factories import MembershipFactory, UserFactory
from training.people.models import LinkPurpose, SignInLink
from training.people.services.sign_in import send_set_up_link

pytestmark = pytest.mark.django_db


def link_in(message) -> str:
    return re.search(r"https?://\S+?(/accounts/\S+/)", message.body).group(1)


@pytest.fixture
def new_staff(bank_admin):
    """Someone an import added: a first name, an e-mail address, no password, never signed in."""
    user = UserFactory(
        username="alice.wong", first_name="Alice", email="alice.wong@harbour.example"
    )
    user.password = UNUSABLE_PASSWORD_PREFIX + "x"
    user.save()
    return MembershipFactory(organization=bank_admin.organization, user=user)


def set_up_mail(member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send_set_up_link(member, now=timezone.now())
    return mail.outbox[-1]


def test_set_up_mail_greets_by_first_name_and_the_link_sets_a_password(
    client, new_staff, django_capture_on_commit_callbacks
):
    message = set_up_mail(new_staff, django_capture_on_commit_callbacks)
    assert message.to == ["alice.wong@harbour.example"]
    assert message.body.startswith("Hello Alice,")
    link = link_in(message)
    page = client.get(link)
    assert b"Set up your account" in page.content and b"alice.wong@harbour.example" in page.content
    response = client.post(
        link,
        {
            "action": "password",
            "password1": "a long passphrase 9",
            "password2": "a long passphrase 9",
        },
    )
    assert response.status_code == 302 and response.url == reverse("my_training")
    new_staff.refresh_from_db()
    assert new_staff.activated_at is not None
    client.logout()
    # The e-mail address now signs in with that password.
    response = client.post(
        reverse("login"),
        {"username": "Alice.Wong@harbour.example", "password": "a long passphrase 9"},
    )
    assert response.status_code == 302


def test_skipping_the_password_signs_in_and_leaves_no_usable_password(
    client, new_staff, django_capture_on_commit_callbacks
):
    link = link_in(set_up_mail(new_staff, django_capture_on_commit_callbacks))
    response = client.post(link, {"action": "skip"})
    assert response.status_code == 302
    assert client.get(reverse("my_training")).status_code == 200
    new_staff.user.refresh_from_db()
    assert not new_staff.user.has_usable_password()


def test_a_set_up_link_works_once(client, new_staff, django_capture_on_commit_callbacks):
    link = link_in(set_up_mail(new_staff, django_capture_on_commit_callbacks))
    client.post(link, {"action": "skip"})
    client.logout()
    response = client.post(
        link,
        {
            "action": "password",
            "password1": "another pass 12345",
            "password2": "another pass 12345",
        },
    )
    assert response.status_code == 410
    assert b"already been used" in response.content
    new_staff.user.refresh_from_db()
    assert not new_staff.user.has_usable_password()


def test_an_expired_set_up_link_says_so_and_changes_nothing(
    client, new_staff, django_capture_on_commit_callbacks
):
    link = link_in(set_up_mail(new_staff, django_capture_on_commit_callbacks))
    SignInLink.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.post(link, {"action": "skip"})
    assert response.status_code == 410 and b"expired" in response.content
    assert "_auth_user_id" not in client.session
    new_staff.refresh_from_db()
    assert new_staff.activated_at is None


def test_a_resent_set_up_link_voids_the_earlier_one(
    client, new_staff, django_capture_on_commit_callbacks
):
    first = link_in(set_up_mail(new_staff, django_capture_on_commit_callbacks))
    second = link_in(set_up_mail(new_staff, django_capture_on_commit_callbacks))
    assert client.post(first, {"action": "skip"}).status_code == 410
    assert client.post(second, {"action": "skip"}).status_code == 302


def test_an_unknown_link_is_refused(client):
    response = client.get(reverse("account_set_up", args=["not-a-real-token"]))
    assert response.status_code == 410 and b"not valid" in response.content


def test_a_weak_password_is_refused_and_the_link_still_works(
    request_link, client, new_staff, django_capture_on_commit_callbacks
):
    link = link_in(set_up_mail(new_staff, django_capture_on_commit_callbacks))
    response = client.post(link, {"action": "password", "password1": "123", "password2": "123"})
    assert response.status_code == 400 and b"too short" in response.content
    assert not SignInLink.objects.filter(used_at__isnull=False).exists()
    response = client.post(link, {"action": "password", "password1": "abc", "password2": "abd"})
    assert response.status_code == 400
    assert client.post(link, {"action": "skip"}).status_code == 302


@pytest.fixture
def request_link(client, django_capture_on_commit_callbacks):
    """Ask for a sign-in link on the page; mail goes out after commit, as in production."""

    def ask(_client, email, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("sign_in_link"), {"email": email, **extra})

    return ask


def test_a_sign_in_link_signs_in_once_and_continues_where_asked(request_link, client, new_staff):
    response = request_link(client, "ALICE.WONG@harbour.example", next="/my-training/parcel-fees/")
    assert response.status_code == 200 and b"Check your e-mail" in response.content
    link = link_in(mail.outbox[-1])
    assert mail.outbox[-1].body.startswith("Hello Alice,")
    # Opening the link (as a mail scanner does) uses nothing; the button does.
    assert client.get(link).status_code == 200
    response = client.post(link)
    assert response.status_code == 302 and response.url == "/my-training/parcel-fees/"
    new_staff.refresh_from_db()
    assert new_staff.activated_at is not None
    client.logout()
    response = client.post(link)
    assert response.status_code == 410 and b"already been used" in response.content
    assert "_auth_user_id" not in client.session


def test_a_sign_in_link_expires_after_fifteen_minutes(request_link, client, new_staff):
    request_link(client, new_staff.user.email)
    link = link_in(mail.outbox[-1])
    SignInLink.objects.update(expires_at=timezone.now())
    response = client.post(link)
    assert response.status_code == 410 and b"expired" in response.content
    assert "_auth_user_id" not in client.session


def test_an_unknown_address_gets_the_same_answer_and_no_mail(request_link, client, new_staff):
    known = request_link(client, new_staff.user.email)
    unknown = request_link(client, "nobody@harbour.example")
    assert unknown.status_code == known.status_code == 200
    said = b"If an account uses that address, a sign-in link is on its way."
    assert said in known.content and said in unknown.content
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [new_staff.user.email]


def test_classroom_accounts_get_no_sign_in_links(request_link, client, bank_admin):
    # Even one that somehow has an address: their teacher resets their password instead.
    child = UserFactory(is_pseudonymous=True, email="kid@example.org")
    MembershipFactory(organization=bank_admin.organization, user=child)
    assert request_link(client, "kid@example.org").status_code == 200
    assert mail.outbox == []
    assert SignInLink.objects.count() == 0


def test_one_address_gets_at_most_three_links_in_fifteen_minutes(request_link, client, new_staff):
    for _ in range(5):
        assert request_link(client, new_staff.user.email).status_code == 200
    assert len(mail.outbox) == 3
    assert SignInLink.objects.filter(purpose=LinkPurpose.SIGN_IN).count() == 3


def test_too_many_requests_from_one_address_get_a_429(request_link, client, settings, new_staff):
    settings.RATELIMIT_SIGN_IN_LINK = "2/h"
    request_link(client, "a@harbour.example")
    request_link(client, "b@harbour.example")
    response = request_link(client, new_staff.user.email)
    assert response.status_code == 429
    assert mail.outbox == []


def test_a_bad_address_is_a_clear_400(request_link, client):
    response = request_link(client, "not an address")
    assert response.status_code == 400 and b"valid email" in response.content.lower()
    assert SignInLink.objects.count() == 0


def test_the_log_in_page_offers_a_sign_in_link_that_keeps_where_to_go(client):
    page = client.get(reverse("login") + "?next=/my-training/parcel-fees/")
    assert b"E-mail me a sign-in link" in page.content
    assert b"/accounts/sign-in-link/?next=/my-training/parcel-fees/" in page.content


def test_admins_see_who_has_not_activated_and_can_resend(
    client, bank_admin, new_staff, django_capture_on_commit_callbacks
):
    client.force_login(bank_admin.user)
    page = client.get(reverse("member_list", args=[bank_admin.organization.slug]))
    assert b"Not activated yet" in page.content
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("member_set_up_link", args=[bank_admin.organization.slug, new_staff.pk])
        )
    assert response.status_code == 302
    assert mail.outbox[-1].to == [new_staff.user.email]


def test_resending_to_another_organisations_member_is_a_404(client, bank_admin, other_org_admin):
    stranger = MembershipFactory(organization=other_org_admin.organization)
    client.force_login(bank_admin.user)
    response = client.post(
        reverse("member_set_up_link", args=[bank_admin.organization.slug, stranger.pk])
    )
    assert response.status_code == 404
    assert mail.outbox == []


def test_no_set_up_link_for_someone_who_has_signed_in(client, bank_admin):
    client.force_login(bank_admin.user)
    response = client.post(
        reverse("member_set_up_link", args=[bank_admin.organization.slug, bank_admin.pk]),
        follow=True,
    )
    assert b"has already signed in" in response.content
    assert mail.outbox == []


def test_a_wrong_password_or_unknown_address_does_not_sign_in(client, bank_admin):
    for username in (bank_admin.user.email, "nobody@harbour.example"):
        response = client.post(reverse("login"), {"username": username, "password": "wrong"})
        assert response.status_code == 200
        assert b"Please enter a correct" in response.content
        assert "_auth_user_id" not in client.session
