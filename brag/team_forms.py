"""The team page's range picker: this quarter, a chosen quarter, or the last four quarters."""

from __future__ import annotations

import datetime as dt

from django import forms

from careerladder.text import RefuseBidiControls

from .quarters import Quarter, recent_quarters

LAST_FOUR = "last4"


class TeamRangeForm(RefuseBidiControls, forms.Form):
    """`?quarter=2026-Q3` or `?range=last4`; neither means this quarter. Bookmarkable."""

    range = forms.ChoiceField(
        choices=[("", "This quarter"), (LAST_FOUR, "The last four quarters")],
        required=False,
        label="Range",
    )
    quarter = forms.CharField(
        required=False,
        max_length=7,
        label="Or a quarter",
        widget=forms.TextInput(attrs={"placeholder": "2026-Q3", "size": 8}),
    )

    def clean_quarter(self) -> Quarter | None:
        value = (self.cleaned_data.get("quarter") or "").strip()
        if not value:
            return None
        quarter = Quarter.parse(value)
        if quarter is None:
            raise forms.ValidationError("Write a quarter as YYYY-Qn, for example 2026-Q3.")
        return quarter

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("range") == LAST_FOUR and data.get("quarter"):
            raise forms.ValidationError("Pick either a quarter or the last four quarters.")
        return data

    def quarters(self, today: dt.date) -> list[Quarter]:
        """The quarters chosen, oldest first; call after is_valid()."""
        if self.cleaned_data.get("quarter"):
            return [self.cleaned_data["quarter"]]
        if self.cleaned_data.get("range") == LAST_FOUR:
            return sorted(recent_quarters(today, 4))
        return [Quarter.of(today)]
