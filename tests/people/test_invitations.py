import hashlib
import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.people.factories import GroupFactory, MembershipFactory, UserFactory
from training.people.models import Invitation, InvitationStatus, Membership, Role
from training.people.services import accept_invitation, invite

pytestmark = pytest.mark.django_db

INVITED = "wing@example.org"


def send_invitation(admin, *, email=INVITED, role=Role.MANAGER, group=None, now=None):
    """The service directly, as the view calls it; returns the token the e-mail would carry."""
    _invitation, token = invite(
        admin,
        email=email,
        role=role,
        group=group,
        base_url="https://training.example/",
        now=now or timezone.now(),
    )
    return token


def list_url(membership):
    return reverse("invitation_list", args=[membership.organization.slug])


def respond_url(token):
    return reverse("invitation_respond", args=[token])


def log_in_as_invited(client, email=INVITED):
    user = UserFactory(email=email)
    client.force_login(user)
    return user


def test_invite_sends_one_multipart_e_mail_over_smtp_whose_link_works(
    client, bank_admin, smtp_sink, django_capture_on_commit_callbacks
):
    group = GroupFactory(organization=bank_admin.organization, name="Fraud desk")
    client.force_login(bank_admin.user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            list_url(bank_admin),
            {"email": INVITED, "role": Role.MANAGER, "group": group.pk},
            secure=True,
        )

    assert response.status_code == 302
    assert len(smtp_sink) == 1
    message = smtp_sink[0]
    assert message["To"] == INVITED
    assert "Harbour City Bank" in message["Subject"]
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    link = re.search(r"https://testserver/invitations/([\w-]+)/", text)
    assert link
    assert f'href="{link.group(0)}"' in html
    token = link.group(1)
    invitation = Invitation.objects.get()
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert invitation.expires_at - invitation.created_at == timedelta(days=7)

    client.logout()
    log_in_as_invited(client)
    page = client.get(link.group(0).removeprefix("https://testserver"))
    assert page.status_code == 200
    assert "Harbour City Bank" in page.content.decode()
    assert "Fraud desk" in page.content.decode()


def test_accepting_creates_the_membership_with_the_role_and_the_group(client, bank_admin):
    group = GroupFactory(organization=bank_admin.organization, name="Fraud desk")
    token = send_invitation(bank_admin, role=Role.MANAGER, group=group)
    user = log_in_as_invited(client)

    response = client.post(respond_url(token), {"action": "accept"})

    assert response.status_code == 302
    assert response.url == reverse("organization_home", args=["harbour"])
    member = Membership.objects.get(user=user)
    assert (member.organization, member.role, member.is_active) == (
        bank_admin.organization,
        Role.MANAGER,
        True,
    )
    assert list(group.members.all()) == [member]
    invitation = Invitation.objects.get()
    assert (invitation.status, invitation.accepted_by) == (InvitationStatus.ACCEPTED, user)


def test_the_invited_address_matches_whatever_its_case(client, bank_admin):
    token = send_invitation(bank_admin, email="Wing@Example.org")
    user = log_in_as_invited(client, email="wing@EXAMPLE.ORG")

    client.post(respond_url(token), {"action": "accept"})

    assert Membership.objects.filter(user=user, organization=bank_admin.organization).exists()


def test_a_second_use_of_the_link_is_refused_and_changes_nothing(client, bank_admin):
    token = send_invitation(bank_admin, role=Role.EDUCATOR)
    user = log_in_as_invited(client)
    client.post(respond_url(token), {"action": "accept"})
    member = Membership.objects.get(user=user)
    member.role = Role.LEARNER  # the admin changes the role afterwards
    member.save(update_fields=["role"])
    responded_at = Invitation.objects.get().responded_at

    response = client.post(respond_url(token), {"action": "accept"})

    assert response.status_code == 410
    assert "already been used" in response.content.decode()
    assert Membership.objects.get(user=user).role == Role.LEARNER
    assert Membership.objects.count() == 2
    assert Invitation.objects.get().responded_at == responded_at
    with pytest.raises(ValidationError, match="already been used"):
        accept_invitation(token, user, timezone.now())


def test_an_expired_link_is_refused(client, bank_admin):
    token = send_invitation(bank_admin, now=timezone.now() - timedelta(days=8))
    log_in_as_invited(client)

    page = client.get(respond_url(token))
    response = client.post(respond_url(token), {"action": "accept"})

    assert page.status_code == 410
    assert "This invitation expired on" in page.content.decode()
    assert response.status_code == 410
    assert Membership.objects.count() == 1
    assert Invitation.objects.get().status == InvitationStatus.PENDING


