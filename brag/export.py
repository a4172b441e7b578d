"""The brag document in the guide's template: a Markdown download and a page to print."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch, Q
from django.utils.text import slugify

from people.models import User

from .models import BragEntry, Category, GlueRecognition, Goal
from .quarters import Quarter


@dataclass
class Section:
    title: str
    entries: list[BragEntry]


@dataclass
class BragDocument:
    person: User
    period: str
    file_period: str
    sections: list[Section]
    goals: list[Goal]

    @property
    def filename(self) -> str:
        return f"brag-document-{slugify(self.person.display_name)}-{self.file_period}.md"

    @property
    def entry_count(self) -> int:
        return sum(len(section.entries) for section in self.sections)


def build_document(
    viewer: User,
    person: User,
    *,
    quarter: Quarter | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> BragDocument:
    """The entries of `person` that `viewer` may read, for a quarter or a date range, in the
    template's sections and in the order the work happened."""
    if start is None or end is None:
        quarter = quarter or Quarter.of(person.local_today())
        start, end = quarter.start, quarter.end
        period, file_period = quarter.label, quarter.key
    else:
        period = f"{start:%-d %b %Y} – {end:%-d %b %Y}"
        file_period = f"{start:%Y-%m-%d}-to-{end:%Y-%m-%d}"
    entries = list(
        BragEntry.objects.visible_to(viewer)
        .filter(owner=person, date__gte=start, date__lte=end)
        .prefetch_related(
            "dimensions",
            Prefetch("recognitions", queryset=GlueRecognition.objects.select_related("by")),
        )
        .order_by("date", "created", "pk")
    )
    sections = [
        Section(label, [entry for entry in entries if entry.category == value])
        for value, label in Category.choices
    ]
    first, last = Quarter.of(start), Quarter.of(end)
    quarters = (Q(year__gt=first.year) | Q(year=first.year, quarter__gte=first.number)) & (
        Q(year__lt=last.year) | Q(year=last.year, quarter__lte=last.number)
    )
    goals = list(
        Goal.objects.visible_to(viewer)
        .filter(quarters, owner=person)
        .order_by("year", "quarter", "created")
    )
    return BragDocument(person, period, file_period, sections, goals)


def _indent(text: str, spaces: int) -> str:
    """Continuation lines of a list item, indented so that Markdown keeps them in the item."""
    lines = [line.rstrip() for line in text.strip().splitlines()]
    return ("\n" + " " * spaces).join(line for line in lines)


def _entry_markdown(entry: BragEntry) -> str:
    lines = [f"- **{entry.title}** ({entry.date:%-d %b %Y})"]
    if entry.role:
        lines.append(f"  - My role: {_indent(entry.role, 4)}")
    lines.append(f"  - Impact: {_indent(entry.impact, 4)}")
    if entry.skills:
        lines.append(f"  - Skills demonstrated: {_indent(entry.skills, 4)}")
    dimensions = [dimension.name for dimension in entry.dimensions.all()]
    if dimensions:
        lines.append(f"  - Ladder dimensions: {', '.join(dimensions)}")
    if entry.glue_kind:
        lines.append(f"  - Glue work: {entry.get_glue_kind_display()}")
        for recognition in entry.recognitions.all():
            comment = f": {_indent(recognition.comment, 4)}" if recognition.comment else ""
            lines.append(f"  - Recognised by {recognition.by.display_name}{comment}")
    if entry.links:
        lines.append(f"  - Links: {', '.join(f'<{link}>' for link in entry.links)}")
    return "\n".join(lines)


def to_markdown(document: BragDocument) -> str:
    parts = [f"# Brag Document — {document.person.display_name} — {document.period}"]
    for section in document.sections:
        parts.append(f"## {section.title}")
        if section.entries:
            parts.append("\n".join(_entry_markdown(entry) for entry in section.entries))
        else:
            parts.append("- Nothing logged here for this period.")
    parts.append("## What I Want to Do Next")
    if document.goals:
        parts.append(
            "\n".join(
                f"- {'[x] ' if goal.done else ''}{_indent(goal.text, 2)}" for goal in document.goals
            )
        )
    else:
        parts.append("- No goals written down for this period.")
    return "\n\n".join(parts) + "\n"
