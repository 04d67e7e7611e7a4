"""How a revealed red flag is marked on the words that carry it: one markup for the module
player's examples and for a scam simulation's teachable moment."""

from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _


def flag_mark(content: str, number: int) -> SafeString:
    """A revealed red flag: the words (escaped unless safe) highlighted with their number.
    The teachable moment of a scam simulation marks its lure the same way."""
    return format_html(
        '<mark class="flag">{}<sup class="flag-number" aria-hidden="true">{}</sup>'
        '<span class="visually-hidden"> ({})</span></mark>',
        content,
        number,
        _("red flag %(number)s") % {"number": number},
    )
