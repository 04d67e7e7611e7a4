"""Domain names and phone numbers: normalising and checking them, without the database.

A domain is kept the way DNS sees it: lowercase ASCII (IDNA), no trailing dot, so
"Bücher.Example." and "xn--bcher-kva.example" are one domain. Phone numbers are E.164.
"""

import re

import idna
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# The TXT record an organisation publishes at its domain to prove it controls it.
TXT_PREFIX = "awareness-verification="

# Mailboxes that only a domain's administrators read (RFC 2142 and common practice): the
# e-mail method sends its link to one of these, chosen by the organisation's admin.
ADMIN_MAILBOXES = ("postmaster", "hostmaster", "webmaster", "admin", "administrator")

# Public mail services: anyone can have an address there, so verifying one would let an
# organisation target strangers. Never verifiable, whatever the proof.
WEBMAIL_DOMAINS = frozenset(
    {
        "126.com",
        "139.com",
        "163.com",
        "aim.com",
        "aol.com",
        "fastmail.com",
        "gmail.com",
        "gmx.com",
        "gmx.de",
        "gmx.net",
        "googlemail.com",
        "hey.com",
        "hotmail.co.uk",
        "hotmail.com",
        "hushmail.com",
        "icloud.com",
        "live.com",
        "mac.com",
        "mail.com",
        "mail.ru",
        "me.com",
        "msn.com",
        "naver.com",
        "netvigator.com",
        "outlook.com",
        "pm.me",
        "proton.me",
        "protonmail.com",
        "qq.com",
        "rocketmail.com",
        "sina.com",
        "sohu.com",
        "tutanota.com",
        "web.de",
        "yahoo.co.jp",
        "yahoo.co.uk",
        "yahoo.com",
        "yahoo.com.hk",
        "yahoo.com.tw",
        "yandex.com",
        "yandex.ru",
        "yeah.net",
        "ymail.com",
        "zoho.com",
    }
)

_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


def normalize_domain(value: str) -> str:
    """The domain in its DNS form; ValidationError with a readable message if it is none."""
    text = (value or "").strip().rstrip(".")
    if "@" in text or "/" in text or ":" in text or " " in text:
        raise ValidationError(
            _("Enter a domain name only, such as example.com: no address, web link or spaces."),
            code="malformed",
        )
    if not text:
        raise ValidationError(_("Enter a domain name, such as example.com."), code="malformed")
    try:
        ascii_name = idna.encode(text, uts46=True).decode("ascii")
    except idna.IDNAError:
        raise ValidationError(
            _("“%(domain)s” is not a valid domain name.") % {"domain": value.strip()},
            code="malformed",
        ) from None
    labels = ascii_name.split(".")
    if (
        len(ascii_name) > 253
        or len(labels) < 2
        or not all(_LABEL.match(label) for label in labels)
        or labels[-1].isdigit()
    ):
        raise ValidationError(
            _("“%(domain)s” is not a valid domain name, such as example.com.")
            % {"domain": value.strip()},
            code="malformed",
        )
    return ascii_name


def domain_of_address(email: str) -> str | None:
    """The normalised domain of an e-mail address; None when there is no valid one."""
    local, at, domain = (email or "").strip().rpartition("@")
    if not at or not local:
        return None
    try:
        return normalize_domain(domain)
    except ValidationError:
        return None


def is_webmail(domain: str) -> bool:
    """A public mail service, or a name under one (mail.gmail.com)."""
    labels = domain.split(".")
    return any(".".join(labels[i:]) in WEBMAIL_DOMAINS for i in range(len(labels) - 1))


def display_domain(domain: str) -> str:
    """The domain as people read it (Unicode), for pages; the ASCII form if it won't decode."""
    try:
        return idna.decode(domain)
    except idna.IDNAError:
        return domain


# --- Phone numbers ----------------------------------------------------------------------------

_E164 = re.compile(r"^\+[1-9][0-9]{6,14}$")
_SEPARATORS = re.compile(r"[\s\-().]")


def normalize_phone(value: str) -> str:
    """An E.164 number (+ and 7 to 15 digits) from what a person types: spaces, dashes, dots
    and brackets are dropped, a leading 00 becomes +. ValidationError otherwise."""
    text = _SEPARATORS.sub("", (value or "").strip())
    if text.startswith("00"):
        text = "+" + text[2:]
    if not _E164.match(text):
        raise ValidationError(
            _(
                "Enter the number in international form, starting with + and the country "
                "code, such as +852 9123 4567."
            ),
            code="invalid_phone",
        )
    return text


def validate_e164(value: str) -> None:
    """Model-field validator: the stored value must already be normalised."""
    if value and not _E164.match(value):
        raise ValidationError(
            _("Phone numbers are stored in E.164 form, such as +85291234567."),
            code="invalid_phone",
        )
