from __future__ import annotations

import unicodedata
from typing import Any, cast
from urllib.parse import urlsplit

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db.models import Q

from careerladder.text import BIDI_MESSAGE, RefuseBidiControls, has_bidi_controls
from ladder.models import Dimension
from people.models import User

from . import widgets
from .models import (
    BragEntry,
    BragEntryQuerySet,
    Category,
    GlueKind,
    Goal,
    Visibility,
    ladder_dimensions_for,
)
from .quarters import Quarter, recent_quarters

MAX_LINKS = 10
MAX_EXPORT_DAYS = 5 * 366
_url = URLValidator(schemes=["http", "https"])


# Alphabets with letters that look like Latin ones: a host mixing them with Latin ("аpple", with
# a Cyrillic а) reads as another's. Browsers show such names as punycode; we refuse them.
_LOOKALIKE_SCRIPTS = {"CYRILLIC", "GREEK", "ARMENIAN", "CHEROKEE", "COPTIC"}


def link_host_problem(link: str) -> str | None:
    """Why a link's host could read as another's, or None. Its name must survive the trip to
    punycode and back (IDNA), as browsers make it, hold no invisible format characters
    (zero-width joiners, soft hyphens, bidi controls), and not mix Latin letters with
    look-alike ones."""
    try:
        host = urlsplit(link).hostname or ""
    except ValueError:
        return "its address cannot be read"
    for label in host.split("."):
        if any(unicodedata.category(char) == "Cf" for char in label):
            return "its host has invisible characters"
        try:
            shown = label.encode("idna").decode("idna") if label else label
        except UnicodeError:
            return "its host is not a name a browser can look up"
        scripts = {unicodedata.name(c, "?").split()[0] for c in shown if c.isalpha()}
        if "LATIN" in scripts and scripts & _LOOKALIKE_SCRIPTS:
            return "its host mixes Latin letters with look-alike ones from another alphabet"
    return None


class LinksField(forms.CharField):
    """One link per line; only http and https, so that no `javascript:` or `data:` link is
    ever stored."""

    widget = widgets.Textarea(attrs={"rows": 2, "placeholder": "https://… (one per line)"})

    # Cleans to a list of links, not to a str: CharField's own text handling (stripping,
    # refusing null characters) still runs first, which a plain Field would not give.
    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        return [line.strip() for line in text.splitlines() if line.strip()]

    def validate(self, value: list[str]) -> None:
        if len(value) > MAX_LINKS:
            raise ValidationError(f"Up to {MAX_LINKS} links, please; this has {len(value)}.")
        for number, link in enumerate(value, start=1):
            if has_bidi_controls(link):
                # Checked first: the message must not echo the reordered text.
                raise ValidationError(f"Link {number}: {BIDI_MESSAGE}", code="bidi_control")
            try:
                _url(link)
            except ValidationError:
                raise ValidationError(
                    f"Link {number} ({link[:60]}) is not an http:// or https:// address."
                ) from None
            problem = link_host_problem(link)
            if problem:
                raise ValidationError(f"Link {number} ({link[:60]}): {problem}.", code="host")

    def prepare_value(self, value: Any) -> str:
        return "\n".join(value) if isinstance(value, list) else (value or "")


class BragEntryForm(RefuseBidiControls, forms.ModelForm):
    """The whole entry. Quick add uses the same form: only title, category and impact are
    required, the rest is optional."""

    links = LinksField(required=False)
    version = forms.IntegerField(widget=widgets.HiddenInput, required=False)
    # Where keyboard focus goes once the form is swapped in (see focus()).
    focus_field: str | None = None

    class Meta:
        model = BragEntry
        fields = [
            "title",
            "category",
            "impact",
            "date",
            "role",
            "skills",
            "links",
            "dimensions",
            "glue_kind",
            "visibility",
        ]
        widgets = {
            "title": widgets.TextInput,
            "category": widgets.Select,
            "date": widgets.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "impact": widgets.Textarea(attrs={"rows": 3}),
            "role": widgets.Textarea(attrs={"rows": 2}),
            "skills": widgets.Textarea(attrs={"rows": 2}),
            "dimensions": widgets.CheckboxSelectMultiple,
            "glue_kind": widgets.Select,
            "visibility": widgets.Select,
        }
        labels = {"glue_kind": "Glue work"}
        help_texts = {
            "impact": "Quantify it: how much, how many, how fast, for how many people?",
            "glue_kind": "Onboarding, docs, coordination, postmortems, reviews: make it visible.",
            "dimensions": "The ladder dimensions this is evidence for.",
        }

    def __init__(self, *args: Any, owner: User, **kwargs: Any) -> None:
        instance = kwargs.get("instance")
        if instance is not None and instance.pk:
            # The quick-add form is on the same page: give each inline editor its own ids.
            kwargs.setdefault("auto_id", f"id_entry{instance.pk}_%s")
        super().__init__(*args, **kwargs)
        self.owner = owner
        dimensions = cast(forms.ModelMultipleChoiceField, self.fields["dimensions"])
        dimensions.queryset = ladder_dimensions_for(owner)
        cast(forms.ChoiceField, self.fields["glue_kind"]).choices = [
            ("", "Not glue work"),
            *GlueKind.choices,
        ]
        cast(forms.ChoiceField, self.fields["category"]).choices = [
            ("", "Pick a section"),
            *Category.choices,
        ]
        self.fields["date"].required = False
        self.fields["visibility"].required = False
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            self.fields["version"].required = True
        else:
            # Today where the owner is, not where the server is.
            self.initial["date"] = owner.local_today()

    def focus(self) -> None:
        """Say where keyboard focus goes once this form is swapped in: to the first field with
        an error (or the error above the fields), else to the title."""
        # The hidden version field cannot take focus; its error means a stale form anyway.
        shown = [name for name in self.errors if name != "version"] if self.is_bound else []
        name = shown[0] if shown else "title"
        self.focus_field = name
        if name in self.fields:
            # The impact box is written in the template, which reads `focus_field`.
            self.fields[name].widget.attrs["data-focus-here"] = True

    def clean_date(self) -> Any:
        fallback = self.instance.date if self.instance.pk else self.owner.local_today()
        day = self.cleaned_data.get("date") or fallback
        if day > self.owner.local_today():
            raise ValidationError("The date of the work cannot be in the future.")
        return day

    def clean_visibility(self) -> str:
        # Left out: an edit keeps what the entry had (never widening who reads it); a new
        # entry gets the default, "me and my managers".
        fallback = self.instance.visibility if self.instance.pk else Visibility.MANAGERS
        return self.cleaned_data.get("visibility") or fallback

    def is_stale(self) -> bool:
        """True when the entry changed since this form was opened (another tab, another
        device): the edit is refused instead of overwriting that change."""
        return bool(self.instance.pk) and self.cleaned_data.get("version") != self.instance.version


