"""The lure as the teachable moment shows it: its red flags marked and numbered on the message
itself, as the module player marks an example's, and every link disarmed."""

import html as html_lib
import re

import nh3
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from awareness.content.flags import flag_mark
from training.campaigns.services.lures import fill, lure_values, render_lure

TAG = re.compile(r"(<[^>]*>)")


def marked_lure(delivery, token: str) -> dict:
    """Sender, subject and body as safe HTML with each flag's words marked once (the first
    place they appear), and the numbered flags. A flag whose words are not in the message is
    listed, not marked."""
    lure = render_lure(delivery, token, qr=format_html("<strong>[{}]</strong>", _("QR code")))
    values = lure_values(delivery, token)
    is_html = bool(lure["html"])
    parts = {
        "sender": escape(lure["sender"]),
        "subject": escape(lure["subject"]),
        "body": disarmed(lure["html"]) if is_html else _text_body(lure["text"]),
    }
    flags = []
    for number, flag in enumerate(delivery.simulation.template.flags, start=1):
        words = fill(flag.get("mark", ""), values, html=False).strip()
        marked = False
        for name in ("sender", "subject", "body") if words else ():
            parts[name], marked = _mark_first(parts[name], words, number)
            if marked:
                break
        flags.append({"number": number, "flag": flag["flag"], "marked": marked})
    # Every part was escaped or cleaned by nh3 above; marks are built with format_html.
    safe = {name: mark_safe(value) for name, value in parts.items()}  # noqa: S308
    return safe | {"flags": flags}


def disarmed(html: str) -> str:
    """The cleaned HTML with every link turned into text that still looks like a link."""
    unlinked = nh3.clean(html, attributes={**nh3.ALLOWED_ATTRIBUTES, "a": set()}, link_rel=None)
    return unlinked.replace("<a>", '<span class="fake-link">').replace("</a>", "</span>")


def _text_body(text: str) -> str:
    return escape(text).replace("\n", "<br>")


def _mark_first(markup: str, words: str, number: int) -> tuple[str, bool]:
    """Wrap the first occurrence of `words` in the text (never inside a tag) of safe markup."""
    pieces = TAG.split(markup)
    for index, piece in enumerate(pieces):
        if piece.startswith("<"):
            continue
        text = html_lib.unescape(piece)
        at = text.find(words)
        if at < 0:
            continue
        pieces[index] = (
            escape(text[:at]) + flag_mark(words, number) + escape(text[at + len(words) :])
        )
        return "".join(pieces), True
    return markup, False
