"""A note's versions and the word diff between any two; two managers saving the same note: the
second save is refused with the conflict view, and nothing is overwritten."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from careerladder.editing import StaleEdit
from reviews.models import ReviewNote
from reviews.note_services import create_note, edit_note

HTMX = {"HX-Request": "true"}


@pytest.fixture
def note(cast, second_manager) -> ReviewNote:
    """Three versions: written by the manager, edited by the second manager, then by the first."""
    note = create_note(
        cast.owner, cast.manager, title="Growth", body="Owns the billing service end to end."
    )
    edit_note(
        note,
        second_manager,
        1,
        title="Growth",
        body="Owns the billing service and the ledger end to end.",
        cycle=None,
    )
    edit_note(
        note,
        cast.manager,
        2,
        title="Growth areas",
        body="Owns the ledger end to end. Next: cross-team design reviews.",
        cycle=None,
    )
    return ReviewNote.objects.get(pk=note.pk)


def history(note: ReviewNote, query: str = "") -> str:
    return f"/reviews/notes/{note.pk}/history/{query}"


# Versions and the diff -----------------------------------------------------------------------


def test_every_save_is_a_version_with_who_and_when(cast, second_manager, note):
    versions = list(note.versions.order_by("number"))

    assert [v.number for v in versions] == [1, 2, 3]
    assert [v.saved_by for v in versions] == [cast.manager, second_manager, cast.manager]
    assert [v.title for v in versions] == ["Growth", "Growth", "Growth areas"]
    assert versions[0].body == "Owns the billing service end to end."
    assert versions[0].saved_at < versions[1].saved_at < versions[2].saved_at
    assert note.version == 3 and note.updated == versions[2].saved_at
    assert note.updated_by == cast.manager


def test_the_history_lists_versions_newest_first(client, cast, note):
    client.force_login(cast.manager)

    text = client.get(history(note)).text

    table = text.split("<tbody>")[1].split("</tbody>")[0]
    assert table.index("Version 3") < table.index("Version 2") < table.index("Version 1")
    assert table.count("Second Manager") == 1 and table.count("Manager") == 3
    assert 'href="?from=2&amp;to=3"' in table


def test_by_default_it_compares_the_latest_version_with_the_one_before(client, cast, note):
    client.force_login(cast.manager)

    text = client.get(history(note)).text

    diff = text.split('<section id="diff"')[1]
    assert "From version 2 to version 3" in diff
    assert "Growth<ins> areas</ins>" in diff
    assert (
        "Owns the <del>billing service and the </del>ledger end to end."
        "<ins> Next: cross-team design reviews.</ins>"
    ) in diff


def test_any_two_versions_compare_word_by_word(client, cast, note):
    client.force_login(cast.manager)

    text = client.get(history(note, "?from=1&to=2")).text

    diff = text.split('<section id="diff"')[1]
    assert "From version 1 to version 2" in diff
    assert "Owns the billing service <ins>and the ledger </ins>end to end." in diff
    assert "<del>" not in diff


def test_the_diff_as_a_fragment(client, cast, note):
    client.force_login(cast.manager)

    response = client.get(history(note, "?from=3&to=1"), headers=HTMX)

    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section id="diff"')
    assert "From version 3 to version 1" in response.text
    assert "<tbody>" not in response.text


@pytest.mark.parametrize(
    ("query", "status", "fragment_status"),
    [
        ("?from=1&to=9", 404, 404),
        ("?from=0&to=2", 400, 422),
        ("?from=2&to=2", 400, 422),
        ("?from=a&to=2", 400, 422),
        ("?from=99999999999999999999&to=2", 404, 404),
    ],
)
def test_a_bad_pair_of_versions(client, cast, note, query, status, fragment_status):
    client.force_login(cast.manager)

    assert client.get(history(note, query)).status_code == status
    assert client.get(history(note, query), headers=HTMX).status_code == fragment_status


def test_a_note_with_one_version_has_nothing_to_compare(client, cast):
    single = create_note(cast.owner, cast.manager, title="First", body="Only text")
    client.force_login(cast.manager)

    text = client.get(history(single)).text

    assert "One version so far" in text
    assert "Version 1" in text


def test_versions_show_the_markdown_source_escaped(client, cast, note):
    edit_note(note, cast.manager, 3, title="T", body="<script>alert(1)</script> *x*", cycle=None)
    client.force_login(cast.manager)

    text = client.get(history(note)).text

    assert "<script>alert" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; *x*" in text


def test_the_history_query_count_does_not_grow_with_versions(client, cast, note):
    client.force_login(cast.manager)
    client.get(history(note))
    with CaptureQueriesContext(connection) as three:
        client.get(history(note))
    for n in range(3, 15):
        edit_note(note, cast.manager, n, title=f"T{n}", body=f"Body {n}", cycle=None)
    with CaptureQueriesContext(connection) as fifteen:
        response = client.get(history(note))

    assert len(fifteen.captured_queries) == len(three.captured_queries)
    assert "Version 15" in response.text


# The conflict --------------------------------------------------------------------------------


def test_the_helper_refuses_a_stale_save(cast, second_manager, note):
    with pytest.raises(StaleEdit):
        edit_note(note, second_manager, 2, title="Old", body="Old", cycle=None)

    note.refresh_from_db()
    assert note.version == 3 and note.title == "Growth areas"
    assert note.versions.count() == 3


@pytest.fixture
def opened(cast, second_manager):
    """Both managers open version 1; the second manager saves first."""
    note = create_note(cast.owner, cast.manager, title="Launch", body="Shipped the launch.")
    edit_note(
        note,
        second_manager,
        1,
        title="Launch",
        body="Shipped the launch on time, with the on-call rota.",
        cycle=None,
    )
    return ReviewNote.objects.get(pk=note.pk)


MINE = {"title": "Launch (mine)", "body": "Shipped the launch and wrote the runbook.", "version": 1}


def test_a_stale_save_is_refused_with_both_texts_side_by_side(client, cast, opened):
    client.force_login(cast.manager)

    response = client.post(opened.get_absolute_url(), MINE)

    assert response.status_code == 409
    note = ReviewNote.objects.get(pk=opened.pk)
    assert note.version == 2 and note.title == "Launch"
    assert note.body == "Shipped the launch on time, with the on-call rota."
    assert note.versions.count() == 2
    text = response.text
    conflict = text.split('class="card note-conflict"')[1].split("</section>")[0]
    yours = conflict.split("note-conflict__side--yours")[1].split("note-conflict__side--current")[0]
    current = conflict.split("note-conflict__side--current")[1]
    assert "Your text" in yours and "Shipped the launch and wrote the runbook." in yours
    assert "Launch (mine)" in yours
    assert "The current text" in current
    assert "Shipped the launch on time, with the on-call rota." in current
    assert "Version 2, saved by Second Manager" in current
    assert "Nothing was overwritten" in conflict
    assert "<ins>" in conflict and "<del>" in conflict


def test_the_conflict_form_starts_from_my_text_at_the_current_version(client, cast, opened):
    client.force_login(cast.manager)

    response = client.post(opened.get_absolute_url(), MINE)

    form = response.text.split('id="note-form"')[1]
    assert '<input type="hidden" name="version" value="2"' in form
    assert 'value="Launch (mine)"' in form
    assert "Shipped the launch and wrote the runbook.</textarea>" in form

    merged = {**MINE, "body": "Shipped the launch on time and wrote the runbook.", "version": 2}
    saved = client.post(opened.get_absolute_url(), merged)

    assert saved.status_code == 302
    note = ReviewNote.objects.get(pk=opened.pk)
    assert note.version == 3 and note.body == merged["body"]
    assert list(note.versions.order_by("number").values_list("saved_by", flat=True)) == [
        cast.manager.pk,
        note.versions.get(number=2).saved_by_id,
        cast.manager.pk,
    ]


def test_with_htmx_the_conflict_is_a_422_fragment(client, cast, opened):
    client.force_login(cast.manager)

    response = client.post(opened.get_absolute_url(), MINE, headers={**HTMX, "HX-Target": "note"})

    assert response.status_code == 422
    assert response.text.lstrip().startswith('<article id="note" class="note note--editing">')
    assert "Not saved: this note changed while you were editing it" in response.text
    assert "Shipped the launch on time, with the on-call rota." in response.text
    assert ReviewNote.objects.get(pk=opened.pk).body.endswith("on-call rota.")


def test_the_conflict_view_escapes_both_texts(client, cast, opened):
    client.force_login(cast.manager)

    response = client.post(opened.get_absolute_url(), {**MINE, "body": "<script>alert(1)</script>"})

    assert response.status_code == 409
    assert "<script>alert" not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text
