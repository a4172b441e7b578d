from __future__ import annotations

from typing import Any

from django import forms

from brag.models import BragEntry
from careerladder.ids import IdsChoiceField

from .models import Rating

BELOW = "below"


class RatingForm(forms.Form):
    """One dimension of an assessment. Autosaved on every change."""

    level = forms.ChoiceField(required=False, label="Level that fits best")
    comment = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": "Why this level? What shows it?"}),
    )
    evidence = IdsChoiceField(
        queryset=BragEntry.objects.none(),
        required=False,
        error_messages={
            "invalid_choice": "Attach only entries of %(subject)s that you can read.",
            "invalid_pk_value": "That is not a brag entry.",
        },
    )

    def __init__(self, data: Any = None, *, rating: Rating) -> None:
        self.rating = rating
        assessment = rating.assessment
        initial = {
            "level": BELOW
            if rating.below_first_level
            else (str(rating.level_id) if rating.level_id else ""),
            "comment": rating.comment,
        }
        super().__init__(data, initial=initial, prefix=f"r{rating.pk}")
        self.levels = {str(level.pk): level for level in _track_levels(assessment)}
        self.fields["level"].choices = [
            ("", "Not rated yet"),
            (BELOW, "Below the first level"),
            *[(pk, level.label) for pk, level in self.levels.items()],
        ]
        self.fields["level"].error_messages["invalid_choice"] = (
            f"Pick a level of the {assessment.track.name} track."
        )
        self.fields["evidence"].queryset = evidence_choices(assessment)
        self.fields["evidence"].error_messages["invalid_choice"] = (
            f"Attach only entries of {assessment.subject.display_name} that you can read."
        )

    def clean_level(self) -> str:
        return self.cleaned_data.get("level") or ""

    def save(self) -> Rating:
        rating = self.rating
        choice = self.cleaned_data["level"]
        rating.below_first_level = choice == BELOW
        rating.level = self.levels.get(choice)
        rating.comment = self.cleaned_data["comment"]
        rating.save()
        rating.evidence.set(self.cleaned_data["evidence"])
        return rating


def evidence_choices(assessment: Any) -> Any:
    """The subject's entries that the author may read: the only ones that can be evidence."""
    return BragEntry.objects.visible_to(assessment.author).filter(owner=assessment.subject)


def _track_levels(assessment: Any) -> list[Any]:
    """The track's levels, fetched once per assessment even with a form per dimension."""
    if not hasattr(assessment, "_track_levels"):
        assessment._track_levels = list(assessment.track.levels.all())
    return assessment._track_levels
