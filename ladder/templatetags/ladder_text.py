"""The texts of a ladder as a page shows them."""

from django import template
from django.utils.safestring import SafeString

from careerladder.docs import render_description

register = template.Library()


@register.filter
def description(text: str, top: int | None = None) -> SafeString:
    """`{{ spec.description|description:2 }}`: the description as safe Markdown, its headings
    starting at h2; without a level (inside a table cell), no headings at all."""
    return render_description(text or "", int(top) if top is not None else None)
