"""The brag forms' widgets write their HTML in Python: it must be Django's markup, byte for
byte, for every kind of field, bound or not, with errors and with text that needs escaping."""

from __future__ import annotations

import pytest
from django import forms

from brag.forms import BragEntryForm, BragFilterForm

from ..factories import BragEntryFactory


def _as_django_renders(form: forms.BaseForm) -> forms.BaseForm:
    """The same form with each widget turned back into Django's own class (template-rendered)."""
    for field in form.fields.values():
        widget = field.widget
        django_class = next(
            c for c in type(widget).__mro__ if c.__module__ == "django.forms.widgets"
        )
        widget.__class__ = django_class
    return form


def _markup(form: forms.BaseForm) -> list[str]:
    html = []
    for bound in form:
        html.append(str(bound))
        if isinstance(bound.field.widget, forms.CheckboxSelectMultiple):
            html.extend(choice.tag() for choice in bound)
    return html


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"title": 'Quotes " & <b>tags</b>', "category": "nope", "role": "<i>me</i>", "links": "x"},
    ],
)
def test_the_entry_form_renders_as_django_would(cast, data):
    def make() -> forms.BaseForm:
        return BragEntryForm(data, owner=cast.owner)

    assert _markup(make()) == _markup(_as_django_renders(make()))


def test_an_entry_being_edited_renders_as_django_would(cast):
    entry = BragEntryFactory(owner=cast.owner, title="A <title> & more", glue_kind="mentoring")

    def make() -> forms.BaseForm:
        return BragEntryForm(instance=entry, owner=cast.owner)

    assert _markup(make()) == _markup(_as_django_renders(make()))


def test_the_filters_render_as_django_would(cast):
    data = {"quarter": "2026-Q1", "q": '"><script>', "dimension": "nope", "glue": "any"}

    def make() -> forms.BaseForm:
        return BragFilterForm(data, owner=cast.owner)

    html = _markup(make())
    assert html == _markup(_as_django_renders(make()))
    assert "<script>" not in "".join(html)
    assert '<option value="any" selected>' in "".join(html)
