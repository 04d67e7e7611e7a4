"""Hostile input on every public form and endpoint: each answers with a page or a clear 4xx,
never a 500, and never reflects markup unescaped. Run on PostgreSQL in CI, which refuses NUL
characters that SQLite would store."""

from urllib.parse import quote_from_bytes

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tests.people.factories import UserFactory
from training.people.models import Group, RosterImport

pytestmark = pytest.mark.django_db

MARKUP = [b"<script>alert('x')</script>", b'"><svg onload=alert(1)>']
PAYLOADS = [
    *MARKUP,
    b"' OR '1'='1' --",
    b"1; DROP TABLE people_user; --",
    b"\x00",
    b"mei\x00admin",
    "\ud800".encode("utf-8", "surrogatepass"),  # a lone surrogate: invalid UTF-8
    b"\xc0\xaf\xc0\xae",  # overlong encodings of "/" and "."
    b"\xff\xfe\xfd",
    b"../../../../etc/passwd",
    b"..\\..\\..\\windows\\win.ini",
    "\u202egnp.exe\u0301\ufeff".encode(),
    b"{{ settings.SECRET_KEY }}{% debug %}",
    b"99999999999999999999999999",
    b"-1",
    b"A" * 5_000,
]


def form_body(fields: dict[str, bytes | str]) -> str:
    """URL-encode raw bytes as a browser (or an attacker) would send them."""
    return "&".join(
        f"{name}={quote_from_bytes(value if isinstance(value, bytes) else value.encode())}"
        for name, value in fields.items()
    )


def check(response) -> None:
    assert response.status_code < 500
    body = response.content
    for markup in MARKUP:
        assert markup not in body
    assert settings.SECRET_KEY.encode() not in body


@pytest.fixture(autouse=True)
def no_limits(settings):
    """Every payload must reach the form: rate limits would answer 429 before it."""
    for name in dir(settings):
        if name.startswith("RATELIMIT_"):
            setattr(settings, name, "100000/h")
    settings.AXES_FAILURE_LIMIT = 100000
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def targets(client, loaded_pack, educator):
    """(method, address, fields with a {} slot for the payload) of every public form."""
    from awareness.content.models import Module
    from training.live.services import start_live_session

    play = client.post(reverse("start", args=["parcel-fees"])).url
    module = Module.objects.get(slug="parcel-fees", language="en", is_current=True)
    live = start_live_session(educator.user, module, seconds=30, now=timezone.now())
    code = Group.objects.get(name="4B").join_code
    return [
        ("post", reverse("sign_up"), ["username", "email", "password1", "password2", "age_band"]),
        ("post", reverse("login"), ["username", "password", "next"]),
        ("post", reverse("password_reset"), ["email"]),
        (
            "post",
            reverse("removal_request"),
            ["example", "link", "reason", "contact_email", "details", "started"],
        ),
        ("get", reverse("removal_request"), ["example"]),
        ("get", reverse("join_start"), ["code"]),
        ("post", reverse("join_start"), ["code"]),
        ("post", reverse("join_group", args=[code]), ["action", "age_band"]),
        ("get", reverse("live_join_start"), ["pin"]),
        ("post", reverse("live_join", args=[live.pin]), ["nickname"]),
        (
            "post",
            f"{play}answer/",
            ["position", "verdict", "confidence", "choice", "choices", "spots", "real"],
        ),
        ("post", f"{play}continue/", ["position"]),
        ("post", reverse("set_age_band"), ["age_band"]),
        ("post", reverse("set_language"), ["language", "next"]),
        ("get", reverse("catalogue"), ["scam_type", "audience", "available_in", "length"]),
        ("get", reverse("museum"), ["channel", "scam_type"]),
    ]


def test_no_hostile_value_in_any_field_causes_a_500_or_is_reflected(client, targets):
    for payload in PAYLOADS:
        for method, address, names in targets:
            body = form_body({name: payload for name in names})
            if method == "get":
                response = client.get(f"{address}?{body}")
            else:
                response = client.post(
                    address, body, content_type="application/x-www-form-urlencoded"
                )
            check(response)


def test_hostile_codes_in_addresses_are_refused_cleanly(client, targets):
    for payload in PAYLOADS:
        segment = quote_from_bytes(payload, safe="")
        for prefix in (
            "/join/",
            "/certificates/",
            "/learn/",
            "/museum/",
            "/live/",
            "/invitations/",
            "/accounts/password-reset/MQ/",
        ):
            check(client.get(f"{prefix}{segment}/"))
        check(client.get(f"/accounts/password-reset/{segment}/set-password/"))
        check(client.post(f"/invitations/{segment}/", {"action": "accept"}))
        check(client.post(f"/join/{segment}/", {"action": "new", "age_band": "under-13"}))


def test_a_huge_body_is_refused_with_400_and_changes_nothing(client, targets):
    from awareness.safety.models import RemovalRequest
    from training.progress.models import Answer

    users = UserFactory._meta.model.objects.count()
    huge = "x" * (5 * 1024 * 1024)
    for method, address, names in targets:
        if method == "post":
            response = client.post(address, {names[0]: huge})
            assert response.status_code == 400, address
    assert UserFactory._meta.model.objects.count() == users
    assert not RemovalRequest.objects.exists() and not Answer.objects.exists()


def test_a_roster_file_name_with_a_path_or_bad_characters_is_stored_as_a_plain_name(
    client, bank_admin
):
    client.force_login(bank_admin.user)
    content = b"first_name,last_name,email\nMei,Chan,mei@harbour.example\n"
    for name in (
        "../../../../etc/cron.d/evil.csv",
        "..\\..\\evil.csv",
        "ro\x00ster.csv",
        "<script>alert('x')</script>.csv",
        "\u202evsc.exe",
    ):
        upload = SimpleUploadedFile(name, content, content_type="text/csv")
        response = client.post(
            reverse("roster_upload", args=[bank_admin.organization.slug]), {"file": upload}
        )
        check(response)
    for stored in RosterImport.objects.values_list("file_name", flat=True):
        assert "/" not in stored and "\\" not in stored and "\x00" not in stored


def test_authored_lesson_text_cannot_carry_markup_or_script_links():
    from awareness.content.templatetags.lessons import lesson_html

    html = lesson_html(
        "<script>alert('x')</script> <img src=x onerror=alert(1)>\n\n"
        "[prize](javascript:alert(1)) [file](data:text/html,x) [ok](https://example.org)"
    )

    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;" in html
    assert 'href="javascript:' not in html and 'href="data:' not in html
    assert '<a href="https://example.org">ok</a>' in html
