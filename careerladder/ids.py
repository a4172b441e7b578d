"""Ids from the outside (query strings, form fields) as numbers a database can look up.
Imports no app."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.http import Http404

# The largest primary key any supported database stores (a signed 64-bit integer).
MAX_ID = 2**63 - 1
_DIGITS = re.compile(r"[0-9]{1,19}")


def parse_id(value: object) -> int | None:
    """The id a text names, or None: only ASCII digits ("²".isdigit() is True, int() refuses
    it), and never past what the database can compare without overflowing."""
    if not isinstance(value, str) or not _DIGITS.fullmatch(value):
        return None
    number = int(value)
    return number if 0 < number <= MAX_ID else None


def id_or_404(value: int) -> int:
    """A URL's <int:…> within the database's range, else 404 (SQLite overflows past it)."""
    if not 0 < value <= MAX_ID:
        raise Http404("No such object.")
    return value


class IdsChoiceField(forms.ModelMultipleChoiceField):
    """A ModelMultipleChoiceField whose posted ids are checked before any query: a value that
    is no id in the database's range is "not a valid value", never an OverflowError."""

    def _check_values(self, value: Any) -> Any:
        for pk in value:
            if parse_id(str(pk)) is None:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)  # type: ignore[misc]  # private in the stubs
