"""Members' phone numbers: only a number its owner confirmed with a texted code can receive an
SMS-style simulation. Texts go through the local SMS gateway into a file of the test's own."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from awareness.lib.sms import read_sink
from awareness.safety.models import AuditEvent
from tests.conftest import free_port
from tests.people.factories import MembershipFactory, UserFactory
from training.people.models import AgeBand, Membership, PhoneCode, Role
from training.people.selectors import confirmed_phone, confirmed_phones
from training.people.services import set_phone

pytestmark = pytest.mark.django_db

NUMBER = "+85291234567"


@pytest.fixture(autouse=True)
def sms_sink(settings, tmp_path):
    settings.SMS_GATEWAY = "awareness.lib.sms.LocalFileGateway"
    settings.SMS_SINK_PATH = tmp_path / "sms.jsonl"
    return settings.SMS_SINK_PATH


@pytest.fixture
def teller(bank_admin):
    """A cashier at Harbour City Bank, signed in."""
    return MembershipFactory(organization=bank_admin.organization, role=Role.LEARNER)


def url(name, membership):
    return reverse(name, args=[membership.organization.slug])


def texted_code(number=NUMBER) -> str:
    messages = [m for m in read_sink() if m["to"] == number]
    assert messages, "no text was sent"
    return re.search(r"\b(\d{6})\b", messages[-1]["body"]).group(1)


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def test_a_member_adds_their_number_and_confirms_it_with_the_texted_code(client, teller):
    client.force_login(teller.user)
    page = client.get(url("my_membership", teller)).content.decode()
    assert "Mobile phone for text-message exercises" in page

    response = client.post(url("phone_set", teller), {"phone_number": "+852 9123-4567"})

    assert response.status_code == 302
    teller.refresh_from_db()
    assert teller.phone_number == NUMBER and teller.phone_confirmed_at is None
    assert confirmed_phone(teller) is None
    [text] = read_sink()
    assert text["to"] == NUMBER and text["sender"] == "Awareness"
    assert "Harbour City Bank" in text["body"] and "Never share it" in text["body"]
    code = texted_code()
    stored = PhoneCode.objects.get()
    assert code not in stored.code_hash and len(stored.code_hash) == 64  # only a keyed hash

    response = client.post(url("phone_confirm", teller), {"code": f"{code[:3]} {code[3:]}"})

    assert response.status_code == 302
    teller.refresh_from_db()
    assert teller.phone_confirmed_at is not None
    assert confirmed_phone(teller) == NUMBER
    assert confirmed_phones(teller.organization) == {teller.pk: NUMBER}
    assert not PhoneCode.objects.exists()
    assert "confirmed on" in client.get(url("my_membership", teller)).content.decode()
    events = AuditEvent.objects.filter(target_id=str(teller.pk)).order_by("pk")
    assert [e.action for e in events] == ["phone.added", "phone.confirmed"]
    assert all(NUMBER not in str(e.details) for e in events)  # the number stays out of the log


def test_a_wrong_code_is_counted_and_too_many_kill_the_code(client, teller, settings):
    settings.PHONE_CODE_ATTEMPTS = 3
    client.force_login(teller.user)
    client.post(url("phone_set", teller), {"phone_number": NUMBER})
    code = texted_code()

    first = client.post(url("phone_confirm", teller), {"code": wrong(code)})
    assert first.status_code == 400
    assert "You can try 2 more times" in first.content.decode()
    client.post(url("phone_confirm", teller), {"code": wrong(code)})
    last = client.post(url("phone_confirm", teller), {"code": wrong(code)})
    assert "Too many wrong codes" in last.content.decode()

    right_but_too_late = client.post(url("phone_confirm", teller), {"code": code})

    assert right_but_too_late.status_code == 400
    assert "Too many wrong codes. Ask for a new code." in right_but_too_late.content.decode()
    teller.refresh_from_db()
    assert teller.phone_confirmed_at is None
    assert PhoneCode.objects.get().attempts == 3

    client.post(url("phone_resend", teller))
    assert client.post(url("phone_confirm", teller), {"code": texted_code()}).status_code == 302
    teller.refresh_from_db()
    assert confirmed_phone(teller) == NUMBER


def test_an_expired_code_is_refused(client, teller):
    client.force_login(teller.user)
    client.post(url("phone_set", teller), {"phone_number": NUMBER})
    code = texted_code()
    PhoneCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    response = client.post(url("phone_confirm", teller), {"code": code})

    assert response.status_code == 400
    assert "This code has expired" in response.content.decode()
    teller.refresh_from_db()
    assert confirmed_phone(teller) is None


def test_a_new_code_replaces_the_old_one_and_sends_are_limited_per_hour(client, teller, settings):
    settings.PHONE_CODES_PER_HOUR = 2
    client.force_login(teller.user)
    client.post(url("phone_set", teller), {"phone_number": NUMBER})
    first = texted_code()

    client.post(url("phone_resend", teller))
    second = texted_code()
    refused = client.post(url("phone_resend", teller), follow=True)

    assert "You have asked for 2 codes in the last hour" in refused.content.decode()
    assert len(read_sink()) == 2
    if first != second:
        assert client.post(url("phone_confirm", teller), {"code": first}).status_code == 400
    assert client.post(url("phone_confirm", teller), {"code": second}).status_code == 302

    PhoneCode.objects.all().delete()
    Membership.objects.filter(pk=teller.pk).update(phone_confirmed_at=None)
    client.post(url("phone_resend", teller))  # an hour later, or after confirming: allowed again
    assert len(read_sink()) == 3


def test_the_send_code_button_is_rate_limited_per_address(client, teller, settings):
    settings.RATELIMIT_PHONE_CODE = "2/h"
    client.force_login(teller.user)

    statuses = [
        client.post(url("phone_set", teller), {"phone_number": NUMBER}).status_code,
        client.post(url("phone_resend", teller)).status_code,
        client.post(url("phone_resend", teller)).status_code,
    ]

    assert statuses == [302, 302, 429]
    assert len(read_sink()) == 2


def test_changing_the_number_clears_the_confirmation(client, teller):
    client.force_login(teller.user)
    client.post(url("phone_set", teller), {"phone_number": NUMBER})
    client.post(url("phone_confirm", teller), {"code": texted_code()})
    old_code_number = NUMBER

    client.post(url("phone_set", teller), {"phone_number": "+85298765432"})

    teller.refresh_from_db()
    assert teller.phone_number == "+85298765432" and teller.phone_confirmed_at is None
    assert confirmed_phone(teller) is None
    assert confirmed_phones(teller.organization) == {}
    assert read_sink()[-1]["to"] == "+85298765432"
    # A code sent to the old number does not confirm the new one.
    response = client.post(url("phone_confirm", teller), {"code": texted_code(old_code_number)})
    assert response.status_code == 400
    assert "changed" in AuditEvent.objects.order_by("pk").last().action


def test_removing_the_number_means_no_more_texts(client, teller):
    client.force_login(teller.user)
    client.post(url("phone_set", teller), {"phone_number": NUMBER})
    client.post(url("phone_confirm", teller), {"code": texted_code()})

    client.post(url("phone_remove", teller))

    teller.refresh_from_db()
    assert teller.phone_number == "" and confirmed_phone(teller) is None
    assert AuditEvent.objects.filter(action="phone.removed").count() == 1


@pytest.mark.parametrize("typed", ["91234567", "+0 123 4567", "+852 9123 45678 90123", "call me"])
def test_a_number_not_in_international_form_is_refused(client, teller, typed):
    client.force_login(teller.user)

    response = client.post(url("phone_set", teller), {"phone_number": typed})

    assert response.status_code == 400
    assert "international form" in response.content.decode()
    assert read_sink() == []
    teller.refresh_from_db()
    assert teller.phone_number == ""


def test_an_administrator_cannot_set_or_confirm_a_number_for_somebody_else(
    client, bank_admin, teller
):
    with pytest.raises(PermissionDenied):
        set_phone(teller, bank_admin.user, NUMBER, timezone.now())

    # The pages act on the signed-in member's own membership only: there is no member id.
    client.force_login(bank_admin.user)
    client.post(url("phone_set", bank_admin), {"phone_number": NUMBER, "member_id": teller.pk})
    teller.refresh_from_db()
    bank_admin.refresh_from_db()
    assert teller.phone_number == "" and bank_admin.phone_number == NUMBER
    # A number written straight into the database without the owner's code is not used.
    Membership.objects.filter(pk=teller.pk).update(phone_number="+85290000000")
    teller.refresh_from_db()
    assert confirmed_phone(teller) is None


@pytest.mark.parametrize(
    "account", [{"age_band": AgeBand.UNDER_13}, {"age_band": AgeBand.FROM_16},
                {"is_pseudonymous": True}],
)  # fmt: skip
def test_children_and_classroom_accounts_have_no_phone_feature(client, educator, account):
    child = MembershipFactory(organization=educator.organization, user=UserFactory(**account))
    client.force_login(child.user)

    page = client.get(url("my_membership", child))

    assert page.status_code == 200
    assert "Mobile phone" not in page.content.decode()
    for name in ("phone_set", "phone_resend", "phone_confirm"):
        assert client.post(url(name, child), {"phone_number": NUMBER}).status_code == 403
    assert read_sink() == []
    # Even a number somehow stored and confirmed is never handed out for a child.
    Membership.objects.filter(pk=child.pk).update(
        phone_number=NUMBER, phone_confirmed_at=timezone.now()
    )
    child.refresh_from_db()
    assert confirmed_phone(child) is None
    assert confirmed_phones(educator.organization) == {}


def test_an_ended_membership_has_no_confirmed_phone(teller):
    Membership.objects.filter(pk=teller.pk).update(
        phone_number=NUMBER, phone_confirmed_at=timezone.now(), is_active=False
    )
    teller.refresh_from_db()

    assert confirmed_phone(teller) is None
    assert confirmed_phones(teller.organization) == {}


def test_a_gateway_failure_is_shown_and_nothing_is_confirmed(client, teller, settings):
    settings.SMS_GATEWAY = "awareness.lib.sms.HttpGateway"
    settings.SMS_HTTP_URL = f"http://127.0.0.1:{free_port()}/"  # nothing listens there
    settings.SMS_HTTP_TIMEOUT = 1
    client.force_login(teller.user)

    response = client.post(url("phone_set", teller), {"phone_number": NUMBER})

    assert response.status_code == 400
    assert "Texts cannot be sent just now" in response.content.decode()
    teller.refresh_from_db()
    assert teller.phone_number == NUMBER and confirmed_phone(teller) is None


def test_the_members_data_download_holds_their_number_but_no_code(client, teller):
    import json

    client.force_login(teller.user)
    client.post(url("phone_set", teller), {"phone_number": NUMBER})

    data = json.loads(client.post(reverse("my_data_download")).content)

    [membership] = data["memberships"]
    assert membership["phone_number"] == NUMBER and membership["phone_confirmed_at"] is None
    [pending] = data["other_records"]["people.PhoneCode"]
    assert "code_hash" not in pending and pending["phone_number"] == NUMBER


def test_switching_numbers_neither_revives_an_old_code_nor_resets_the_hourly_limit(
    client, teller, settings
):
    settings.PHONE_CODES_PER_HOUR = 3
    other = "+85298765432"
    client.force_login(teller.user)
    client.post(url("phone_set", teller), {"phone_number": NUMBER})
    first_code = texted_code(NUMBER)
    client.post(url("phone_set", teller), {"phone_number": other})
    client.post(url("phone_set", teller), {"phone_number": NUMBER})  # back: a third code

    assert len(read_sink()) == 3
    latest = texted_code(NUMBER)
    if first_code != latest:
        assert client.post(url("phone_confirm", teller), {"code": first_code}).status_code == 400
    refused = client.post(url("phone_set", teller), {"phone_number": other})
    assert refused.status_code == 400
    assert "You have asked for 3 codes in the last hour" in refused.content.decode()
    assert len(read_sink()) == 3
