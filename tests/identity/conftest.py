import json

import pytest

from tests.conftest import free_port, wait_for_port


def start_oidc_provider(start_process, *users: dict) -> str:
    """A real OpenID Connect provider process on loopback; its issuer is its base URL."""
    port = free_port()
    process = start_process(
        "tests/identity/oidc_provider.py", str(port), *(json.dumps(u) for u in users)
    )
    wait_for_port(port, process)
    return f"http://127.0.0.1:{port}"


@pytest.fixture
def oidc_provider(start_process):
    return lambda *users: start_oidc_provider(start_process, *users)


@pytest.fixture
def bank_owner(db):
    return bank_with_owner()


def bank_with_owner():
    """The owner of Harbour City Bank, which verified harbourbank.example."""
    from django.utils import timezone

    from tests.people.factories import MembershipFactory, OrganizationFactory, UserFactory
    from training.people.models import Role, VerifiedDomain

    bank = OrganizationFactory(name="Harbour City Bank", slug="harbour", kind="bank")
    now = timezone.now()
    VerifiedDomain.objects.create(
        organization=bank, domain="harbourbank.example", method="dns", requested_at=now,
        verified_at=now,
    )  # fmt: skip
    return MembershipFactory(
        organization=bank,
        role=Role.OWNER,
        user=UserFactory(username="ciso", email="ciso@harbourbank.example"),
    )


def connect_provider(owner, issuer: str, **changes):
    """The owner's provider settings, saved through the service as the settings page does."""
    from django.utils import timezone

    from training.identity.services import configure_oidc

    values = {
        "issuer": issuer,
        "client_id": "awareness-web",
        "client_secret": "s3cret-from-the-idp",
        "default_role": "learner",
        "department_claim": "department",
        "require_sso": False,
        "break_glass_owner": None,
    }
    return configure_oidc(owner, **(values | changes), now=timezone.now())


def code_from_secret(secret_text: str, drift: int = 0) -> str:
    """What the authenticator app shows for the key typed from the page ("ABCD EFGH ...")."""
    import base64

    from django_otp.oath import totp

    key = secret_text.replace(" ", "")
    key = base64.b32decode(key + "=" * (-len(key) % 8))
    return f"{totp(key, drift=drift):06d}"


def enrol_in_browser(page) -> str:
    """On the two-factor set-up page: read the key as the person would type it into their
    app, type the app's code, keep the recovery codes; returns the key."""
    from playwright.sync_api import expect

    secret = page.locator("#totp-secret").inner_text()
    page.get_by_label("Code").fill(code_from_secret(secret))
    page.get_by_role("button", name="Turn on two-factor authentication").click()
    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    expect(page.locator(".recovery-codes li")).to_have_count(10)
    return secret
