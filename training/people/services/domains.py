"""Verified domains: an organisation proves it controls a mail domain before any simulated lure
can reach an address there.

Two proofs: a TXT record `awareness-verification=<token>` published at the domain (checked with
dnspython through the resolver settings.DOMAIN_RESOLVER_FACTORY returns), or a signed link
e-mailed to one of the domain's administrator mailboxes (postmaster@, hostmaster@, ...), which
whoever holds it can open to confirm. Public webmail domains are never verifiable, and a domain
is verified by one organisation at a time (a database constraint), so no organisation can
target another's staff.
"""

from datetime import datetime
from functools import partial

import dns.exception
import dns.resolver
from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from awareness.safety.services import record_audit
from training.people.domains import (
    ADMIN_MAILBOXES,
    TXT_PREFIX,
    display_domain,
    is_webmail,
    normalize_domain,
)
from training.people.models import DomainMethod, Membership, VerifiedDomain
from training.people.selectors import require_admin

LINK_SALT = "training.people.domain-verification"


class DomainLinkError(Exception):
    """An e-mailed verification link that cannot be used; str() says why, for its holder."""


# --- DNS --------------------------------------------------------------------------------------


def system_resolver() -> dns.resolver.Resolver:
    """The machine's resolver (/etc/resolv.conf), or DNS_NAMESERVERS ("host" or "host:port")
    when set, giving up after DNS_TIMEOUT seconds."""
    nameservers = getattr(settings, "DNS_NAMESERVERS", [])
    resolver = dns.resolver.Resolver(configure=not nameservers)
    if nameservers:
        hosts = []
        for server in nameservers:
            host, _sep, port = server.rpartition(":") if server.count(":") == 1 else ("", "", "")
            hosts.append(host or server)
            if port:
                resolver.port = int(port)
        resolver.nameservers = hosts
    resolver.lifetime = settings.DNS_TIMEOUT
    resolver.timeout = settings.DNS_TIMEOUT
    # Verification must see the published record now, not an answer cached earlier.
    resolver.cache = None
    return resolver


def get_resolver():
    """The one place a resolver comes from: tests point DOMAIN_RESOLVER_FACTORY (or
    DNS_NAMESERVERS) elsewhere."""
    return import_string(settings.DOMAIN_RESOLVER_FACTORY)()


def txt_records(domain: str) -> list[str]:
    """The TXT records at the domain, each joined from its strings. dnspython's exceptions
    (NXDOMAIN, NoAnswer, timeouts) propagate."""
    answer = get_resolver().resolve(domain, "TXT", search=False)
    return [b"".join(rdata.strings).decode("utf-8", errors="replace").strip() for rdata in answer]


def dns_problem(domain: str, error: Exception) -> str:
    """A DNS failure in words for an administrator."""
    name = display_domain(domain)
    if isinstance(error, dns.resolver.NXDOMAIN):
        return _(
            "%(domain)s does not exist in DNS. Check the spelling; a newly registered domain can "
            "take a few hours to appear."
        ) % {"domain": name}
    if isinstance(error, dns.resolver.NoAnswer):
        return _(
            "%(domain)s has no TXT records yet. Publish the record shown on this page; changes "
            "can take up to an hour to appear."
        ) % {"domain": name}
    if isinstance(error, dns.exception.Timeout):
        return _(
            "The DNS servers for %(domain)s did not answer in time. Try again in a few minutes."
        ) % {"domain": name}
    if isinstance(error, dns.resolver.NoNameservers):
        return _(
            "No DNS server could answer for %(domain)s: its DNS may be misconfigured. Try again "
            "later, or ask whoever runs its DNS."
        ) % {"domain": name}
    return _("The DNS look-up of %(domain)s failed. Try again in a few minutes.") % {"domain": name}


# --- Adding, verifying, removing --------------------------------------------------------------


def _refuse_unusable(domain: str) -> None:
    if is_webmail(domain):
        raise ValidationError(
            {
                "domain": _(
                    "%(domain)s is a public e-mail service: anyone can have an address there, "
                    "so it cannot be verified. Add your organisation's own domain."
                )
                % {"domain": display_domain(domain)}
            }
        )


def _verified_elsewhere(domain: str, organization_id: int) -> bool:
    return (
        VerifiedDomain.objects.filter(domain=domain, verified_at__isnull=False)
        .exclude(organization_id=organization_id)
        .exists()
    )


