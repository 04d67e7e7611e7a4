"""Consent: nothing depicting a real person is published without a valid record; revocation
survives reloading the pack and is audited."""

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from awareness.content.models import Example, Module
from awareness.content.packs import PackError, read_pack
from awareness.safety.models import AuditEvent, ConsentRecord
from awareness.safety.services import revoke_consent
from tests.safety.conftest import write_consent_pack

pytestmark = pytest.mark.django_db


@pytest.fixture
def pack(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media-root"
    return write_consent_pack(tmp_path / "pack")


def problems_of(pack) -> list[str]:
    with pytest.raises(PackError) as raised:
        read_pack(pack)
    return raised.value.problems


def edit(path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def test_an_example_depicting_a_real_person_loads_with_its_consent_record(pack):
    call_command("load_content", str(pack))

    example = Example.objects.get(slug="portrait-call")
    assert example.depicts_real_person and example.consent.key == "lee-consent"
    assert example.consent.likeness == ["face", "voice"]
    assert example.consent.expires_at.date().isoformat() == "2099-01-01"
    assert AuditEvent.objects.filter(action="consent.recorded", target_label="lee-consent")
    assert AuditEvent.objects.filter(action="content.published").count() == 1


def test_without_consent_it_is_refused_with_the_file_and_line(pack):
    edit(pack / "examples" / "portrait-call.yaml", "consent: lee-consent\n", "")

    assert problems_of(pack) == [
        "examples/portrait-call.yaml:9: an example that depicts a real person needs "
        '"consent": an id in consents.yaml'
    ]
    with pytest.raises(CommandError, match="nothing was loaded"):
        call_command("load_content", str(pack))
    assert not Example.objects.exists()


def test_an_unknown_consent_is_refused_with_the_file_and_line(pack):
    edit(pack / "examples" / "portrait-call.yaml", "consent: lee-consent", "consent: someone")

    assert problems_of(pack) == [
        'examples/portrait-call.yaml:10: no consent "someone" in consents.yaml'
    ]


def test_an_expired_consent_is_refused_with_the_file_and_line(pack):
    edit(pack / "consents.yaml", "expires: 2099-01-01", "expires: 2026-02-01")

    assert problems_of(pack) == [
        'examples/portrait-call.yaml:10: consent "lee-consent" expired on 2026-02-01'
    ]


def test_a_malformed_consent_record_is_refused_line_by_line(pack):
    edit(pack / "consents.yaml", "likeness: [face, voice]", "likeness: [smile]")
    edit(pack / "consents.yaml", "granted: 2026-01-01", "granted: soon")

    problems = problems_of(pack)

    assert "consents.yaml:3: likeness must list one or more of face, voice, name" in problems
    assert "consents.yaml:6: granted must be a date (YYYY-MM-DD)" in problems


def test_consent_on_an_example_that_depicts_nobody_is_refused(pack):
    edit(pack / "examples" / "portrait-call.yaml", "depicts_real_person: true", "")

    assert problems_of(pack) == [
        "examples/portrait-call.yaml:10: consent is only for depicts_real_person: true"
    ]


def test_the_database_refuses_a_depicting_example_without_consent(consent_pack):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        Example.objects.filter(slug="parcel-fee-sms").update(depicts_real_person=True)


def test_the_demo_pack_depicts_no_real_person():
    from tests.content.test_demo_pack import DEMO

    demo = read_pack(DEMO)

    assert demo.consents == {}
    assert not any(spec.data["depicts_real_person"] for spec in demo.examples.values())


def test_a_revocation_is_audited_and_survives_reloading_the_pack(consent_pack, reviewer):
    consent = ConsentRecord.objects.get(key="lee-consent")
    revoke_consent(consent, reviewer=reviewer, reason="She asked us to.", now=timezone.now())

    with pytest.raises(CommandError, match="nothing was loaded"):
        call_command("load_content", str(consent_pack))

    consent.refresh_from_db()
    assert consent.revoked_at is not None and consent.revocation_reason == "She asked us to."
    event = AuditEvent.objects.get(action="consent.revoked")
    assert event.actor == reviewer and event.details == {"examples": ["portrait-call"]}


def test_reloading_after_a_revocation_names_the_example_by_file_and_line(consent_pack, reviewer):
    from awareness.content.services import load_pack

    consent = ConsentRecord.objects.get(key="lee-consent")
    revoke_consent(consent, reviewer=reviewer, reason="Withdrawn.", now=timezone.now())

    with pytest.raises(PackError) as raised:
        load_pack(read_pack(consent_pack))

    assert raised.value.problems == [
        f'examples/portrait-call.yaml:10: consent "lee-consent" was revoked on '
        f"{timezone.now():%Y-%m-%d}; remove this example or record new consent"
    ]


def test_staff_revoke_consent_on_their_page_and_the_example_is_gone_at_once(
    client, consent_pack, reviewer
):
    consent = ConsentRecord.objects.get(key="lee-consent")
    client.force_login(reviewer)
    assert "lee-consent" in client.get(reverse("consent_list")).content.decode()

    response = client.post(reverse("consent_revoke", args=[consent.pk]), {"reason": "Asked."})

    assert response.status_code == 302
    assert client.get(reverse("museum_example", args=["portrait-call"])).status_code == 404
    assert "Familiar faces" not in client.get(reverse("catalogue")).content.decode()


def test_a_revocation_needs_a_reason_and_happens_once(client, consent_pack, reviewer):
    consent = ConsentRecord.objects.get(key="lee-consent")
    client.force_login(reviewer)

    client.post(reverse("consent_revoke", args=[consent.pk]), {"reason": ""})
    consent.refresh_from_db()
    assert consent.revoked_at is None
    client.post(reverse("consent_revoke", args=[consent.pk]), {"reason": "Asked."})
    page = client.post(
        reverse("consent_revoke", args=[consent.pk]), {"reason": "Again."}, follow=True
    )

    assert "already been revoked" in page.content.decode()
    assert AuditEvent.objects.filter(action="consent.revoked").count() == 1


def test_only_staff_may_revoke_consent(client, consent_pack, bank_admin):
    consent = ConsentRecord.objects.get(key="lee-consent")
    client.force_login(bank_admin.user)

    assert client.get(reverse("consent_list")).status_code == 403
    assert (
        client.post(reverse("consent_revoke", args=[consent.pk]), {"reason": "x"}).status_code
        == 403
    )
    assert Module.objects.filter(slug="familiar-faces").exists()
