from django import template
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

register = template.Library()

# CommonMark with raw HTML disabled: authors' "<script>" is shown as text, and markdown-it
# refuses javascript:, vbscript: and data: links.
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})


@register.filter
def lesson_html(text: str) -> SafeString:
    return mark_safe(_markdown.render(text or ""))  # noqa: S308 -- HTML input is disabled
