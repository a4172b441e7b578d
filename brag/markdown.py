"""Markdown for free text: rendered once, when saved, then sanitised with nh3, so that no raw
HTML from a person ever reaches a page.

Hostile text is rendered inert too. Bidirectional controls (U+202A-E, U+2066-9), which would
make a link or a sentence read differently from what it says, are stripped. Python-Markdown
recurses once per nested list ("- - - - x" nests a list per dash) and slows down with the
square of the unmatched "[" or "<" in a paragraph, and of the rules, headings and blank lines;
text shaped like that is shown as plain, escaped paragraphs instead, so that one saved entry
cannot cost seconds of a worker, or a 500."""

import re

import markdown as markdown_lib
import nh3
from django.utils.html import escape

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

# Nobody writes a list ten deep on one line, or a paragraph with a hundred stray brackets; the
# limits are far above what a person writes and far below where the renderer struggles.
MAX_MARKERS_ON_A_LINE = 10
MAX_STRAY_BRACKETS = 100
# Splitting at rules, headings and blank lines costs the square of their number.
MAX_BREAKS = 500

_BIDI = re.compile(f"[{''.join(sorted(BIDI_CONTROLS))}]")
# C0 controls but tab and newlines: NUL, and the STX/ETX Python-Markdown uses as placeholders.
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_NESTED_MARKERS = re.compile(
    rf"^[ \t>]*(?:(?:[-*+]|[0-9]{{1,9}}[.)])[ \t]+(?:>[ \t]*)*){{{MAX_MARKERS_ON_A_LINE},}}",
    re.MULTILINE,
)
# A well-formed inline link costs nothing; only the brackets left after removing them count.
_INLINE_LINK = re.compile(r"!?\[[^\[\]\n]{0,500}\]\([^()\s]{0,2000}(?:\s+\"[^\"\n]{0,500}\")?\)")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
# A blank line, a heading, or a line of only - * _ = (a rule or a heading's underline).
_BREAK = re.compile(r"^[ \t]*(?:#.*|(?:[-*_=][ \t]*)*)$", re.MULTILINE)


def strip_bidi_controls(text: str) -> str:
    return _BIDI.sub("", text)


def is_pathological(text: str) -> bool:
    """True for text the Markdown renderer would recurse too deep on or take seconds over."""
    if _NESTED_MARKERS.search(text) or len(_BREAK.findall(text)) > MAX_BREAKS:
        return True
    for block in _BLANK_LINE.split(text):
        rest = _INLINE_LINK.sub("", block)
        if rest.count("[") + rest.count("<") > MAX_STRAY_BRACKETS:
            return True
    return False


def render_plain(text: str) -> str:
    """Paragraphs and line breaks, everything else escaped: how hostile text is shown."""
    paragraphs = [p.strip("\n") for p in _BLANK_LINE.split(text) if p.strip()]
    return "\n".join(f"<p>{escape(p).replace(chr(10), '<br>')}</p>" for p in paragraphs)


def render_markdown(text: str) -> str:
    text = strip_bidi_controls(_CONTROLS.sub("", text))
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
