"""Authored lures: a fixed list of placeholders, sanitised HTML, links only to this site.

Placeholders are written {{ first_name }}. Their values are escaped in HTML; the HTML itself
is cleaned with nh3 when a template is saved, so a lure can carry no script or foreign link.
"""

import io
import re
from datetime import timedelta
from email.mime.image import MIMEImage
from email.utils import formataddr, parseaddr
from urllib.parse import urlsplit

import nh3
import segno
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.translation import gettext as _

from awareness.lib.sms import send_text
from awareness.lib.tokens import hash_token
from training.campaigns.models import Delivery, LureChannel, SimulationStatus
from training.campaigns.services.sending import SignedEmail, signing_key
from training.people.domains import domain_of_address
from training.people.selectors import confirmed_phone, verified_domain_names

PLACEHOLDERS = {
    "first_name": "the person's first name",
    "last_name": "the person's last name",
    "department": "their department",
    "organization": "the organisation's name",
    "deadline": "a date two days after the launch",
    "link": "the lure's tracked link",
    "qr": "a QR code of the link (an image in HTML, the link in text)",
}
PLACEHOLDER = re.compile(r"\{\{\s*([^{}\s]*)\s*\}\}")
URL = re.compile(r"https?://[^\s\"'<>]+", re.IGNORECASE)


def unknown_placeholders(*texts: str) -> list[str]:
    return sorted(
        {name for text in texts for name in PLACEHOLDER.findall(text) if name not in PLACEHOLDERS}
    )


def own_host(url: str) -> bool:
    """An absolute URL on the lure host or this site, or the lure's link placeholder."""
    placeholder = PLACEHOLDER.fullmatch(url.strip())
    if placeholder:  # only our own links: a name in an href could be any address
        return placeholder.group(1) == "link"
    target = urlsplit(url.strip())
    return any(
        (target.scheme, target.netloc.lower()) == (site.scheme, site.netloc.lower())
        for site in (urlsplit(lure_url()), urlsplit(settings.SITE_URL))
    )


def lure_url() -> str:
    """Where lures link to: the lure host, or this site when there is none."""
    return (settings.LURE_URL or settings.SITE_URL).rstrip("/")


def sanitise_html(html: str, *, classes: bool = False) -> str:
    """No script, style or handler survives; a landing page may keep class names, which only
    the lure host's own stylesheet can style (the CSP allows no inline style)."""
    if not html:
        return ""
    attributes = {**nh3.ALLOWED_ATTRIBUTES, "*": {"class"}} if classes else None
    return nh3.clean(html, attributes=attributes, link_rel="noopener noreferrer")


SCRIPT = re.compile(r"<\s*script|<[^>]*\son[a-z]+\s*=|javascript\s*:", re.IGNORECASE)
QR_MARK = "QR-CODE-OF-THE-LINK"  # stands for {{ qr }} in HTML until the markup goes in


def refuse_script(*htmls: str) -> None:
    """Lures never carry script: say so instead of saving something other than what was
    written."""
    if any(SCRIPT.search(html or "") for html in htmls):
        raise ValidationError(
            _(
                "The HTML contains script (a <script> element, an on… event attribute or a "
                "javascript: link). Lures and landing pages cannot run script: remove it."
            )
        )


def check_lure(*, subject: str, html_body: str, text_body: str) -> None:
    """Refuse unknown placeholders and links that lead off this site, naming them."""
    problems = []
    unknown = unknown_placeholders(subject, html_body, text_body)
    if unknown:
        problems.append(
            _("Unknown placeholder(s): %(names)s. Use only: %(known)s.")
            % {
                "names": ", ".join(f"{{{{ {name} }}}}" for name in unknown),
                "known": ", ".join(f"{{{{ {name} }}}}" for name in PLACEHOLDERS),
            }
        )
    links = re.findall(r"""(?:href|src)\s*=\s*["']([^"']*)["']""", html_body, re.IGNORECASE)
    foreign = sorted(
        {
            url
            for url in [*links, *URL.findall(text_body), *URL.findall(subject)]
            if not own_host(url)
        }
    )
    if foreign:
        problems.append(
            _("Lure links may only point to the lure host (%(site)s), not: %(links)s.")
            % {"site": lure_url(), "links": ", ".join(foreign)}
        )
    if problems:
        raise ValidationError(problems)


def fill(text: str, values: dict[str, str], *, html: bool) -> str:
    """The text with each placeholder replaced by its value, escaped for HTML."""
    return PLACEHOLDER.sub(
        lambda match: (
            escape(values.get(match.group(1), "")) if html else values.get(match.group(1), "")
        ),
        text,
    )


def lure_links(token: str) -> dict[str, str]:
    """Every address in a lure: on the lure host only, the token in the path."""
    base = f"{lure_url()}/s/{token}/"
    return {"link": base, "beacon": f"{base}o.gif"}


def lure_values(delivery, token: str) -> dict[str, str]:
    user = delivery.membership.user
    launched = delivery.simulation.launched_at or timezone.now()
    return {
        "first_name": user.first_name or user.username,
        "last_name": user.last_name,
        "department": delivery.group.name if delivery.group else "",
        "organization": delivery.simulation.organization.name,
        "deadline": _deadline(launched, delivery.simulation.template.language),
        **lure_links(token),
    }


def _deadline(start, language: str) -> str:
    """Two days on, written as the lure's language writes dates."""
    with translation.override(language):
        return date_format(timezone.localtime(start + timedelta(days=2)), "DATE_FORMAT")