def test_a_revoked_link_is_refused(client, bank_admin):
    token = send_invitation(bank_admin)
    invitation = Invitation.objects.get()
    client.force_login(bank_admin.user)
    revoked = client.post(
        reverse("invitation_revoke", args=["harbour", invitation.pk]), follow=True
    )
    client.logout()
    log_in_as_invited(client)

    response = client.post(respond_url(token), {"action": "accept"})

    assert "no longer works" in revoked.content.decode()
    assert response.status_code == 410
    assert "Harbour City Bank withdrew this invitation" in response.content.decode()
    assert Membership.objects.count() == 1


def test_a_new_invitation_to_the_same_address_makes_the_old_link_stop_working(client, bank_admin):
    old_token = send_invitation(bank_admin, role=Role.ADMIN)
    new_token = send_invitation(bank_admin, email=INVITED.upper(), role=Role.LEARNER)
    log_in_as_invited(client)

    refused = client.post(respond_url(old_token), {"action": "accept"})
    accepted = client.post(respond_url(new_token), {"action": "accept"})

    assert refused.status_code == 410
    assert accepted.status_code == 302
    assert Membership.objects.get(user__email=INVITED).role == Role.LEARNER
    assert Invitation.objects.filter(status=InvitationStatus.PENDING).count() == 0


def test_declining_needs_no_account_and_ends_the_link(client, bank_admin):
    token = send_invitation(bank_admin)

    declined = client.post(respond_url(token), {"action": "decline"})
    log_in_as_invited(client)
    later = client.post(respond_url(token), {"action": "accept"})

    assert declined.status_code == 302
    assert Invitation.objects.get().status == InvitationStatus.DECLINED
    assert later.status_code == 410
    assert "declined" in later.content.decode()
    assert Membership.objects.count() == 1


def test_an_account_with_another_e_mail_address_cannot_accept(client, bank_admin):
    token = send_invitation(bank_admin)
    stranger = log_in_as_invited(client, email="someone.else@example.org")

    page = client.get(respond_url(token))
    response = client.post(respond_url(token), {"action": "accept"})

    assert f"This invitation was sent to {INVITED}" in page.content.decode()
    assert 'value="accept"' not in page.content.decode()
    assert response.status_code == 400
    assert f"This invitation was sent to {INVITED}" in response.content.decode()
    assert not Membership.objects.filter(user=stranger).exists()
    assert Invitation.objects.get().status == InvitationStatus.PENDING


