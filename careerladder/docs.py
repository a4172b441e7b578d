"""The project's own Markdown documents (docs/*.md), shown as pages in the app: one source for
the repository and the app, so that the help a page links to never drifts from the docs.

Imports no app. The documents are ours, but they are sanitised all the same (no raw HTML, no
inline styles the CSP would block, no scripts), so that a careless edit cannot put markup into a
page. Their links to other files of the repository lead nowhere inside the app, so relative links
keep their text and lose their target."""

import re
from collections import Counter
from functools import lru_cache
from html import unescape
from pathlib import Path

import markdown as markdown_lib
import nh3
from django.conf import settings
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

DOCS_DIR = Path(settings.BASE_DIR) / "docs"

DOC_TAGS = {
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
    "h1",
    "h2",
    "h3",
    "h4",
    "hr",
    "del",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
DOC_ATTRIBUTES = {"a": {"href", "title"}}

# A wide table scrolls inside its own box, never the page; the box takes keyboard focus so that
# it can be scrolled without a mouse, and is named by the table's headings (names of regions
# must differ).
_TABLE = re.compile(r"<table>(.*?)</table>", re.DOTALL)
_HEADING = re.compile(r"<th>(.*?)</th>", re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


def _wrap_tables(html: str) -> str:
    names: Counter[str] = Counter()

    def wrap(table: re.Match[str]) -> str:
        cells = _HEADING.findall(table.group(1))
        headings = [" ".join(unescape(_TAG.sub("", cell)).split()) for cell in cells]
        name = "Table: " + ", ".join(headings)
        names[name] += 1
        if names[name] > 1:
            name += f" ({names[name]})"
        return (
            f'<div class="doc-table" role="region" aria-label="{escape(name)}" tabindex="0">'
            f"{table.group(0)}</div>"
        )

    return _TABLE.sub(wrap, html)


class MissingDoc(LookupError):
    """The document is not where the app runs (a deployment that left docs/ out)."""


def render_doc_text(text: str) -> str:
    html = markdown_lib.markdown(text, extensions=["tables", "fenced_code"], output_format="html")
    clean = nh3.clean(
        html,
        tags=DOC_TAGS,
        attributes=DOC_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        url_relative="deny",
        link_rel="noopener noreferrer",
    )
    return _wrap_tables(clean)


def render_doc(name: str) -> SafeString:
    """docs/<name> as sanitised HTML; read again only when the file changes."""
    path = DOCS_DIR / name
    try:
        stat = path.stat()
    except FileNotFoundError:
        raise MissingDoc(name) from None
    # The size too: two writes within one tick of the file system's clock share a time.
    html = _render_file(path, stat.st_mtime_ns, stat.st_size)
    return mark_safe(html)  # sanitised by nh3 in render_doc_text


@lru_cache(maxsize=8)
def _render_file(path: Path, changed: int, size: int) -> str:
    return render_doc_text(path.read_text(encoding="utf-8"))
