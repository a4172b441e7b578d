"""Text rules every form shares. Imports no app.

Bidirectional control characters (U+202A-U+202E, U+2066-U+2069) reorder what follows them on
screen: "gpj.exe" can be shown as "exe.jpg", a link's host can read as another's. Nobody types
them on purpose in a title, a name or a link, so forms refuse them with a message on the field.
The marks U+200E and U+200F, which right-to-left writers do use, are allowed.
"""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
BIDI_MESSAGE = (
    "Remove the invisible characters that change the text's direction (such as U+202E): "
    "they can make it read differently from what it says."
)


def has_bidi_controls(text: str) -> bool:
    return not BIDI_CONTROLS.isdisjoint(text)


def refuse_bidi_controls(value: Any) -> None:
    """A validator for text and URL fields."""
    if isinstance(value, str) and has_bidi_controls(value):
        raise ValidationError(BIDI_MESSAGE, code="bidi_control")


class RefuseBidiControls:
    """Mix into a form (before forms.Form or forms.ModelForm): every text field, URL and email
    field refuses bidirectional control characters."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField):
                # Fields are copied for each form instance, so this list is this form's own.
                field.validators = [*field.validators, refuse_bidi_controls]


def form_errors_text(form: forms.BaseForm) -> str:
    """A form's errors as one line, for answers that are not a page with the form on it."""
    return " ".join(str(error) for errors in form.errors.values() for error in errors)