def _taken_error(domain: str) -> ValidationError:
    # Which organisation holds it is not said: that would leak another customer's name.
    return ValidationError(
        {
            "domain": _(
                "%(domain)s is already verified by another organisation, so it cannot be "
                "verified here. If it is yours, contact support."
            )
            % {"domain": display_domain(domain)}
        }
    )


@transaction.atomic
def add_domain(actor: Membership, *, domain: str, method: str, now: datetime) -> VerifiedDomain:
    """Start verifying a domain for the actor's organisation (not yet verified)."""
    require_admin(actor)
    try:
        name = normalize_domain(domain)
    except ValidationError as error:
        raise ValidationError({"domain": error.messages}) from None
    if method not in DomainMethod.values:
        raise ValidationError({"method": _("Choose how to verify the domain.")})
    _refuse_unusable(name)
    if _verified_elsewhere(name, actor.organization_id):
        raise _taken_error(name)
    if VerifiedDomain.objects.filter(organization_id=actor.organization_id, domain=name).exists():
        raise ValidationError(
            {"domain": _("%(domain)s is already on your list.") % {"domain": display_domain(name)}}
        )
    try:
        with transaction.atomic():
            verified_domain = VerifiedDomain.objects.create(
                organization_id=actor.organization_id,
                domain=name,
                method=method,
                requested_by=actor.user,
                requested_at=now,
            )
    except IntegrityError:  # the same domain added twice at once
        raise ValidationError(
            {"domain": _("%(domain)s is already on your list.") % {"domain": display_domain(name)}}
        ) from None
    record_audit(
        actor=actor.user,
        organization=actor.organization,
        action="domain.added",
        target=verified_domain,
        details={"domain": name, "method": method},
    )
    return verified_domain


def _own_pending(actor: Membership, verified_domain: VerifiedDomain, method: str) -> None:
    require_admin(actor)
    if verified_domain.organization_id != actor.organization_id:
        raise PermissionDenied
    if verified_domain.is_verified:
        raise ValidationError(_("This domain is already verified."))
    if verified_domain.method != method:
        raise ValidationError(_("This domain is verified another way."))


def _mark_verified(verified_domain: VerifiedDomain, *, user, now: datetime, via: str) -> None:
    """Set verified_at, unless the domain became another organisation's meanwhile (the
    database constraint decides a race)."""
    if _verified_elsewhere(verified_domain.domain, verified_domain.organization_id):
        raise _taken_error(verified_domain.domain)
    try:
        with transaction.atomic():
            updated = VerifiedDomain.objects.filter(
                pk=verified_domain.pk, verified_at__isnull=True
            ).update(verified_at=now, verified_by=user, check_problem="", checked_at=now)
    except IntegrityError:
        raise _taken_error(verified_domain.domain) from None
    if updated != 1:
        raise ValidationError(_("This domain is already verified."))
    verified_domain.verified_at, verified_domain.verified_by = now, user
    verified_domain.check_problem, verified_domain.checked_at = "", now
    record_audit(
        actor=user,
        organization=verified_domain.organization,
        action="domain.verified",
        target=verified_domain,
        details={"domain": verified_domain.domain, "method": via},
    )


def check_dns(actor: Membership, verified_domain: VerifiedDomain, now: datetime) -> bool:
    """Look for the TXT record now. True when the domain is verified; False with the reason
    in verified_domain.check_problem. ValidationError if another organisation holds it."""
    _own_pending(actor, verified_domain, DomainMethod.DNS)
    expected = verified_domain.txt_record
    try:
        records = txt_records(verified_domain.domain)
    except dns.exception.DNSException as error:
        problem = dns_problem(verified_domain.domain, error)
    else:
        if expected in records:
            with transaction.atomic():
                _mark_verified(verified_domain, user=actor.user, now=now, via=DomainMethod.DNS)
            return True
        found = [record for record in records if record.startswith(TXT_PREFIX)]
        problem = (
            _(
                "A verification record was found at %(domain)s, but its value is not this "
                "domain's token. Replace it with the record shown on this page."
            )
            if found
            else _(
                "%(domain)s has TXT records, but not the verification record yet. Publish the "
                "record shown on this page; changes can take up to an hour to appear."
            )
        ) % {"domain": display_domain(verified_domain.domain)}
    VerifiedDomain.objects.filter(pk=verified_domain.pk).update(
        checked_at=now, check_problem=problem[:300]
    )
    verified_domain.checked_at, verified_domain.check_problem = now, problem[:300]
    return False


# --- The e-mail method ------------------------------------------------------------------------


def make_link_token(verified_domain: VerifiedDomain) -> str:
    """Signed and timestamped; bound to this row and its random token, so a removed and
    re-added domain needs a new link."""
    return signing.dumps(
        {"id": verified_domain.pk, "token": verified_domain.token}, salt=LINK_SALT, compress=True
    )


