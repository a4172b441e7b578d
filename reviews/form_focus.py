"""Where keyboard focus goes when a form is swapped into the page (static/js/app.js focuses the
element marked `data-focus-here` once the answer has settled): the first field in error, or the
errors above the fields when the form as a whole (or a hidden field) was refused; else the
field asked for, as when a form opens."""

from __future__ import annotations

from typing import Any

from django import forms

# The errors shown above the fields: the template marks their box.
ABOVE_FIELDS = "__all__"


class _FirstOptionFocused:
    """A radio or checkbox group whose first option carries the mark: exactly one element does."""

    def create_option(
        self,
        name: str,
        value: Any,
        label: Any,
        selected: Any,
        index: int,
        *args: Any,
        **kwargs: Any,
    ) -> dict[str, Any]:
        option: dict[str, Any] = super().create_option(  # type: ignore[misc]
            name, value, label, selected, index, *args, **kwargs
        )
        if index == 0:
            option["attrs"] = {**option["attrs"], "data-focus-here": True}
        return option


def focus_first_error(form: forms.BaseForm, default: str | None = None) -> str | None:
    """Mark where focus goes and return the field's name (or ABOVE_FIELDS) as
    `form.focus_field`, for what the template renders by hand (a box of errors, a fieldset)."""
    name = default
    if form.is_bound and form.errors:
        hidden = [n for n in form.errors if n in form.fields and form.fields[n].widget.is_hidden]
        if form.non_field_errors() or hidden:
            name = ABOVE_FIELDS
        else:
            name = next((n for n in form.fields if n in form.errors), ABOVE_FIELDS)
    form.focus_field = name  # type: ignore[attr-defined]
    if name in form.fields:
        widget = form.fields[name].widget
        if isinstance(widget, forms.RadioSelect):  # checkboxes too: a subclass of it
            cls = type(widget)
            widget.__class__ = type(f"Focused{cls.__name__}", (_FirstOptionFocused, cls), {})
        else:
            widget.attrs["data-focus-here"] = True
    return name
