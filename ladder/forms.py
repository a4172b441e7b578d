from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings

from careerladder.text import BIDI_MESSAGE, RefuseBidiControls, has_bidi_controls

from .importers import FORMATS
from .models import Level, Track


class LevelChoiceField(forms.ChoiceField):
    """A level of one track, picked by its code. The form reads the track's levels once and
    hands them over, so that validating and drawing both selects costs no further query."""

    # Not ChoiceField's message, which repeats what was sent back into the page.
    default_error_messages = {
        "invalid_choice": "Select a valid choice. That choice is not one of the available choices."
    }

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=(), **kwargs)
        self.levels: dict[str, Level] = {}

    def use_levels(self, levels: list[Level]) -> None:
        self.levels = {level.code: level for level in levels}
        self.choices = [(level.code, level.label) for level in levels]

    def clean(self, value: Any) -> Level | None:
        code = super().clean(value)
        return self.levels.get(code) if code else None


class LevelDiffForm(RefuseBidiControls, forms.Form):
    """Pick two levels of one track to compare. Without a choice in the URL it starts from the
    signed-in person's current level towards their target (or the next level)."""

    from_level = LevelChoiceField(label="From")
    to_level = LevelChoiceField(label="To")

    def __init__(self, data: Any = None, *, track: Track, user: Any) -> None:
        self.track = track
        levels = list(track.levels.all())
        if data is not None and not ({"from_level", "to_level"} & set(data.keys())):
            data = None
        if data is None and len(levels) >= 2:
            start, end = self._default_pair(levels, user)
            data = {"from_level": start.code, "to_level": end.code}
        super().__init__(data)
        for name in ("from_level", "to_level"):
            cast(LevelChoiceField, self.fields[name]).use_levels(levels)

    @staticmethod
    def _default_pair(levels: list[Level], user: Any) -> tuple[Level, Level]:
        current = getattr(user, "current_level", None)
        if current is not None and current in levels:
            target = getattr(user, "target_level", None)
            if target is not None and target in levels and target != current:
                return current, target
            index = levels.index(current)
            if index + 1 < len(levels):
                return current, levels[index + 1]
            return levels[index - 1], current
        return levels[0], levels[1]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("from_level") and data.get("from_level") == data.get("to_level"):
            self.add_error("to_level", "Pick a level other than the one you compare it with.")
        return data


class LadderUploadForm(RefuseBidiControls, forms.Form):
    file = forms.FileField(
        label="Ladder file",
        # The upload page links the format help (ladder:format) after this text.
        help_text="careerladder/v1 YAML, Monzo framework Markdown or Financial Times job-family "
        "YAML.",
    )
    format = forms.ChoiceField(
        required=False,
        label="Format",
        help_text="Detected from the content unless you pick one.",
    )
    replace = forms.BooleanField(
        required=False,
        label="Replace the ladder with the same slug",
        help_text="Updates it in place; people keep their levels where the codes match.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        formats = cast(forms.ChoiceField, self.fields["format"])
        formats.choices = [("", "Detect from the content")] + [
            (name, label) for name, (label, _) in FORMATS.items()
        ]

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if has_bidi_controls(upload.name or ""):
            # The name is quoted in every message about the file: it must read as it is.
            raise forms.ValidationError(f"The file name: {BIDI_MESSAGE}", code="bidi_control")
        if upload.size > settings.LADDER_UPLOAD_MAX_BYTES:
            limit = settings.LADDER_UPLOAD_MAX_BYTES // 1024
            raise forms.ValidationError(f"The file is larger than {limit} KB.")
        try:
            self.cleaned_data["text"] = upload.read().decode("utf-8")
        except UnicodeDecodeError:
            raise forms.ValidationError(f"{upload.name}: the file is not UTF-8 text.") from None
        return upload
