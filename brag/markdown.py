"""Markdown for free text: rendered once, when saved, then sanitised with nh3, so that no raw
HTML from a person ever reaches a page.

Hostile text is rendered inert too. Bidirectional controls (U+202A-E, U+2066-9), which would
make a link or a sentence read differently from what it says, are stripped. Python-Markdown
struggles with some shapes of text (careerladder/markdown_limits.py); those are shown as plain,
escaped paragraphs instead."""

import re

import markdown as markdown_lib
import nh3

from careerladder.markdown_limits import CONTROLS, is_pathological, render_plain
from careerladder.text import BIDI_CONTROLS

ALLOWED_TAGS = {
    "a",
    "p",
    "br",
    "strong",
    "em",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "del",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}

_BIDI = re.compile(f"[{''.join(sorted(BIDI_CONTROLS))}]")


def strip_bidi_controls(text: str) -> str:
    return _BIDI.sub("", text)


def render_markdown(text: str) -> str:
    text = strip_bidi_controls(CONTROLS.sub("", text))
    if not text.strip():
        return ""
    if is_pathological(text):
        return render_plain(text)
    try:
        html = markdown_lib.markdown(text, extensions=["sane_lists"], output_format="html")
    except RecursionError:
        # Should a shape the checks above miss still nest too deep, it is shown, not a 500.
        return render_plain(text)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
