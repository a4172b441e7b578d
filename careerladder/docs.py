"""The project's own Markdown documents (docs/*.md), shown as pages in the app: one source for
the repository and the app, so that the help a page links to never drifts from the docs.

Imports no app. The documents are ours, but they are sanitised all the same (no raw HTML, no
inline styles the CSP would block, no scripts), so that a careless edit cannot put markup into a
page. Their links to other files of the repository lead nowhere inside the app, so relative links
keep their text and lose their target."""

import hashlib
import re
import threading
from collections import Counter, OrderedDict
from functools import lru_cache
from html import unescape
from pathlib import Path

import markdown as markdown_lib
import nh3
from django.conf import settings
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .markdown_limits import CONTROLS, is_pathological, render_plain

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


def _sanitise(html: str, tags: set[str]) -> str:
    """The same rules for the format help and the ladder's descriptions: only `tags`, links out
    of the app only, and relative links (to files of the repository) dropped."""
    return nh3.clean(
        html,
        tags=tags,
        attributes=DOC_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        url_relative="deny",
        link_rel="noopener noreferrer",
    )


def render_doc_text(text: str) -> str:
    html = markdown_lib.markdown(text, extensions=["tables", "fenced_code"], output_format="html")
    return _wrap_tables(_sanitise(html, DOC_TAGS))


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


# Descriptions of ladders, tracks and dimensions: free text from whoever wrote the ladder file,
# often plain text with hard line breaks (YAML), sometimes Markdown (Monzo's intro). Line breaks
# are kept, and a list may start right under a line of text, as people write them.
DESCRIPTION_TAGS = DOC_TAGS | {"h5", "h6"}
_LIST_ITEM = re.compile(r" {0,3}(?:[-*+]|[0-9]{1,9}[.)])[ \t]+\S")
_FENCE = re.compile(r" {0,3}(?:```|~~~)")
# nh3 leaves a heading no attribute, so its tags are exactly these.
_HEADING_TAG = re.compile(r"<(/?)h([1-6])>")
_DESCRIPTIONS_KEPT = 256

# Longer than any description a person writes: shown as plain paragraphs, like text of a shape
# Python-Markdown struggles with (careerladder/markdown_limits.py), so that one imported ladder
# cannot cost seconds of a worker, or a 500.
MAX_MARKDOWN_CHARACTERS = 20_000


def _too_costly(text: str) -> bool:
    return len(text) > MAX_MARKDOWN_CHARACTERS or is_pathological(text)


def _open_lists(text: str) -> str:
    """A blank line before a list item that follows a line of text, outside code fences:
    Python-Markdown would otherwise read the items as more lines of the paragraph."""
    lines: list[str] = []
    fenced = False
    previous = ""
    for line in text.splitlines():
        if _FENCE.match(line):
            fenced = not fenced
        elif (
            not fenced
            and _LIST_ITEM.match(line)
            and previous.strip()
            and not previous[0].isspace()
            and not _LIST_ITEM.match(previous)
        ):
            lines.append("")
        lines.append(line)
        previous = line
    return "\n".join(lines)


def _fit_headings(html: str, top: int | None) -> str:
    """Headings moved under the page's own: the text's highest becomes h<top>, and none is more
    than one level below the heading before it, so the page's outline stays whole (axe's
    heading-order). With `top` None (text inside a table cell) headings become bold lines."""
    if top is None:
        return _HEADING_TAG.sub(lambda tag: "</strong></p>" if tag[1] else "<p><strong>", html)
    ranks = sorted({int(level) for _, level in _HEADING_TAG.findall(html)})
    previous = top - 1
    opened: list[int] = []

    def fit(tag: re.Match[str]) -> str:
        nonlocal previous
        if tag[1]:
            return f"</h{opened.pop()}>" if opened else ""
        level = min(top + ranks.index(int(tag[2])), previous + 1, 6)
        previous = level
        opened.append(level)
        return f"<h{level}>"

    return _HEADING_TAG.sub(fit, html)


def _render_description(text: str, top: int | None) -> str:
    text = _open_lists(CONTROLS.sub("", text).replace("\r\n", "\n"))
    if _too_costly(text):
        return render_plain(text)
    try:
        html = markdown_lib.markdown(
            text, extensions=["tables", "fenced_code", "nl2br", "sane_lists"], output_format="html"
        )
    except RecursionError:  # a shape the checks above miss is shown plain, not as a 500
        return render_plain(text)
    return _wrap_tables(_fit_headings(_sanitise(html, DESCRIPTION_TAGS), top))


class RenderedDescriptions:
    """Rendered once per text and heading level, by the text's hash: a ladder's texts change
    only with a new version, and the level map is read far more often. Bounded, least
    recently used out first; safe across threads."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._html: OrderedDict[tuple[str, int | None], str] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, text: str, top: int | None) -> str:
        key = (hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest(), top)
        with self._lock:
            html = self._html.get(key)
            if html is not None:
                self._html.move_to_end(key)
                return html
        # Rendered outside the lock: two threads that miss together both render, and agree.
        html = _render_description(text, top)
        with self._lock:
            self._html[key] = html
            self._html.move_to_end(key)
            while len(self._html) > self.size:
                self._html.popitem(last=False)
        return html

    def __len__(self) -> int:
        return len(self._html)

    def clear(self) -> None:
        with self._lock:
            self._html.clear()


rendered_descriptions = RenderedDescriptions(_DESCRIPTIONS_KEPT)


def render_description(text: str, top: int | None = 2) -> SafeString:
    """A ladder's, track's or dimension's description as sanitised HTML, its headings starting
    at h<top> (or, with None, none at all)."""
    if not text.strip():
        return mark_safe("")
    return mark_safe(rendered_descriptions.get(text, top))  # sanitised by nh3 or escaped
