"""Authored lures: a fixed list of placeholders, sanitised HTML, links only to this site.

Placeholders are written {{ first_name }}. Their values are escaped in HTML; the HTML itself
is cleaned with nh3 when a template is saved, so a lure can carry no script or foreign link.
"""

import re
from datetime import timedelta
from email.utils import formataddr, parseaddr
from urllib.parse import urlsplit

import nh3
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.translation import gettext as _

from awareness.lib.sms import send_text
from awareness.lib.tokens import hash_token
from training.campaigns.models import Delivery, LureChannel, SimulationStatus
from training.people.domains import domain_of_address
from training.people.selectors import confirmed_phone, verified_domain_names

PLACEHOLDERS = {
    "first_name": "the person's first name",
    "last_name": "the person's last name",
    "department": "their department",
    "organization": "the organisation's name",
    "deadline": "a date two days after the launch",
    "link": "the lure's tracked link",
    "report_link": "the link that reports the message",
}
PLACEHOLDER = re.compile(r"\{\{\s*([^{}\s]*)\s*\}\}")
URL = re.compile(r"https?://[^\s\"'<>]+", re.IGNORECASE)


def unknown_placeholders(*texts: str) -> list[str]:
    return sorted(
        {name for text in texts for name in PLACEHOLDER.findall(text) if name not in PLACEHOLDERS}
    )


def own_host(url: str) -> bool:
    """An absolute URL on this site (SITE_URL's scheme and host), or a placeholder link."""
    placeholder = PLACEHOLDER.fullmatch(url.strip())
    if placeholder:  # only our own links: a name in an href could be any address
        return placeholder.group(1) in ("link", "report_link")
    site, target = urlsplit(settings.SITE_URL), urlsplit(url.strip())
    return (target.scheme, target.netloc.lower()) == (site.scheme, site.netloc.lower())


def sanitise_html(html: str) -> str:
    return nh3.clean(html, link_rel="noopener noreferrer") if html else ""


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
            _("Lure links may only point to this site (%(site)s), not: %(links)s.")
            % {"site": settings.SITE_URL, "links": ", ".join(foreign)}
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
    """Every address in a lure: on this site only, the token in the path."""
    base = f"{settings.SITE_URL.rstrip('/')}/s/{token}/"
    return {"link": base, "report_link": f"{base}report/", "beacon": f"{base}o.gif"}


def lure_values(delivery, token: str) -> dict[str, str]:
    user = delivery.membership.user
    launched = delivery.simulation.launched_at or timezone.now()
    return {
        "first_name": user.first_name or user.username,
        "last_name": user.last_name,
        "department": delivery.group.name if delivery.group else "",
        "organization": delivery.simulation.organization.name,
        "deadline": date_format(timezone.localtime(launched + timedelta(days=2)), "DATE_FORMAT"),
        **lure_links(token),
    }


def render_lure(delivery, token: str) -> dict[str, str]:
    """The lure as its recipient got it: subject, HTML (safe to show) and text."""
    template = delivery.simulation.template
    values = lure_values(delivery, token)
    return {
        "sender": template.sender_name,
        "subject": fill(template.subject, values, html=False),
        # Cleaned again: a template changed outside save_template is still made safe.
        "html": sanitise_html(fill(template.html_body, values, html=True)),
        "text": fill(template.text_body, values, html=False),
    }


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
    lure = render_lure(delivery, token)
    organization = delivery.simulation.organization
    headers = marker_headers(organization)
    if delivery.simulation.template.channel == LureChannel.SMS:
        return TextLure(
            confirmed_phone(delivery.membership) or "",
            lure["text"],
            sender=lure["sender"],
            headers=headers,
        )
    domain = urlsplit(settings.SITE_URL).hostname or "localhost"
    links = lure_links(token)
    # Every e-mail lure ends with a way to report it, as a real message from the bank would.
    footer = (
        f'<p><small><a href="{links["report_link"]}">Report this message</a></small></p>'
        f'<img src="{links["beacon"]}" width="1" height="1" alt="">'
    )
    message = EmailMultiAlternatives(
        subject=lure["subject"],
        body=f"{lure['text']}\nReport this message: {links['report_link']}\n",
        from_email=formataddr((lure["sender"], parseaddr(settings.DEFAULT_FROM_EMAIL)[1])),
        to=[delivery.membership.user.email],
        connection=connection,
        headers={"Message-ID": f"<{delivery.message_ref}@{domain}>", **headers},
    )
    message.attach_alternative(lure["html"] + footer, "text/html")
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