def sample_values(organization, *, user=None) -> dict[str, str]:
    """Values for a preview or a test: the given person's names (or Amy Chan's), an untracked
    link on the lure host."""
    link = f"{lure_url()}/s/test/"
    return {
        "first_name": (user.first_name or user.username) if user else "Amy",
        "last_name": user.last_name if user else "Chan",
        "department": "" if user else "Retail",
        "organization": organization.name,
        "deadline": _deadline(timezone.now(), translation.get_language()),
        "link": link,
        "beacon": f"{link}o.gif",
    }


def render_lure(delivery, token: str, *, qr=None) -> dict[str, str]:
    """The lure as its recipient got it: sender, subject, HTML (safe to show) and text."""
    return render_template(delivery.simulation.template, lure_values(delivery, token),
                           profile=delivery.simulation.sending_profile, qr=qr)  # fmt: skip


def render_template(template, values: dict[str, str], *, profile=None, qr=None) -> dict[str, str]:
    """`qr` is the markup {{ qr }} becomes in HTML: by default an inline SVG of the link (on
    a page); an e-mail puts an attached image there instead."""
    # Cleaned again: a template changed outside save_template is still made safe.
    html = sanitise_html(fill(template.html_body, {**values, "qr": QR_MARK}, html=True))
    if QR_MARK in html:
        html = html.replace(QR_MARK, qr_svg(values["link"]) if qr is None else qr)
    return {
        "sender": (profile.from_name if profile else "") or template.sender_name,
        "subject": fill(template.subject, values, html=False),
        "html": html,
        "text": fill(template.text_body, {**values, "qr": values["link"]}, html=False),
    }


def qr_svg(link: str) -> str:
    return segno.make(link, error="m").svg_inline(scale=4, title="QR code")


def qr_png(link: str) -> bytes:
    buffer = io.BytesIO()
    segno.make(link, error="m").save(buffer, kind="png", scale=6, border=2)
    return buffer.getvalue()


def marker_headers(organization) -> dict[str, str]:
    """What tells mail admins (not staff) that this is a simulation, and whom to contact."""
    return {
        settings.SIMULATION_HEADER: f"{organization.slug}-{organization.pk}",
        "X-Abuse-Contact": settings.ABUSE_CONTACT,
    }


class TextLure:
    """A lure sent as a text message, sent like an e-mail: send() after the outbox claim."""

    def __init__(self, to: str, body: str, *, sender: str, headers: dict[str, str]):
        self.to, self.body, self.sender, self.headers = to, body, sender, headers

    def send(self) -> str:
        return send_text(self.to, self.body, sender=self.sender, headers=self.headers)


def build_lure(delivery, token: str, *, connection=None):
    simulation = delivery.simulation
    profile = simulation.sending_profile
    if simulation.template.channel == LureChannel.SMS:
        lure = render_lure(delivery, token)
        return TextLure(
            confirmed_phone(delivery.membership) or "",
            lure["text"],
            sender=(profile.sms_sender if profile else "") or lure["sender"],
            headers=marker_headers(simulation.organization),
        )
    return compose_email(
        simulation.template, lure_values(delivery, token), to=delivery.membership.user.email,
        organization=simulation.organization, profile=profile,
        message_ref=delivery.message_ref, connection=connection,
    )  # fmt: skip


QR_IMAGE = '<img src="cid:lure-qr" width="200" height="200" alt="QR code">'


def compose_email(template, values, *, to, organization, profile, message_ref, connection=None):
    """The e-mail lure: from the sending profile (DKIM-signed when it says so) or, without
    one, from the platform's address under the template's sender name."""
    lure = render_template(template, values, profile=profile, qr=QR_IMAGE)
    address = profile.from_address if profile else parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    domain = address.rpartition("@")[2] if profile else urlsplit(settings.SITE_URL).hostname
    signing = signing_key(profile) if profile else None
    # Nothing but the lure: reporting is the mail client's report button or forwarding.
    beacon = f'<img src="{values["beacon"]}" width="1" height="1" alt="">'
    message = (SignedEmail if signing else EmailMultiAlternatives)(
        subject=lure["subject"],
        body=lure["text"],
        from_email=formataddr((lure["sender"], address)),
        to=[to],
        reply_to=[profile.reply_to] if profile and profile.reply_to else None,
        connection=connection,
        headers={
            "Message-ID": f"<{message_ref}@{domain or 'localhost'}>",
            **marker_headers(organization),
        },
        **({"signing": signing} if signing else {}),
    )
    message.attach_alternative(lure["html"] + beacon, "text/html")
    if QR_IMAGE in lure["html"]:  # the QR code travels in the mail, shown inline
        image = MIMEImage(qr_png(values["link"]), "png")
        image.add_header("Content-ID", "<lure-qr>")
        image.add_header("Content-Disposition", "inline", filename="qr.png")
        message.mixed_subtype = "related"
        message.attach(image)
    return message


def lure_still_allowed(delivery, domains: dict[int, set[str]]) -> bool:
    """Checked again just before sending: the simulation runs and the address or phone may
    still be targeted (a domain can lose its verification, a number its confirmation).
    `domains` caches each organisation's verified domains for one batch."""
    member = delivery.membership
    if (
        delivery.simulation.status != SimulationStatus.RUNNING
        or member is None
        or not member.is_active
    ):
        return False
    if delivery.simulation.template.channel == LureChannel.SMS:
        return confirmed_phone(member) is not None
    organization_id = delivery.simulation.organization_id
    if organization_id not in domains:
        domains[organization_id] = verified_domain_names(organization_id)
    return domain_of_address(member.user.email) in domains[organization_id]


def mark_lure_sent(delivery_id: int, token: str) -> None:
    Delivery.objects.filter(pk=delivery_id).update(
        token_hash=hash_token(token), sent_at=timezone.now()
    )