def test_a_visitor_who_is_not_logged_in_is_sent_to_log_in_and_back(client, bank_admin):
    UserFactory(email=INVITED)
    token = send_invitation(bank_admin)

    page = client.get(respond_url(token))
    response = client.post(respond_url(token), {"action": "accept"})

    assert f"?next=/invitations/{token}/" in page.content.decode().replace("%2F", "/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert Invitation.objects.get().status == InvitationStatus.PENDING


def test_an_ended_membership_is_reactivated_with_the_invited_role(client, bank_admin):
    user = UserFactory(email=INVITED)
    MembershipFactory(
        organization=bank_admin.organization, user=user, role=Role.LEARNER, is_active=False
    )
    token = send_invitation(bank_admin, role=Role.EDUCATOR)
    client.force_login(user)

    client.post(respond_url(token), {"action": "accept"})

    member = Membership.objects.get(user=user)
    assert (member.is_active, member.role) == (True, Role.EDUCATOR)


def test_a_non_admin_gets_403(client, educator, bank_admin):
    send_invitation(MembershipFactory(organization=educator.organization, role=Role.ADMIN))
    invitation = Invitation.objects.get()
    client.force_login(educator.user)

    listing = client.get(list_url(educator))
    inviting = client.post(list_url(educator), {"email": INVITED, "role": Role.LEARNER})
    revoking = client.post(reverse("invitation_revoke", args=["kowloon", invitation.pk]))

    assert (listing.status_code, inviting.status_code, revoking.status_code) == (403, 403, 403)
    assert Invitation.objects.count() == 1
    assert Invitation.objects.get().status == InvitationStatus.PENDING


def test_other_organisation_gets_404(client, bank_admin, other_org_admin):
    send_invitation(bank_admin)
    ours = Invitation.objects.get()
    client.force_login(other_org_admin.user)

    listing = client.get(list_url(bank_admin))
    revoking_here = client.post(reverse("invitation_revoke", args=["harbour", ours.pk]))
    revoking_from_home = client.post(reverse("invitation_revoke", args=["elsewhere", ours.pk]))

    assert listing.status_code == 404
    assert revoking_here.status_code == 404
    assert revoking_from_home.status_code == 404
    assert Invitation.objects.get().status == InvitationStatus.PENDING


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": "not-an-address", "role": Role.LEARNER}, "Enter a valid email address."),
        ({"email": "", "role": Role.LEARNER}, "This field is required."),
        ({"email": INVITED, "role": Role.OWNER}, "Select a valid choice."),
        ({"email": INVITED, "role": "wizard"}, "Select a valid choice."),
    ],
)
def test_bad_input_explains_the_problem_and_creates_nothing(
    client, bank_admin, data, message, smtp_sink, django_capture_on_commit_callbacks
):
    client.force_login(bank_admin.user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(list_url(bank_admin), data)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Invitation.objects.exists()
    assert smtp_sink == []


def test_an_active_member_cannot_be_invited_again(client, bank_admin):
    MembershipFactory(organization=bank_admin.organization, user=UserFactory(email=INVITED))
    client.force_login(bank_admin.user)

    response = client.post(list_url(bank_admin), {"email": "WING@example.org", "role": "learner"})

    assert response.status_code == 400
    assert "is already a member of Harbour City Bank" in response.content.decode()
    assert not Invitation.objects.exists()


def test_another_organisations_group_cannot_be_chosen(client, bank_admin, educator):
    foreign_group = educator.organization.groups.get()
    client.force_login(bank_admin.user)

    response = client.post(
        list_url(bank_admin), {"email": INVITED, "role": "learner", "group": foreign_group.pk}
    )

    assert response.status_code == 400
    assert not Invitation.objects.exists()
    with pytest.raises(ValidationError, match="not part of your organisation"):
        send_invitation(bank_admin, group=foreign_group)


def test_only_an_owner_can_invite_an_owner(bank_admin):
    with pytest.raises(ValidationError, match="Only an owner"):
        send_invitation(bank_admin, role=Role.OWNER)
    owner = MembershipFactory(organization=bank_admin.organization, role=Role.OWNER)

    send_invitation(owner, role=Role.OWNER)

    assert Invitation.objects.get().role == Role.OWNER


def test_answers_to_invitations_are_rate_limited(client, bank_admin, settings):
    settings.RATELIMIT_INVITATION_RESPONSE = "2/h"
    token = send_invitation(bank_admin)
    for _attempt in range(2):
        client.post(respond_url(token), {"action": "nothing"})

    response = client.post(respond_url(token), {"action": "decline"})

    assert response.status_code == 429
    assert Invitation.objects.get().status == InvitationStatus.PENDING


def test_an_unknown_link_is_404(client):
    assert client.get(respond_url("no-such-token")).status_code == 404


def test_invitation_list_queries_do_not_grow_with_invitations(
    client, bank_admin, django_assert_max_num_queries, django_assert_num_queries
):
    GroupFactory(organization=bank_admin.organization)
    for number in range(2):
        send_invitation(bank_admin, email=f"person{number}@example.org")
    client.force_login(bank_admin.user)

    with django_assert_max_num_queries(10) as few:
        assert client.get(list_url(bank_admin)).status_code == 200
    group = GroupFactory(organization=bank_admin.organization)
    for number in range(2, 30):
        send_invitation(bank_admin, email=f"person{number}@example.org", group=group)

    with django_assert_num_queries(len(few)):
        response = client.get(list_url(bank_admin))

    assert response.content.decode().count("person") == 30


def test_someone_without_an_account_accepts_and_sets_it_up_from_the_link(client, bank_admin):
    token = send_invitation(bank_admin)
    page = client.get(respond_url(token))
    assert b"Accept and set up my account" in page.content

    response = client.post(respond_url(token), {"action": "join", "first_name": "Mei"})
    assert response.status_code == 302 and "/accounts/set-up/" in response.url
    set_up = client.post(response.url, {"action": "skip"})
    assert set_up.status_code == 302
    member = Membership.objects.get(user__email=INVITED)
    assert member.user.first_name == "Mei" and member.activated_at is not None
    assert Invitation.objects.get().status == InvitationStatus.ACCEPTED
    # The invitation link worked once.
    assert client.post(respond_url(token), {"action": "join", "first_name": "X"}).status_code == 410


def test_a_new_person_without_a_first_name_is_a_400_and_nothing_changes(client, bank_admin):
    token = send_invitation(bank_admin)
    response = client.post(respond_url(token), {"action": "join", "first_name": ""})
    assert response.status_code == 400
    assert not Membership.objects.filter(user__email=INVITED).exists()
    assert Invitation.objects.get().status == InvitationStatus.PENDING
