"""Render examples as mocks of their channel, with their red flags and safe spots.

Three modes: "plain" (the specimen as the learner meets it), "spot" (every red flag and safe
spot is a checkbox named "spots" the learner can tick by tapping the text, area or moment;
works without JavaScript and by keyboard) and "reveal" (red flags highlighted and numbered).
"""

import re

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from awareness.content.flags import flag_mark
from awareness.content.models import Example, RedFlag
from awareness.content.packs import field_text

register = template.Library()
MODES = ("plain", "spot", "reveal")
# Web addresses in message text look like links (blue, underlined) but are never links.
ADDRESS = re.compile(r"(?:https?://)?(?:[a-z0-9-]+\.)+[a-z]{2,}(?:/[^\s]*)?", re.IGNORECASE)


def _mode(mode: str) -> str:
    """Anything but an explicit "spot" or "reveal" shows no answers."""
    return mode if mode in MODES else "plain"


def _text(text: str) -> SafeString:
    """Escaped text with web addresses styled as (inert) links."""
    parts, cursor = [], 0
    for match in ADDRESS.finditer(text):
        parts.append(format_html("{}", text[cursor : match.start()]))
        parts.append(format_html('<span class="fake-link">{}</span>', match.group()))
        cursor = match.end()
    parts.append(format_html("{}", text[cursor:]))
    return mark_safe("".join(parts))  # noqa: S308 -- every part went through format_html


@register.filter
def has_regions(example: Example) -> bool:
    return any(spot.region for spot in _spots(example))


@register.filter
def channel_template(example: Example) -> str:
    return f"content/channels/{example.channel}.html"


@register.simple_tag
def media_url(example: Example, slot: str) -> str:
    """The gated address of a medium: it answers only while the example may be shown."""
    return reverse("example_media", args=[example.pk, slot]) if getattr(example, slot) else ""


def _spots(example: Example) -> list[RedFlag]:
    # Prefetched by the selectors as `example.spots.all()`; never a query per call.
    return list(example.spots.all())


def flag_numbers(example: Example) -> dict[int, int]:
    """Red flags are numbered 1, 2, 3… in the order the author listed them."""
    flags = [spot for spot in _spots(example) if spot.is_flag]
    return {spot.pk: number for number, spot in enumerate(flags, start=1)}


@register.simple_tag
def spot_text(example: Example, field: str, index=None, mode: str = "plain") -> SafeString:
    """The text of a body field (or item `index` of a list field) with its spans marked."""
    name = f"{field}.{index}" if index is not None else field
    text = field_text(example.body, name) or ""
    mode = _mode(mode)
    spans = []
    for spot in _spots(example):
        if spot.field == name and spot.text and (mode == "spot" or spot.is_flag):
            start = text.find(spot.text)
            if start >= 0:
                spans.append((start, start + len(spot.text), spot))
    spans.sort(key=lambda span: span[0])
    numbers = flag_numbers(example)
    parts, cursor = [], 0
    for start, end, spot in spans:
        if start < cursor or mode == "plain":
            continue  # overlapping spans: the first one wins
        parts.append(_text(text[cursor:start]))
        parts.append(_marked(text[start:end], spot, mode, numbers))
        cursor = end
    parts.append(_text(text[cursor:]))
    return mark_safe("".join(parts))  # noqa: S308 -- every part went through format_html


def _marked(text: str, spot: RedFlag, mode: str, numbers: dict[int, int]) -> SafeString:
    if mode == "spot":
        return format_html(
            '<label class="spot spot-text"><input type="checkbox" name="spots" value="{}">'
            "{}</label>",
            spot.pk,
            _text(text),
        )
    return flag_mark(_text(text), numbers[spot.pk])


def _area_name(number: int, region: list[float]) -> str:
    x, y, w, h = region
    cx, cy = x + w / 2, y + h / 2
    row = _("top") if cy < 34 else _("bottom") if cy > 66 else _("middle")
    column = _("left") if cx < 34 else _("right") if cx > 66 else _("centre")
    return _("Area %(number)s: the %(row)s %(column)s of the picture") % {
        "number": number,
        "row": row,
        "column": column,
    }


