"""Two-factor authentication with django-otp: enrolment reads the key as a person would from
the page, recovery codes work once and their use is audited, a lost authenticator is replaced,
launching a simulation needs a verified session, and an organisation can require it of staff."""

import re
import time

import pytest

from awareness.safety.models import AuditEvent
from tests.campaigns.simulation_helpers import load_library, template, verify
from tests.identity.conftest import code_from_secret
from tests.people.factories import PASSWORD, GroupFactory, MembershipFactory, UserFactory
from training.campaigns.services import create_simulation
from training.people.models import Role

TWO_FACTOR = "/accounts/two-factor/"


def log_in(client, username):
    response = client.post("/accounts/log-in/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302


def enrol(client) -> tuple[str, list[str]]:
    page = client.get(TWO_FACTOR).content.decode()
    secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', page).group(1)
    assert "<svg" in page  # the QR code of the same key
    done = client.post(TWO_FACTOR, {"code": code_from_secret(secret), "next": "/orgs/"})
    assert done.status_code == 200
    codes = re.findall(r"<li><code>([0-9a-f]{10})</code></li>", done.content.decode())
    return secret, codes


@pytest.fixture
def admin(db):
    from tests.people.factories import OrganizationFactory

    bank = OrganizationFactory(name="Harbour City Bank", slug="harbour")
    return MembershipFactory(organization=bank, role=Role.ADMIN,
                             user=UserFactory(username="it-admin"))  # fmt: skip


def test_enrolling_turns_two_factor_on_and_shows_ten_recovery_codes_once(client, admin):
    log_in(client, "it-admin")
    page = client.get(TWO_FACTOR).content.decode()
    wrong = client.post(TWO_FACTOR, {"code": "000000"})
    assert wrong.status_code == 400 and "not right" in wrong.content.decode()
    time.sleep(1.1)  # django-otp makes the next try wait a second after a wrong code
    again = client.get(TWO_FACTOR).content.decode()
    secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', page).group(1)
    assert secret in again  # the same key until it is confirmed

    done = client.post(TWO_FACTOR, {"code": code_from_secret(secret)})

    codes = re.findall(r"<li><code>([0-9a-f]{10})</code></li>", done.content.decode())
    assert len(set(codes)) == 10
    assert "Confirm it" in client.get(TWO_FACTOR).content.decode()  # no second enrolment
    assert AuditEvent.objects.filter(action="mfa.enrolled", actor=admin.user).count() == 1


def test_a_recovery_code_works_once_and_lets_a_lost_authenticator_be_replaced(client, admin):
    log_in(client, "it-admin")
    _secret, codes = enrol(client)
    client.logout()
    log_in(client, "it-admin")

    used = client.post(TWO_FACTOR, {"code": codes[0], "next": "/orgs/"})
    assert "You have 9 recovery codes left." in used.content.decode()
    client.logout()
    log_in(client, "it-admin")
    assert client.post(TWO_FACTOR, {"code": codes[0]}).status_code == 400
    time.sleep(1.1)
    client.post(TWO_FACTOR, {"code": codes[1]})

    client.post("/accounts/two-factor/new-authenticator/")
    page = client.get(TWO_FACTOR).content.decode()
    assert "Set up two-factor authentication" in page
    actions = list(
        AuditEvent.objects.filter(actor=admin.user).order_by("pk").values_list("action", flat=True)
    )
    assert actions == ["mfa.enrolled", "mfa.recovery_code_used", "mfa.failed",
                       "mfa.recovery_code_used", "mfa.authenticator_removed"]  # fmt: skip


def test_new_authenticator_needs_a_confirmed_session(client, admin):
    log_in(client, "it-admin")
    enrol(client)
    client.logout()
    log_in(client, "it-admin")
    client.post("/accounts/two-factor/new-authenticator/")
    assert "Confirm it" in client.get(TWO_FACTOR).content.decode()
    assert not AuditEvent.objects.filter(action="mfa.authenticator_removed").exists()


def test_launching_a_simulation_needs_a_second_factor_and_others_get_404(
    client, admin, other_org_admin
):
    load_library()
    verify(admin.organization)
    retail = GroupFactory(organization=admin.organization, name="Retail", kind="department")
    retail.members.add(MembershipFactory(organization=admin.organization))
    simulation = create_simulation(
        admin, template=template("payroll-change"), name="Payroll", groups=[retail]
    )
    launch = f"/orgs/harbour/simulations/{simulation.pk}/launch/"
    log_in(client, "it-admin")

    response = client.post(
        launch, HTTP_REFERER=f"http://testserver/orgs/harbour/simulations/{simulation.pk}/"
    )
    assert response["Location"] == (
        f"/accounts/two-factor/?next=%2Forgs%2Fharbour%2Fsimulations%2F{simulation.pk}%2F"
    )
    simulation.refresh_from_db()
    assert simulation.status == "draft"
    enrol(client)
    client.post(launch)
    simulation.refresh_from_db()
    assert simulation.status != "draft"
    client.logout()
    log_in(client, other_org_admin.user.username)
    assert client.post(f"/orgs/elsewhere/simulations/{simulation.pk}/launch/").status_code == 404


def test_an_organisation_can_require_a_second_factor_of_every_staff_role(client, admin):
    owner = MembershipFactory(organization=admin.organization, role=Role.OWNER,
                              user=UserFactory(username="ciso"))  # fmt: skip
    MembershipFactory(organization=admin.organization, role=Role.MANAGER,
                      user=UserFactory(username="manager"))  # fmt: skip
    MembershipFactory(organization=admin.organization, user=UserFactory(username="teller"))
    log_in(client, "ciso")
    client.post("/orgs/harbour/sign-in/two-factor/", {"required_for_staff": "on"})
    assert AuditEvent.objects.get(action="mfa.policy_changed").details == {
        "required_for_staff": True
    }
    assert client.get("/orgs/harbour/").status_code == 302  # the owner too
    client.logout()

    log_in(client, "manager")
    response = client.get("/orgs/harbour/")
    assert response["Location"] == "/accounts/two-factor/?next=%2Forgs%2Fharbour%2F"
    client.logout()
    log_in(client, "teller")
    assert client.get("/orgs/harbour/").status_code == 200  # learners are not staff
    assert owner.organization.two_factor_policy.required_for_staff


def test_only_an_owner_sets_the_two_factor_policy(client, admin):
    log_in(client, "it-admin")
    response = client.post("/orgs/harbour/sign-in/two-factor/", {"required_for_staff": "on"})
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action="mfa.policy_changed").exists()
