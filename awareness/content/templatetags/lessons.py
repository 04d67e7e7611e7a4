from functools import lru_cache

from django import template
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

register = template.Library()

# CommonMark with raw HTML disabled: authors' "<script>" is shown as text, and markdown-it
# refuses javascript:, vbscript: and data: links.
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})


@register.filter
def lesson_html(text: str) -> SafeString:
    return mark_safe(_rendered(text or ""))  # noqa: S308 -- HTML input is disabled


@lru_cache(maxsize=512)
def _rendered(text: str) -> str:
    """Lesson text never changes once loaded (a change is a new version), and rendering it
    cost as much as the rest of a step page: each process renders each text once."""
    return _markdown.render(text)
