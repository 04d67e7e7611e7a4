"""Numbers to SVG geometry for server-rendered charts (the same numbers are in tables)."""

from django import template

register = template.Library()


@register.filter
def polyline(series: list[tuple[str, int]], size: str = "600x160") -> str:
    """Points of a line chart of (label, value) pairs scaled into a width×height box."""
    width, height = (int(part) for part in size.split("x"))
    if not series:
        return ""
    series = [("", 0), *series]  # every line starts from nothing at the launch
    top = max(value for _label, value in series) or 1
    step = width / max(1, len(series) - 1)
    return " ".join(
        f"{index * step:.1f},{height - value / top * height:.1f}"
        for index, (_label, value) in enumerate(series)
    )


@register.filter
def share(value: float | int | None, total: float | int | None) -> float:
    """value as a percentage of total, for bar lengths."""
    if not value or not total:
        return 0.0
    return round(100 * value / total, 1)


@register.filter
def largest(pairs: list[tuple], index: int = 1) -> int:
    return max((pair[index] for pair in pairs), default=0)


@register.filter
def remaining(percent: float) -> float:
    """The top of a bar of `percent` height in a 100-high chart."""
    return round(100 - percent, 1)


@register.filter
def percent_of_one(share: float | None) -> int | str:
    """0.6 -> 60: a share of one as a whole percent."""
    return "–" if share is None else round(100 * share)
