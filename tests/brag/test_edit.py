"""Inline edit: only the owner; bad input and concurrent edits change nothing."""

import pytest

from brag.models import Visibility

from ..factories import BragEntryFactory

HTMX = {"HX-Request": "true"}


def edit_url(entry) -> str:
    return f"/brag/{entry.pk}/edit/"


def form_data(entry, **change) -> dict:
    data = {
        "title": entry.title,
        "category": entry.category,
        "impact": entry.impact,
        "date": entry.date.isoformat(),
        "visibility": entry.visibility,
        "version": entry.version,
    }
    return data | change


def test_the_owner_gets_the_inline_form(client, cast):
    entry = BragEntryFactory(owner=cast.owner, title="Original")
    client.force_login(cast.owner)

    response = client.get(edit_url(entry), headers=HTMX)

    assert response.text.lstrip().startswith(f'<form id="entry-{entry.pk}"')
    assert 'value="Original"' in response.text
    assert f'name="version" value="{entry.version}"' in response.text


def test_the_owner_saves_and_gets_the_entry_back(client, cast):
    entry = BragEntryFactory(owner=cast.owner, title="Original")
    client.force_login(cast.owner)

    response = client.post(edit_url(entry), form_data(entry, title="Renamed"), headers=HTMX)

    assert response.status_code == 200
    assert response.text.lstrip().startswith(f'<article id="entry-{entry.pk}"')
    entry.refresh_from_db()
    assert entry.title == "Renamed"
    assert entry.version == 2


def test_without_htmx_the_edit_is_a_page_of_its_own(client, cast):
    entry = BragEntryFactory(owner=cast.owner)
    client.force_login(cast.owner)

    page = client.get(edit_url(entry))
    saved = client.post(edit_url(entry), form_data(entry, title="Renamed"), follow=True)

    assert "<h1>Edit an entry</h1>" in page.text
    assert saved.redirect_chain == [("/brag/", 302)]
    assert "Saved “Renamed”." in saved.text


@pytest.mark.parametrize("role", ["manager", "teammate", "outsider", "staff"])
def test_nobody_else_can_edit_even_an_entry_they_read(client, cast, role):
    entry = BragEntryFactory(owner=cast.owner, title="Original", visibility=Visibility.TEAM)
    client.force_login(getattr(cast, role))

    assert client.get(edit_url(entry)).status_code == 404
    response = client.post(edit_url(entry), form_data(entry, title="Hijacked"))

    assert response.status_code == 404
    entry.refresh_from_db()
    assert entry.title == "Original"


def test_bad_input_answers_on_the_field_and_changes_nothing(client, cast):
    entry = BragEntryFactory(owner=cast.owner, title="Original", links=["https://ok.example"])
    client.force_login(cast.owner)

    response = client.post(
        edit_url(entry),
        form_data(entry, title="", links="javascript:alert(1)"),
        headers=HTMX,
    )

    assert response.status_code == 422
    assert "This field is required." in response.text
    assert "is not an http:// or https:// address." in response.text
    entry.refresh_from_db()
    assert (entry.title, entry.links, entry.version) == ("Original", ["https://ok.example"], 1)


def test_a_concurrent_edit_is_detected_not_overwritten(client, cast):
    entry = BragEntryFactory(owner=cast.owner, title="Original")
    client.force_login(cast.owner)
    opened_in_tab_one = form_data(entry)
    client.post(edit_url(entry), form_data(entry, title="Saved in tab two"))

    response = client.post(edit_url(entry), opened_in_tab_one | {"title": "Saved in tab one"})

    assert response.status_code == 422
    assert "This entry changed somewhere else" in response.text
    assert 'value="Saved in tab one"' in response.text  # what was typed is kept in the form
    entry.refresh_from_db()
    assert entry.title == "Saved in tab two"


def test_a_deleted_entry_cannot_be_edited(client, cast):
    entry = BragEntryFactory(owner=cast.owner)
    entry.soft_delete()
    client.force_login(cast.owner)

    assert client.get(edit_url(entry)).status_code == 404


@pytest.mark.parametrize(
    ("role", "visibility", "status"),
    [
        ("owner", Visibility.PRIVATE, 200),
        ("manager", Visibility.MANAGERS, 200),
        ("manager", Visibility.PRIVATE, 404),
        ("teammate", Visibility.TEAM, 200),
        ("teammate", Visibility.MANAGERS, 404),
        ("outsider", Visibility.TEAM, 404),
    ],
)
def test_the_entry_page_follows_the_access_table(client, cast, role, visibility, status):
    entry = BragEntryFactory(owner=cast.owner, visibility=visibility, title="A private matter")
    client.force_login(getattr(cast, role))

    response = client.get(f"/brag/{entry.pk}/")

    assert response.status_code == status
    assert ("A private matter" in response.text) == (status == 200)
    assert ("/edit/" in response.text) == (role == "owner")


def test_an_edit_that_leaves_fields_out_keeps_them(client, cast):
    entry = BragEntryFactory(owner=cast.owner, visibility=Visibility.PRIVATE)
    client.force_login(cast.owner)
    data = form_data(entry, title="Renamed")
    del data["visibility"], data["date"]

    client.post(edit_url(entry), data)

    entry.refresh_from_db()
    assert (entry.title, entry.visibility) == ("Renamed", Visibility.PRIVATE)


def test_an_edit_without_the_version_is_refused(client, cast):
    entry = BragEntryFactory(owner=cast.owner, title="Original")
    client.force_login(cast.owner)
    data = form_data(entry, title="Renamed")
    del data["version"]

    response = client.post(edit_url(entry), data)

    assert response.status_code == 422
    entry.refresh_from_db()
    assert entry.title == "Original"


def test_an_htmx_edit_updates_the_tally_too(client, cast):
    entry = BragEntryFactory(owner=cast.owner, impact="Made it better")
    client.force_login(cast.owner)

    response = client.post(
        edit_url(entry), form_data(entry, impact="Made it 40% faster"), headers=HTMX
    )

    text = " ".join(response.text.split())
    assert '<p id="tally" class="tally" hx-swap-oob="true">' in text
    assert "<strong>1</strong> quantified (100%)" in text
