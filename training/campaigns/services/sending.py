"""Sending profiles: lures in the bank's own name, from an address on one of its verified
domains, DKIM-signed with a key generated per domain."""

import base64

import dkim
from cryptography.fernet import InvalidToken
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from awareness.lib.sealing import secret_box
from awareness.safety.services import record_audit
from training.campaigns.models import DomainKey, SendingProfile
from training.people.domains import domain_of_address
from training.people.models import Membership, VerifiedDomain
from training.people.selectors import require_admin, verified_domain_names

# What a DKIM signature covers: enough that no one can change who a lure is from or what it says.
SIGNED_HEADERS = [b"from", b"to", b"subject", b"date", b"message-id", b"reply-to"]


# The purpose name the lure-sending secrets (DKIM keys, mailbox passwords) are sealed under.
SENDING_SECRETS = "dkim"


def domain_key(domain: VerifiedDomain) -> DomainKey:
    """The domain's DKIM key, generated the first time it is needed (RSA 2048)."""
    existing = DomainKey.objects.filter(domain=domain).first()
    if existing is not None:
        return existing
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,  # RFC 8017, as dkimpy reads it
        serialization.NoEncryption(),
    )
    public = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return DomainKey.objects.create(
        domain=domain,
        selector=f"awareness{timezone.now():%Y%m}",
        private_key=secret_box(SENDING_SECRETS).encrypt(pem).decode(),
        public_key=base64.b64encode(public).decode(),
    )


def _verified_domain(organization_id: int, address: str) -> VerifiedDomain | None:
    return VerifiedDomain.objects.filter(
        organization_id=organization_id,
        domain=domain_of_address(address) or "",
        verified_at__isnull=False,
    ).first()


@transaction.atomic
def save_sending_profile(actor: Membership, **fields) -> SendingProfile:
    """A new profile; its From and Reply-To must be on the organisation's verified domains."""
    require_admin(actor)
    domains = verified_domain_names(actor.organization_id)
    for label, address in ((_("From address"), fields["from_address"]),
                           (_("Reply-To"), fields.get("reply_to", ""))):  # fmt: skip
        if address and domain_of_address(address) not in domains:
            raise ValidationError(
                _(
                    "%(field)s %(address)s is not on one of your organisation's verified "
                    "domains (%(domains)s). Verify its domain first, or use an address on one."
                )
                % {
                    "field": label,
                    "address": address,
                    "domains": ", ".join(sorted(domains)) or _("none yet"),
                }
            )
    if SendingProfile.objects.filter(
        organization_id=actor.organization_id, name=fields["name"]
    ).exists():
        raise ValidationError(_("There is already a profile with this name."))
    profile = SendingProfile.objects.create(organization_id=actor.organization_id, **fields)
    if profile.sign_dkim:
        domain_key(_verified_domain(actor.organization_id, profile.from_address))
    record_audit(
        actor=actor.user,
        organization=actor.organization,
        action="sending_profile.created",
        target=profile,
        details={"from": profile.from_address, "dkim": profile.sign_dkim},
    )
    return profile


def signing_key(profile: SendingProfile) -> tuple[bytes, bytes, bytes] | None:
    """(selector, domain, private key PEM) to sign the profile's mail with, or None when it
    does not sign or its domain is no longer verified."""
    if not profile.sign_dkim:
        return None
    key = (
        DomainKey.objects.filter(
            domain__organization_id=profile.organization_id,
            domain__domain=domain_of_address(profile.from_address) or "",
            domain__verified_at__isnull=False,
        )
        .select_related("domain")
        .first()
    )
    if key is None:
        return None
    try:
        pem = secret_box(SENDING_SECRETS).decrypt(key.private_key.encode())
    except InvalidToken:  # SECRET_KEY changed without a fallback: send unsigned, not never
        return None
    return key.selector.encode(), key.domain.domain.encode(), pem


class SignedEmail(EmailMultiAlternatives):
    """An e-mail whose bytes on the wire carry a DKIM signature over exactly those bytes."""

    def __init__(self, *args, signing: tuple[bytes, bytes, bytes], **kwargs):
        super().__init__(*args, **kwargs)
        self.signing = signing

    def message(self, **kwargs):
        message = super().message(**kwargs)
        unsigned = message.as_bytes(linesep="\r\n")
        selector, domain, pem = self.signing
        signature = dkim.sign(
            unsigned, selector, domain, pem,
            include_headers=SIGNED_HEADERS, canonicalize=(b"relaxed", b"relaxed"),
        )  # fmt: skip
        signed = signature + unsigned
        message.as_bytes = lambda *args, **kwargs: signed  # what the SMTP backend sends
        return message
