"""Nicknames shown on a classroom projector: short, plain characters, nothing abusive.

The list is small on purpose (a host can still kick a player): roots that are abusive wherever
they appear, whole words that are abusive only on their own ("ass" but not "class"), and common
Cantonese profanity. Case, separators, repeated letters and look-alike digits are folded
first, so "F.u_c-k", "FUUUCK" and "5h1t" are caught.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MIN_LENGTH = 2
MAX_LENGTH = 20

# Abusive wherever they appear in the folded name.
ROOTS = (
    "fuck", "fck", "shit", "cunt", "nigg", "faggot", "fagot", "whore", "slut", "bitch",
    "rapist", "nazi", "hitler", "wanker", "bastard", "retard", "dickhead", "pussy", "penis",
    "vagina", "porn", "molest", "paedo", "pedophil", "killyourself",
    "屌", "閪", "撚", "仆街", "冚家鏟", "戇鳩", "on9", "柒頭", "食屎", "死全家", "強姦", "賤人",
    "婊子", "肏", "傻屄", "操你",
)  # fmt: skip
# Abusive only as a whole word of the name.
WORDS = {
    "ass", "arse", "fag", "cum", "sex", "tit", "tits", "dick", "cock", "rape", "hoe", "jap",
    "chink", "spic", "kike", "twat", "prick", "douche", "diu", "pedo", "kys", "nude", "naked",
}  # fmt: skip
# Look-alike digits and symbols, folded to the letters they stand for.
LOOKALIKES = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a"})
ALLOWED_PUNCTUATION = set(" -_.'")


def clean_nickname(raw: str) -> str:
    """The nickname as it will be shown, or a ValidationError saying what to change."""
    name = " ".join(unicodedata.normalize("NFKC", raw or "").split())
    if len(name) < MIN_LENGTH or len(name) > MAX_LENGTH:
        raise ValidationError(
            _("Choose a nickname of %(min)s to %(max)s characters.")
            % {"min": MIN_LENGTH, "max": MAX_LENGTH}
        )
    if not name[0].isalnum() or any(
        not (char.isalnum() or char in ALLOWED_PUNCTUATION) for char in name
    ):
        raise ValidationError(
            _("Use letters, numbers, spaces and - _ . ' only, starting with a letter or number.")
        )
    if is_abusive(name):
        raise ValidationError(_("Choose a different nickname: this one is not allowed."))
    return name


def nickname_key(name: str) -> str:
    """Two nicknames that look the same to players have the same key."""
    return " ".join(name.casefold().split())


def is_abusive(name: str) -> bool:
    folded = name.casefold()
    words = [word.translate(LOOKALIKES) for word in re.split(r"[\s\-_.']+", folded) if word]
    squeezed = "".join(words)
    if any(word in WORDS for word in words):
        return True
    # Doubled letters squeezed too: "fuuuck", "shiiit".
    single = re.sub(r"(.)\1+", r"\1", squeezed)
    return any(root in squeezed or root in single for root in ROOTS)
