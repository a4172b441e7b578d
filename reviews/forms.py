from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.db.models import Q

from brag.models import BragEntry
from careerladder.ids import IdsChoiceField
from careerladder.text import RefuseBidiControls
from ladder.models import Expectation

from .evidence import evidence_choices, hidden_evidence_ids
from .models import Assessment, Rating

BELOW = "below"


@dataclass(frozen=True)
class LevelOption:
    """One radio button of the level choice: the level's name and its expectation text."""

    id: str
    name: str
    value: str
    label: str
    text: str
    checked: bool


class RatingForm(RefuseBidiControls, forms.Form):
    """One dimension of an assessment. Autosaved on every change.

    The evidence field changes only the entries the author can see: attached entries they can
    no longer see (made private or deleted since) stay attached, see reviews/evidence.py."""

    level = forms.ChoiceField(
        required=False, label="Level that fits best", widget=forms.RadioSelect
    )
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
        level_field = cast(forms.ChoiceField, self.fields["level"])
        evidence_field = cast(IdsChoiceField, self.fields["evidence"])
        self.level_choices: list[tuple[str, str]] = [
            ("", "Not rated yet"),
            (BELOW, "Below the first level"),
            *[(pk, level.label) for pk, level in self.levels.items()],
        ]
        level_field.choices = self.level_choices
        level_field.error_messages["invalid_choice"] = (
            f"Pick a level of the {assessment.track.name} track."
        )
        # What the author may attach, and what is attached already: a page opened before an
        # entry was hidden still posts it, and keeping it changes nothing.
        attached = Rating.evidence.through.objects.filter(rating_id=rating.pk)
        evidence_field.queryset = BragEntry.objects.filter(
            Q(pk__in=evidence_choices(assessment).values("pk"))
            | Q(pk__in=attached.values("bragentry_id"))
        )
        evidence_field.error_messages["invalid_choice"] = (
            f"Attach only entries of {assessment.subject.display_name} that you can read."
        )

    def level_options(self) -> list[LevelOption]:
        """The level choices as radio buttons, each with what the level expects on this
        dimension, so that the person reads the expectation while choosing."""
        texts = track_texts(self.rating.assessment)
        key = self.rating.dimension_key
        field = self["level"]
        chosen = str(field.value() or "")
        options = []
        for index, (value, label) in enumerate(self.level_choices):
            level = self.levels.get(str(value))
            if value == "":
                text = "Leave this dimension for later."
            elif value == BELOW:
                text = "The first level’s expectation is not met yet."
            else:
                text = texts.get((level.code, key), "") if level else ""
            options.append(
                LevelOption(
                    id=f"{field.auto_id}_{index}",
                    name=field.html_name,
                    value=str(value),
                    label=str(label),
                    text=text,
                    checked=str(value) == chosen,
                )
            )
        return options

    def clean_level(self) -> str:
        return self.cleaned_data.get("level") or ""

    def save(self) -> Rating:
        rating = self.rating
        choice = self.cleaned_data["level"]
        rating.below_first_level = choice == BELOW
        rating.level = self.levels.get(choice)
        rating.comment = self.cleaned_data["comment"]
        rating.save()
        chosen = {entry.pk for entry in self.cleaned_data["evidence"]}
        rating.evidence.set(chosen | set(hidden_evidence_ids(rating)))
        return rating


def _track_levels(assessment: Any) -> list[Any]:
    """The track's levels, fetched once per assessment even with a form per dimension."""
    if not hasattr(assessment, "_track_levels"):
        assessment._track_levels = list(assessment.track.levels.all())
    return assessment._track_levels


def track_texts(assessment: Assessment) -> dict[tuple[str, str], str]:
    """(level code, dimension key) -> expectation summary for every level of the assessment's
    track on the live ladder (a draft is rated against it), in one query per assessment."""
    if not hasattr(assessment, "_track_texts"):
        rows = Expectation.objects.filter(level__track_id=assessment.track_id).values_list(
            "level__code", "dimension__key", "summary"
        )
        assessment._track_texts = {  # type: ignore[attr-defined]
            (code, key): summary for code, key, summary in rows
        }
    return assessment._track_texts  # type: ignore[attr-defined]
