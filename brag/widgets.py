"""Form widgets that write their HTML in Python, the same markup as Django's own templates.

The brag document shows two forms on every load (quick add, filters) and the quick add answers
with its form again: some forty widgets and options, each a template render (with includes per
option and per attribute) under Django's form renderer. That was a third of the page's cost.
These widgets keep Django's context (attributes, aria-invalid, selected options) and only the
last step, turning it into HTML, is done here; anything they do not know falls back to the
templates."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

WIDGETS = "django/forms/widgets/"


def _attrs(attrs: dict[str, Any]) -> str:
    """As attrs.html: False leaves the attribute out, True writes it bare."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {name}")
        else:
            parts.append(f' {name}="{conditional_escape(str(value))}"')
    return "".join(parts)


def _input(widget: dict[str, Any]) -> str:
    value = widget.get("value")
    shown = "" if value is None else f' value="{conditional_escape(str(value))}"'
    return (
        f'<input type="{widget["type"]}" name="{conditional_escape(widget["name"])}"'
        f"{shown}{_attrs(widget['attrs'])}>"
    )


def _option_input(widget: dict[str, Any]) -> str:
    """As input_option.html: the box inside its label when the widget wraps it."""
    if not widget.get("wrap_label"):
        return _input(widget)
    target = widget["attrs"].get("id")
    label_for = f' for="{conditional_escape(target)}"' if target else ""
    return f"<label{label_for}>{_input(widget)} {conditional_escape(widget['label'])}</label>"


def _select_option(widget: dict[str, Any]) -> str:
    return (
        f'<option value="{conditional_escape(str(widget["value"]))}"{_attrs(widget["attrs"])}>'
        f"{conditional_escape(widget['label'])}</option>\n"  # as the template's last line
    )


def _select(widget: dict[str, Any]) -> str:
    parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        parts.extend(f"\n  {_select_option(option)}" for option in group_choices)
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _textarea(widget: dict[str, Any]) -> str:
    value = conditional_escape(widget["value"]) if widget.get("value") else ""
    return (
        f'<textarea name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>\n'
        f"{value}</textarea>"
    )


_WRITERS = {
    f"{WIDGETS}input.html": _input,
    f"{WIDGETS}text.html": _input,
    f"{WIDGETS}date.html": _input,
    f"{WIDGETS}search.html": _input,
    f"{WIDGETS}hidden.html": _input,
    f"{WIDGETS}number.html": _input,
    f"{WIDGETS}checkbox_option.html": _option_input,
    f"{WIDGETS}select.html": _select,
    f"{WIDGETS}select_option.html": _select_option,
    f"{WIDGETS}textarea.html": _textarea,
}


class WrittenInPython:
    """Mix into a widget: its HTML is written here when its template is one we know."""

    def _render(self, template_name: str, context: dict[str, Any], renderer: Any = None) -> Any:
        writer = _WRITERS.get(template_name)
        if writer is None:
            return super()._render(template_name, context, renderer)  # type: ignore[misc]
        return mark_safe(writer(context["widget"]))  # every value is escaped above


class TextInput(WrittenInPython, forms.TextInput):
    pass


class DateInput(WrittenInPython, forms.DateInput):
    pass


class HiddenInput(WrittenInPython, forms.HiddenInput):
    pass


class Textarea(WrittenInPython, forms.Textarea):
    pass


class Select(WrittenInPython, forms.Select):
    pass


class CheckboxSelectMultiple(WrittenInPython, forms.CheckboxSelectMultiple):
    pass


__all__ = [
    "CheckboxSelectMultiple",
    "DateInput",
    "HiddenInput",
    "Select",
    "TextInput",
    "Textarea",
]
