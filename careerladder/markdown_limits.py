"""What text Python-Markdown must not be given, and how such text is shown instead. Shared by the
brag entries' and notes' Markdown (brag/markdown.py) and the ladder's descriptions and format
help (careerladder/docs.py); it imports no app.

Python-Markdown recurses once per nested list marker on a line ("- - - - x" nests a list per
dash) and slows down with the square of the unmatched "[" or "<" in a paragraph, and of the
rules, headings and blank lines: text shaped like that is shown as plain, escaped paragraphs, so
that one saved text cannot cost seconds of a worker, or a 500."""

import re

from django.utils.html import escape

# Nobody writes a list ten deep on one line, or a paragraph with a hundred stray brackets; the
# limits are far above what a person writes and far below where the renderer struggles.
MAX_MARKERS_ON_A_LINE = 10
MAX_STRAY_BRACKETS = 100
# Splitting at rules, headings and blank lines costs the square of their number.
MAX_BREAKS = 500

# C0 controls but tab and newlines: NUL, and the STX/ETX Python-Markdown uses as placeholders.
CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_NESTED_MARKERS = re.compile(
    rf"^[ \t>]*(?:(?:[-*+]|[0-9]{{1,9}}[.)])[ \t]+(?:>[ \t]*)*){{{MAX_MARKERS_ON_A_LINE},}}",
    re.MULTILINE,
)
# A well-formed inline link costs nothing; only the brackets left after removing them count.
_INLINE_LINK = re.compile(r"!?\[[^\[\]\n]{0,500}\]\([^()\s]{0,2000}(?:\s+\"[^\"\n]{0,500}\")?\)")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
# A blank line, a heading, or a line of only - * _ = (a rule or a heading's underline).
_BREAK = re.compile(r"^[ \t]*(?:#.*|(?:[-*_=][ \t]*)*)$", re.MULTILINE)


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
