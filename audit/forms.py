"""The filters of the audit trail page."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from people.models import User

from .trail import audited_models


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.display_name} ({obj.email})"


class TrailFilterForm(forms.Form):
    model = forms.ChoiceField(label="Record", required=False)
    person = PersonChoiceField(
        queryset=User.objects.order_by("name", "email"),
        required=False,
        empty_label="Anyone",
        help_text="Changes this person made, and changes to their memberships, levels and account.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["model"]).choices = [("", "All records")] + [
            (label, str(model._meta.verbose_name_plural).capitalize())
            for label, model in audited_models().items()
        ]

    def selection(self) -> tuple[str | None, User | None]:
        """The model label and person to filter by; nothing when the form is invalid."""
        if not self.is_valid():
            return None, None
        return self.cleaned_data["model"] or None, self.cleaned_data["person"]
