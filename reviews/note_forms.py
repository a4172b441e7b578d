"""Forms for review notes: writing one, and filtering and comparing what is there."""

from __future__ import annotations

from typing import Any

from django import forms

from careerladder.text import RefuseBidiControls

from .models import ReviewCycle
from .note_models import ReviewNote


class ReviewNoteForm(RefuseBidiControls, forms.ModelForm):
    """Title, cycle and Markdown text. Editing carries the version the form was opened at, so
    that a save on top of someone else's is refused instead of overwriting it."""

    version = forms.IntegerField(
        widget=forms.HiddenInput,
        required=False,
        min_value=1,
        error_messages={
            "required": "This form is missing the version it was opened at: reload the note.",
            "invalid": "This form is missing the version it was opened at: reload the note.",
        },
    )

    class Meta:
        model = ReviewNote
        fields = ["title", "cycle", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 12})}
        labels = {"cycle": "Review cycle", "body": "Note"}
        help_texts = {
            "body": "Markdown: **bold**, *italic*, lists, links. Up to 20,000 characters.",
            "cycle": "Optional: the review cycle this note is for.",
        }
        error_messages = {
            "title": {"required": "Give the note a title."},
            "cycle": {
                "invalid_choice": "That review cycle does not exist: pick one from the list."
            },
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cycle = self.fields["cycle"]
        assert isinstance(cycle, forms.ModelChoiceField)
        cycle.queryset = ReviewCycle.objects.all()
        cycle.empty_label = "No cycle"
        if self.instance.pk:
            self.fields["version"].required = True
            self.fields["version"].initial = self.instance.version


class NoteFilterForm(RefuseBidiControls, forms.Form):
    """Which notes of a person to list: all, or one cycle's."""

    cycle = forms.ModelChoiceField(
        queryset=ReviewCycle.objects.all(),
        required=False,
        empty_label="All cycles",
        label="Review cycle",
    )

    def apply(self, notes: Any) -> Any:
        if self.is_valid() and self.cleaned_data["cycle"] is not None:
            return notes.filter(cycle=self.cleaned_data["cycle"])
        return notes


class VersionPairForm(RefuseBidiControls, forms.Form):
    """Two version numbers of a note to compare, as `?from=N&to=M`. Without either number it
    compares the latest version with the one before. Whether a number is a version of this
    note is the view's question (a 404, not a form error)."""

    def __init__(self, data: Any = None, *, numbers: list[int]) -> None:
        if data is not None and not ({"from", "to"} & set(data.keys())):
            data = None
        if data is None and len(numbers) >= 2:
            data = {"from": numbers[1], "to": numbers[0]}
        super().__init__(data)
        choices = [(n, f"Version {n}") for n in numbers]
        # "from" is a Python keyword, so the fields cannot be declared on the class.
        for name, label in (("from", "From"), ("to", "To")):
            self.fields[name] = forms.IntegerField(
                label=label, min_value=1, widget=forms.Select(choices=choices)
            )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("from") is not None and data.get("from") == data.get("to"):
            self.add_error("to", "Pick a version other than the one you compare it with.")
        return data
