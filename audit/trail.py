"""The staff's reading of the audit trail: every history table as one list, latest first.

What a row may say, in one place: when, who made the change, what (the kind of record and its
id), the names of the fields that changed, and whether it was created, changed or deleted. The
person a record is about is named only for people records (memberships, level changes, a
person's own record): a note, an assessment or a packet names nobody, since staff may not know
who has one. No value of any field is ever read here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import BigIntegerField, F, Q, Value
from django.db.models.functions import Cast

from people.models import User

from .history import AUDITED

# The person a change concerns, per audited model, where that is not private: the history
# column naming them. Models not listed name nobody.
CONCERNS: dict[str, str] = {
    "people.membership": "user_id",
    "people.levelchange": "person_id",
    "people.user": "id",
}

KINDS = {"+": "created", "~": "changed", "-": "deleted"}

COLUMNS = (
    "history_id",
    "history_date",
    "history_type",
    "history_user_id",
    "changed_fields",
    "record_id",
    "concerns_id",
    "audited_model",
)


def audited_models() -> dict[str, type[models.Model]]:
    """Label ("reviews.rating") -> model, in a stable order for the filter."""
    return {model._meta.label_lower: model for model in sorted(AUDITED, key=_verbose)}


def _verbose(model: type[models.Model]) -> str:
    return str(model._meta.verbose_name)


def changes(label: str | None = None, person: User | None = None) -> models.QuerySet:
    """Every recorded change as rows of COLUMNS, latest first: one UNION ALL over the history
    tables, so that a page costs the same few queries however many rows and kinds there are.
    `label`: one model only. `person`: changes they made, and changes about them where the
    model names the person it concerns."""
    selected = audited_models()
    if label is not None:
        selected = {label: selected[label]}
    parts = []
    for name, model in selected.items():
        history = model.history.model  # type: ignore[attr-defined]
        concerns = CONCERNS.get(name)
        rows = history.objects.order_by()  # each part unordered: the union is ordered once
        if person is not None:
            about = Q(history_user_id=person.pk)
            if concerns:
                about |= Q(**{concerns: person.pk})
            rows = rows.filter(about)
        parts.append(
            rows.annotate(
                # Typed casts, so that PostgreSQL matches the columns of every part.
                record_id=Cast(F(model._meta.pk.attname), BigIntegerField()),
                concerns_id=Cast(F(concerns) if concerns else Value(None), BigIntegerField()),
                audited_model=Cast(Value(name), models.CharField(max_length=100)),
            ).values(*COLUMNS)
        )
    first, *rest = parts
    union = first.union(*rest, all=True) if rest else first
    return union.order_by("-history_date", "-history_id")


@dataclass(frozen=True)
class Change:
    when: Any
    who: str
    what: str
    record_id: int
    concerns: str
    fields: list[str]
    kind: str


def describe(rows: list[dict[str, Any]]) -> list[Change]:
    """The rows of one page, told in words: one query for every person named on the page."""
    models_by_label = audited_models()
    ids = {row["history_user_id"] for row in rows} | {row["concerns_id"] for row in rows}
    people = User.objects.in_bulk([pk for pk in ids if pk is not None])
    described = []
    for row in rows:
        model = models_by_label[row["audited_model"]]
        described.append(
            Change(
                when=row["history_date"],
                who=_name(people, row["history_user_id"], nobody="the system"),
                what=str(model._meta.verbose_name).capitalize(),
                record_id=row["record_id"],
                concerns=_name(people, row["concerns_id"], nobody=""),
                fields=[_field_name(model, name) for name in row["changed_fields"] or []],
                kind=KINDS.get(row["history_type"], row["history_type"]),
            )
        )
    return described


def _name(people: dict[int, User], pk: int | None, *, nobody: str) -> str:
    if pk is None:
        return nobody
    person = people.get(pk)
    return f"{person.display_name} ({person.email})" if person else f"person #{pk}, since deleted"


def _field_name(model: type[models.Model], name: str) -> str:
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:  # a field that has left the model since: its name is all there is
        return name
    return str(getattr(field, "verbose_name", name))
