"""What a page's ids must hold for assistive technology: every id once, and every
aria-describedby, aria-labelledby and label[for] naming an element that is on the page."""

from collections import Counter
from html.parser import HTMLParser

REFERENCES = ("aria-describedby", "aria-labelledby")


class _Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: Counter[str] = Counter()
        self.references: list[tuple[str, str, str]] = []  # (tag, attribute, id)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name == "id":
                self.ids[value] += 1
            elif name in REFERENCES:
                self.references += [(tag, name, ref) for ref in value.split()]
            elif name == "for" and tag == "label":
                self.references.append((tag, name, value))


def id_problems(html: str) -> list[str]:
    """Each problem as a sentence; an empty list when the page is sound."""
    parser = _Ids()
    parser.feed(html)
    problems = [f"id {id_!r} appears {n} times" for id_, n in parser.ids.items() if n > 1]
    problems += [
        f"<{tag} {attribute}> names {ref!r}, which is not on the page"
        for tag, attribute, ref in parser.references
        if parser.ids[ref] == 0
    ]
    return problems


def references(html: str, attribute: str) -> list[str]:
    parser = _Ids()
    parser.feed(html)
    return [ref for _, name, ref in parser.references if name == attribute]