@transaction.atomic
def send_domain_link(
    actor: Membership,
    verified_domain: VerifiedDomain,
    *,
    mailbox: str,
    base_url: str,
    now: datetime,
) -> str:
    """E-mail a verification link to <mailbox>@<domain>; returns the address. The link works
    for DOMAIN_LINK_HOURS and verifies the domain for whoever confirms it."""
    _own_pending(actor, verified_domain, DomainMethod.EMAIL)
    if mailbox not in ADMIN_MAILBOXES:
        raise ValidationError({"mailbox": _("Choose one of the administrator addresses.")})
    address = f"{mailbox}@{verified_domain.domain}"
    VerifiedDomain.objects.filter(pk=verified_domain.pk).update(
        admin_address=address, email_sent_at=now
    )
    verified_domain.admin_address, verified_domain.email_sent_at = address, now
    record_audit(
        actor=actor.user,
        organization=actor.organization,
        action="domain.link_sent",
        target=verified_domain,
        details={"domain": verified_domain.domain, "mailbox": mailbox},
    )
    link = base_url.rstrip("/") + reverse("domain_confirm", args=[make_link_token(verified_domain)])
    requester = actor.user.get_full_name() or actor.user.get_username()
    transaction.on_commit(
        partial(
            send_domain_email, verified_domain, address, link, requester, translation.get_language()
        ),
        robust=True,
    )
    return address


def send_domain_email(
    verified_domain: VerifiedDomain, address: str, link: str, requester: str, language
) -> None:
    context = {
        "organization": verified_domain.organization,
        "domain": display_domain(verified_domain.domain),
        "requester": requester,
        "link": link,
        "hours": settings.DOMAIN_LINK_HOURS,
    }
    with translation.override(language):
        context["LANGUAGE_CODE"] = translation.get_language()
        subject = render_to_string("people/domains/verification_email_subject.txt", context)
        message = EmailMultiAlternatives(
            subject=" ".join(subject.split()),
            body=render_to_string("people/domains/verification_email.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[address],
        )
        message.attach_alternative(
            render_to_string("people/domains/verification_email.html", context), "text/html"
        )
    message.send()


def domain_for_link(link_token: str) -> VerifiedDomain:
    """The domain an e-mailed link is for; DomainLinkError (with words for its holder) when
    it has expired, was altered, or its domain was removed."""
    try:
        data = signing.loads(link_token, salt=LINK_SALT, max_age=settings.DOMAIN_LINK_HOURS * 3600)
    except signing.SignatureExpired:
        raise DomainLinkError(
            _(
                "This verification link has expired: links work for %(hours)s hours. Ask the "
                "administrator who added the domain to send a new one."
            )
            % {"hours": settings.DOMAIN_LINK_HOURS}
        ) from None
    except signing.BadSignature:
        raise DomainLinkError(
            _(
                "This verification link is not valid: it may have been cut short or changed. "
                "Open the link exactly as it is in the e-mail, or ask for a new one."
            )
        ) from None
    verified_domain = (
        VerifiedDomain.objects.filter(pk=data.get("id"), token=data.get("token"))
        .select_related("organization", "requested_by")
        .first()
    )
    if verified_domain is None or verified_domain.method != DomainMethod.EMAIL:
        raise DomainLinkError(
            _(
                "This verification link no longer works: the domain was removed from the "
                "organisation's list. Nothing was changed."
            )
        )
    return verified_domain


@transaction.atomic
def confirm_domain_link(link_token: str, user, now: datetime) -> VerifiedDomain:
    """Whoever holds a valid link confirms the domain (signed in or not)."""
    verified_domain = domain_for_link(link_token)
    if verified_domain.is_verified:
        return verified_domain
    _mark_verified(
        verified_domain,
        user=user if user is not None and user.is_authenticated else None,
        now=now,
        via=DomainMethod.EMAIL,
    )
    return verified_domain


@transaction.atomic
def remove_domain(actor: Membership, verified_domain: VerifiedDomain) -> None:
    """Stop verifying (or being verified for) a domain: no new lure can go there."""
    require_admin(actor)
    if verified_domain.organization_id != actor.organization_id:
        raise PermissionDenied
    record_audit(
        actor=actor.user,
        organization=actor.organization,
        action="domain.removed",
        target=verified_domain,
        details={"domain": verified_domain.domain, "was_verified": verified_domain.is_verified},
    )
    verified_domain.delete()