def region_rules(example: Example) -> str:
    """The stylesheet that places the boxes of an example's areas over its picture: the CSP
    allows no style="" attributes, and a stylesheet of our own keeps them working without JS."""
    return "".join(
        f".region-{spot.pk}{{left:{x}%;top:{y}%;width:{w}%;height:{h}%}}\n"
        for spot in _spots(example)
        if spot.region
        for x, y, w, h in [spot.region]
    )


@register.simple_tag
def spot_regions(example: Example, mode: str = "plain") -> SafeString:
    """Boxes over the picture (place inside a position: relative wrapper)."""
    mode = _mode(mode)
    if mode == "plain":
        return mark_safe("")
    numbers = flag_numbers(example)
    boxes = [
        format_html(
            '<link rel="stylesheet" href="{}">', reverse("example_regions", args=[example.pk])
        )
    ]
    regions = [spot for spot in _spots(example) if spot.region]
    for area, spot in enumerate(regions, start=1):
        if mode == "reveal" and not spot.is_flag:
            continue
        if mode == "spot":
            boxes.append(
                format_html(
                    '<label class="spot spot-region region-{}"><input type="checkbox" '
                    'name="spots" value="{}"><span class="visually-hidden">{}</span></label>',
                    spot.pk,
                    spot.pk,
                    _area_name(area, spot.region),
                )
            )
        else:
            boxes.append(
                format_html(
                    '<span class="flag-region region-{}"><span class="flag-number">{}</span>'
                    '<span class="visually-hidden">{}</span></span>',
                    spot.pk,
                    numbers[spot.pk],
                    spot.label,
                )
            )
    return mark_safe("".join(boxes))  # noqa: S308 -- built with format_html


def clock(seconds: float | None) -> str:
    seconds = int(seconds or 0)
    return f"{seconds // 60}:{seconds % 60:02d}"


@register.filter
def as_clock(seconds: float | None) -> str:
    return clock(seconds)


@register.simple_tag
def spot_moments(example: Example, mode: str = "plain") -> SafeString:
    """Moments of the audio or video: tickable in spot mode, labelled in reveal mode."""
    mode = _mode(mode)
    moments = [s for s in _spots(example) if s.time_start is not None]
    if mode == "reveal":
        moments = [s for s in moments if s.is_flag]
    if mode == "plain" or not moments:
        return mark_safe("")
    numbers = flag_numbers(example)
    items = []
    for spot in moments:
        when = clock(spot.time_start) + (f"–{clock(spot.time_end)}" if spot.time_end else "")
        play = format_html(
            '<button type="button" class="replay" data-seek="{}" data-until="{}">{}</button>',
            spot.time_start,
            spot.time_end or "",
            _("Play from %(time)s") % {"time": clock(spot.time_start)},
        )
        if mode == "spot":
            items.append(
                format_html(
                    '<li><label class="spot spot-moment"><input type="checkbox" name="spots" '
                    'value="{}"> {}</label> {}</li>',
                    spot.pk,
                    _("What happens at %(time)s") % {"time": when},
                    play,
                )
            )
        elif spot.is_flag:
            items.append(
                format_html(
                    '<li><span class="flag-number">{}</span> <strong>{}</strong> {} {}</li>',
                    numbers[spot.pk],
                    when,
                    spot.label,
                    play,
                )
            )
    return format_html('<ul class="moments">{}</ul>', mark_safe("".join(items)))  # noqa: S308


@register.simple_tag
def zoom_view(example: Example, spot: RedFlag) -> dict:
    """An SVG view box on the example's picture that magnifies a red flag's region.

    Geometry in attributes, not inline CSS, so the strict style policy allows it."""
    x, y, w, h = spot.region
    width, height = example.picture_width or 4, example.picture_height or 3
    return {
        "box": f"{x * width / 100:.2f} {y * height / 100:.2f} "
        f"{w * width / 100:.2f} {h * height / 100:.2f}",
        "url": media_url(example, "image" if example.image else "poster"),
        "width": width,
        "height": height,
    }


@register.simple_tag
def flags_of(example: Example) -> list[RedFlag]:
    return [spot for spot in _spots(example) if spot.is_flag]