class BragFilterForm(RefuseBidiControls, forms.Form):
    """Filters for a brag document, kept in the URL."""

    quarter = forms.ChoiceField(required=False, widget=widgets.Select)
    category = forms.ChoiceField(
        required=False, choices=[("", "All categories"), *Category.choices], widget=widgets.Select
    )
    dimension: forms.ModelChoiceField[Dimension] = forms.ModelChoiceField(
        queryset=None,
        required=False,
        empty_label="All dimensions",
        to_field_name="key",
        widget=widgets.Select,
    )
    glue = forms.ChoiceField(
        required=False,
        choices=[("", "Glue or not"), ("any", "Any glue work"), *GlueKind.choices],
        label="Glue work",
        widget=widgets.Select,
    )
    q = forms.CharField(
        required=False,
        max_length=100,
        label="Search",
        widget=widgets.TextInput(attrs={"type": "search", "placeholder": "Search my entries"}),
    )

    def __init__(self, data: Any, *, owner: User, viewer: User | None = None) -> None:
        # Its own ids: the quick-add form on the same page has a category field too.
        super().__init__(data, auto_id="filter_%s")
        if viewer is not None and viewer.pk != owner.pk:
            self.fields["q"].widget.attrs["placeholder"] = f"Search {owner.display_name}’s entries"
        quarters = recent_quarters(owner.local_today())
        asked = Quarter.parse((data or {}).get("quarter", ""))
        if asked and asked not in quarters:
            quarters.append(asked)
        cast(forms.ChoiceField, self.fields["quarter"]).choices = [("", "All quarters")] + [
            (q.key, q.label) for q in quarters
        ]
        dimension = cast(forms.ModelChoiceField, self.fields["dimension"])
        dimension.queryset = ladder_dimensions_for(owner)

    def clean_quarter(self) -> Quarter | None:
        return Quarter.parse(self.cleaned_data.get("quarter", ""))

    def apply[Entries: BragEntryQuerySet](self, entries: Entries) -> Entries:
        """Apply every filter that is valid; an invalid one shows its error and is left out."""
        self.is_valid()
        data = self.cleaned_data
        if data.get("quarter"):
            entries = entries.in_quarter(data["quarter"])
        if data.get("category"):
            entries = entries.filter(category=data["category"])
        if data.get("dimension"):
            entries = entries.filter(dimensions=data["dimension"])
        if data.get("glue") == "any":
            entries = entries.exclude(glue_kind="")
        elif data.get("glue"):
            entries = entries.filter(glue_kind=data["glue"])
        if data.get("q"):
            text = data["q"]
            entries = entries.filter(
                Q(title__icontains=text)
                | Q(impact__icontains=text)
                | Q(role__icontains=text)
                | Q(skills__icontains=text)
            )
        return entries

    @property
    def is_filtered(self) -> bool:
        self.is_valid()
        return any(self.cleaned_data.values()) or bool(self.errors)


class GoalForm(RefuseBidiControls, forms.ModelForm):
    class Meta:
        model = Goal
        fields = ["text"]
        labels = {"text": "What I want to do next"}
        widgets = {"text": forms.TextInput(attrs={"placeholder": "A goal for this quarter"})}


class ExportForm(RefuseBidiControls, forms.Form):
    """A quarter, or a date range, for the Markdown export and the print page."""

    quarter = forms.CharField(required=False)
    start = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean_quarter(self) -> Quarter | None:
        value = self.cleaned_data.get("quarter") or ""
        if value and Quarter.parse(value) is None:
            raise ValidationError("Write the quarter as 2026-Q3.")
        return Quarter.parse(value)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        start, end = data.get("start"), data.get("end")
        if (start is None) != (end is None):
            raise ValidationError("Give both the first and the last day of the range.")
        if start and end and start > end:
            raise ValidationError("The range ends before it starts.")
        if start and end and (end - start).days > MAX_EXPORT_DAYS:
            raise ValidationError("Export at most five years at a time.")
        return data
