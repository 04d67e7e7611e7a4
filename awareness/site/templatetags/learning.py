from django import template

register = template.Library()


@register.filter
def get_item(mapping: dict, key):
    return mapping.get(key) if mapping else None


@register.filter
def percent(fraction: float | None) -> str:
    return "" if fraction is None else f"{round(100 * fraction)}%"


@register.simple_tag
def chosen(answer, key: str) -> list:
    """The ids a learner picked for `key` in their answer (choices, spots...)."""
    value = answer.response.get(key) if answer else None
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


@register.filter
def pair_with(first, second) -> list:
    return [first, second]


@register.filter
def grid_row(grid, student) -> list:
    return grid.row(student)
