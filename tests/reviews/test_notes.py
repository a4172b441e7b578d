"""Review notes: who reads, writes, shares, deletes and restores them; what the subject sees
before and after sharing; Markdown sanitised; bad input refused with nothing changed."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext

from people.models import Membership
from reviews.models import ReviewCycle, ReviewNote, ReviewNoteVersion
from reviews.note_services import create_note, delete_note, edit_note, share_note

HTMX = {"HX-Request": "true"}
SECRET = "Struggles with estimates; talked to skip-level about it"
ROLES = [
    "owner",
    "manager",
    "second_manager",
    "decider",
    "teammate",
    "outsider",
    "staff",
    "anonymous",
]


def matrix(statuses: list[int]) -> list[tuple[str, int]]:
    """The expected status for each role, in the order of ROLES."""
    return list(zip(ROLES, statuses, strict=True))


@pytest.fixture
def people(cast, second_manager, decider) -> dict:
    return {
        "owner": cast.owner,
        "manager": cast.manager,
        "second_manager": second_manager,
        "decider": decider,
        "teammate": cast.teammate,
        "outsider": cast.outsider,
        "staff": cast.staff,
        "anonymous": None,
    }


@pytest.fixture
def note(cast) -> ReviewNote:
    """A private note about the owner, written by their manager."""
    return create_note(cast.owner, cast.manager, title="Q4 check-in", body=SECRET)


def sign_in(client, people: dict, role: str) -> None:
    if people[role] is not None:
        client.force_login(people[role])


def expect(status: int, role: str) -> int:
    """Anonymous requests go to the sign-in page before any rule is asked."""
    return 302 if role == "anonymous" else status


def fresh(note: ReviewNote) -> ReviewNote:
    return ReviewNote.objects.get(pk=note.pk)


# Who gets what, view by view ------------------------------------------------------------------


@pytest.mark.parametrize(("role", "status"), matrix([200, 200, 200, 404, 404, 404, 404, 302]))
def test_who_opens_a_persons_notes(client, cast, people, note, role, status):
    sign_in(client, people, role)

    assert client.get(f"/reviews/people/{cast.owner.pk}/notes/").status_code == status


@pytest.mark.parametrize(("role", "status"), matrix([404, 302, 302, 404, 404, 404, 404, 302]))
def test_who_writes_a_note(client, cast, people, role, status):
    sign_in(client, people, role)

    response = client.post(
        f"/reviews/people/{cast.owner.pk}/notes/", {"title": "Written", "body": "Text"}
    )

    assert response.status_code == status
    written = ReviewNote.objects.filter(title="Written")
    assert written.exists() == (role in {"manager", "second_manager"})
    if written.exists():
        assert written.get().author == people[role]


@pytest.mark.parametrize(("role", "status"), matrix([404, 200, 200, 404, 404, 404, 404, 302]))
def test_who_reads_a_private_note(client, people, note, role, status):
    sign_in(client, people, role)

    response = client.get(note.get_absolute_url())

    assert response.status_code == status
    assert (SECRET in response.text) == (status == 200)


@pytest.mark.parametrize(("role", "status"), matrix([200, 200, 200, 404, 404, 404, 404, 302]))
def test_who_reads_a_shared_note(client, cast, people, note, role, status):
    share_note(note, cast.manager)
    sign_in(client, people, role)

    assert client.get(note.get_absolute_url()).status_code == status


@pytest.mark.parametrize(("role", "status"), matrix([404, 302, 302, 404, 404, 404, 404, 302]))
def test_who_edits_a_shared_note(client, cast, people, note, role, status):
    share_note(note, cast.manager)
    sign_in(client, people, role)

    response = client.post(
        note.get_absolute_url(),
        {"title": "Changed", "body": "Changed", "version": fresh(note).version},
    )

    assert response.status_code == status
    assert (fresh(note).title == "Changed") == (status == 302 and role != "anonymous")


@pytest.mark.parametrize(("role", "status"), matrix([404, 302, 404, 404, 404, 404, 404, 302]))
def test_only_the_author_shares(client, people, note, role, status):
    sign_in(client, people, role)

    response = client.post(f"/reviews/notes/{note.pk}/share/", {"shared": "1"})

    assert response.status_code == status
    assert fresh(note).is_shared == (role == "manager")


@pytest.mark.parametrize(("role", "status"), matrix([404, 302, 302, 404, 404, 404, 404, 302]))
def test_who_deletes_a_note(client, cast, people, note, role, status):
    share_note(note, cast.manager)
    sign_in(client, people, role)

    response = client.post(f"/reviews/notes/{note.pk}/delete/")

    assert response.status_code == status
    assert (fresh(note).deleted_at is not None) == (role in {"manager", "second_manager"})


@pytest.mark.parametrize(("role", "status"), matrix([404, 302, 302, 404, 404, 404, 404, 302]))
def test_who_restores_a_note(client, cast, people, note, role, status):
    delete_note(note, cast.manager)
    sign_in(client, people, role)

    response = client.post(f"/reviews/notes/{note.pk}/undo/")

    assert response.status_code == status
    assert (fresh(note).deleted_at is None) == (role in {"manager", "second_manager"})


@pytest.mark.parametrize(("role", "status"), matrix([404, 200, 200, 404, 404, 404, 404, 302]))
def test_who_reads_the_history_even_of_a_shared_note(client, cast, people, note, role, status):
    share_note(note, cast.manager)
    sign_in(client, people, role)

    assert client.get(f"/reviews/notes/{note.pk}/history/").status_code == status


def test_a_manager_who_leaves_the_team_loses_the_notes(client, cast, note):
    Membership.objects.filter(user=cast.manager).delete()
    client.force_login(cast.manager)

    assert client.get(note.get_absolute_url()).status_code == 404
    assert client.get(f"/reviews/people/{cast.owner.pk}/notes/").status_code == 404
    assert client.post(f"/reviews/notes/{note.pk}/share/", {"shared": "1"}).status_code == 404


def test_a_manager_cannot_list_someone_they_do_not_manage(client, cast, note):
    client.force_login(cast.manager)

    assert client.get(f"/reviews/people/{cast.outsider.pk}/notes/").status_code == 404
    assert client.get(f"/reviews/people/{cast.manager.pk}/notes/").status_code == 200
    assert SECRET not in client.get(f"/reviews/people/{cast.manager.pk}/notes/").text


# What the subject sees -----------------------------------------------------------------------


def subject_responses(client, cast, note) -> list[str]:
    """Every answer the subject can get about their notes: pages and HTMX fragments."""
    notes = f"/reviews/people/{cast.owner.pk}/notes/"
    answers = [
        client.get(notes),
        client.get(notes, headers={**HTMX, "HX-Target": "notes"}),
        client.get(f"{notes}?cycle=", headers={**HTMX, "HX-Target": "notes"}),
        client.get(note.get_absolute_url()),
        client.get(note.get_absolute_url(), headers=HTMX),
        client.get(f"{note.get_absolute_url()}?edit=1", headers=HTMX),
        client.get(f"/reviews/notes/{note.pk}/history/"),
        client.get(f"/reviews/people/{cast.owner.pk}/"),
        client.get("/reviews/"),
        client.get("/"),
    ]
    return [answer.text for answer in answers]


def test_private_text_reaches_the_subject_only_while_shared(client, cast, note):
    client.force_login(cast.owner)
    assert not any(SECRET in text for text in subject_responses(client, cast, note))
    assert not any("Q4 check-in" in text for text in subject_responses(client, cast, note))

    share_note(note, cast.manager)
    shared = subject_responses(client, cast, note)
    assert SECRET in shared[0] and SECRET in shared[1] and SECRET in shared[3]
    assert SECRET in shared[4]

    client.force_login(cast.manager)
    client.post(f"/reviews/notes/{note.pk}/share/", {"shared": "0"})
    client.force_login(cast.owner)
    assert not any(SECRET in text for text in subject_responses(client, cast, note))


def test_the_subject_reads_a_shared_note_without_edit_controls_or_history(client, cast, note):
    edit_note(note, cast.manager, 1, title="Q4 check-in", body="Final words", cycle=None)
    share_note(note, cast.manager)
    client.force_login(cast.owner)

    page = client.get(note.get_absolute_url()).text
    editing = client.get(f"{note.get_absolute_url()}?edit=1").text
    listing = client.get(f"/reviews/people/{cast.owner.pk}/notes/").text

    assert "Final words" in page and "Final words" in listing
    for text in (page, editing, listing):
        assert SECRET not in text  # the earlier version
        assert "/history/" not in text
        assert "/delete/" not in text and "/share/" not in text
        assert "<textarea" not in text
        assert 'name="version"' not in text


def test_the_subject_reads_only_the_shared_notes_in_the_list(client, cast, note):
    shared = create_note(cast.owner, cast.manager, title="Well done on the launch", body="Yes")
    share_note(shared, cast.manager)
    client.force_login(cast.owner)

    text = client.get(f"/reviews/people/{cast.owner.pk}/notes/").text

    assert "Well done on the launch" in text
    assert "Q4 check-in" not in text and SECRET not in text
    assert "Notes my managers shared with me" in text


def test_staff_see_nothing_of_notes_anywhere(client, cast, note):
    """Not in the app, not in the admin: even a superuser's admin has no list of notes."""
    assert not admin.site.is_registered(ReviewNote)
    assert not admin.site.is_registered(ReviewNoteVersion)
    client.force_login(cast.staff)
    urls = [
        f"/reviews/people/{cast.owner.pk}/notes/",
        note.get_absolute_url(),
        f"/reviews/notes/{note.pk}/history/",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 404
        assert SECRET not in response.text
    for url in ("/reviews/", "/", "/admin/"):
        response = client.get(url, follow=True)
        assert response.status_code == 200
        assert SECRET not in response.text and "Q4 check-in" not in response.text

    cast.staff.is_superuser = True
    cast.staff.save()
    for url in ("/admin/", "/admin/reviews/"):
        response = client.get(url)
        assert response.status_code == 200
        assert "Review cycles" in response.text  # the admin's list of reviews models…
        assert "note" not in response.text.lower()  # …has no notes in it
        assert SECRET not in response.text
    assert client.get("/admin/reviews/reviewnote/").status_code == 404
    assert client.get("/admin/reviews/reviewnoteversion/").status_code == 404


# Writing and sharing -------------------------------------------------------------------------


def test_a_new_note_is_private_rendered_and_version_one(client, cast, cycle):
    client.force_login(cast.manager)

    response = client.post(
        f"/reviews/people/{cast.owner.pk}/notes/",
        {"title": "Design review", "body": "Led it **well**", "cycle": cycle.pk},
        follow=True,
    )

    note = ReviewNote.objects.get()
    assert (note.subject, note.author, note.cycle, note.version) == (
        cast.owner,
        cast.manager,
        cycle,
        1,
    )
    assert note.body_html == "<p>Led it <strong>well</strong></p>"
    assert not note.is_shared
    assert list(note.versions.values_list("number", "title", "body", "saved_by")) == [
        (1, "Design review", "Led it **well**", cast.manager.pk)
    ]
    assert "It is private until you share it" in response.text
    assert "<strong>well</strong>" in response.text
    assert "Review Q4 2026" in response.text


def test_writing_with_htmx_adds_the_card_and_resets_the_form(client, cast):
    client.force_login(cast.manager)

    response = client.post(
        f"/reviews/people/{cast.owner.pk}/notes/",
        {"title": "Pairing", "body": "Good"},
        headers=HTMX,
    )

    note = ReviewNote.objects.get()
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section id="notes"')
    assert f'<article id="note-{note.pk}" class="entry note-card is-new" data-focus-here>' in (
        response.text
    )
    assert 'id="write-note"' in response.text and 'hx-swap-oob="true"' in response.text


def test_the_author_shares_and_unshares_with_htmx(client, cast, note):
    client.force_login(cast.manager)

    on_page = client.post(
        f"/reviews/notes/{note.pk}/share/", {"shared": "1"}, headers={**HTMX, "HX-Target": "note"}
    )
    assert fresh(note).is_shared
    assert on_page.text.lstrip().startswith('<article id="note"')
    assert "Shared with Owner" in on_page.text and "Make private" in on_page.text

    in_list = client.post(
        f"/reviews/notes/{note.pk}/share/",
        {"shared": "0"},
        headers={**HTMX, "HX-Target": f"note-{note.pk}"},
    )
    assert not fresh(note).is_shared
    assert in_list.text.lstrip().startswith(f'<article id="note-{note.pk}"')
    assert "Share with Owner" in in_list.text


def test_another_manager_sees_no_share_button(client, cast, second_manager, note):
    client.force_login(second_manager)

    for url in (note.get_absolute_url(), f"/reviews/people/{cast.owner.pk}/notes/"):
        text = client.get(url).text
        assert SECRET in text
        assert f"/reviews/notes/{note.pk}/share/" not in text
        assert f"/reviews/notes/{note.pk}/delete/" in text

    client.force_login(cast.manager)
    assert f"/reviews/notes/{note.pk}/share/" in client.get(note.get_absolute_url()).text


def test_an_edit_by_another_manager_is_a_new_version_by_them(client, cast, second_manager, note):
    client.force_login(second_manager)

    response = client.post(
        note.get_absolute_url(),
        {"title": "Q4 check-in", "body": "Estimates improved", "version": 1},
        headers={**HTMX, "HX-Target": "note"},
    )

    note = fresh(note)
    assert (note.version, note.body, note.updated_by) == (2, "Estimates improved", second_manager)
    assert note.author == cast.manager
    assert note.versions.get(number=2).saved_by == second_manager
    assert note.versions.get(number=1).body == SECRET
    assert "Saved version 2." in response.text
    assert "Estimates improved" in response.text


def test_the_edit_form_carries_the_version(client, cast, note):
    edit_note(note, cast.manager, 1, title="T", body="B", cycle=None)
    client.force_login(cast.manager)

    response = client.get(
        f"{note.get_absolute_url()}?edit=1", headers={**HTMX, "HX-Target": "note"}
    )

    assert '<input type="hidden" name="version" value="2"' in response.text
    assert response.text.lstrip().startswith('<article id="note" class="note note--editing">')


# Delete and undo -----------------------------------------------------------------------------


def test_delete_then_undo_in_the_list(client, cast, note):
    share_note(note, cast.manager)
    client.force_login(cast.manager)

    deleted = client.post(
        f"/reviews/notes/{note.pk}/delete/", headers={**HTMX, "HX-Target": f"note-{note.pk}"}
    )

    assert "Deleted “Q4 check-in”." in deleted.text
    assert f'hx-post="/reviews/notes/{note.pk}/undo/"' in deleted.text
    assert SECRET not in client.get(f"/reviews/people/{cast.owner.pk}/notes/").text
    assert client.get(note.get_absolute_url()).status_code == 404
    assert client.get(f"/reviews/notes/{note.pk}/history/").status_code == 404
    client.force_login(cast.owner)
    assert SECRET not in client.get(f"/reviews/people/{cast.owner.pk}/notes/").text
    assert client.get(note.get_absolute_url()).status_code == 404

    client.force_login(cast.manager)
    restored = client.post(
        f"/reviews/notes/{note.pk}/undo/", headers={**HTMX, "HX-Target": f"note-{note.pk}"}
    )

    assert restored.text.lstrip().startswith(f'<article id="note-{note.pk}"')
    assert SECRET in restored.text
    note = fresh(note)
    assert (
        note.deleted_at is None and note.is_shared and note.version == 2
    )  # the share counted as a change
    client.force_login(cast.owner)
    assert SECRET in client.get(note.get_absolute_url()).text


def test_delete_from_the_note_page_offers_the_undo_in_the_list(client, cast, note):
    client.force_login(cast.manager)

    response = client.post(f"/reviews/notes/{note.pk}/delete/", follow=True)

    assert response.redirect_chain == [
        (f"/reviews/people/{cast.owner.pk}/notes/?undo={note.pk}", 302)
    ]
    assert "Deleted “Q4 check-in”." in response.text
    assert response.text.count(SECRET) == 0

    restored = client.post(f"/reviews/notes/{note.pk}/undo/", follow=True)
    assert restored.redirect_chain == [(note.get_absolute_url(), 302)]
    assert "Restored “Q4 check-in”." in restored.text


def test_delete_with_htmx_from_the_note_page_sends_the_browser_to_the_list(client, cast, note):
    client.force_login(cast.manager)

    response = client.post(
        f"/reviews/notes/{note.pk}/delete/", headers={**HTMX, "HX-Target": "note"}
    )

    assert response["HX-Redirect"] == f"/reviews/people/{cast.owner.pk}/notes/?undo={note.pk}"


def test_a_deleted_note_cannot_be_edited_shared_or_deleted_again(client, cast, note):
    delete_note(note, cast.manager)
    client.force_login(cast.manager)

    assert (
        client.post(note.get_absolute_url(), {"title": "X", "body": "Y", "version": 1}).status_code
        == 404
    )
    assert client.post(f"/reviews/notes/{note.pk}/share/", {"shared": "1"}).status_code == 404
    assert client.post(f"/reviews/notes/{note.pk}/delete/").status_code == 404
    assert fresh(note).title == "Q4 check-in" and not fresh(note).is_shared


def test_undo_of_a_note_that_is_not_deleted_is_404(client, cast, note):
    client.force_login(cast.manager)

    assert client.post(f"/reviews/notes/{note.pk}/undo/").status_code == 404


# Markdown ------------------------------------------------------------------------------------

HOSTILE = (
    "Hello <script>alert('x')</script> [click](javascript:alert(1)) "
    '<img src=x onerror="alert(2)"> **bold**'
)


def test_markdown_is_sanitised_everywhere_it_shows(client, cast, note):
    client.force_login(cast.manager)
    client.post(note.get_absolute_url(), {"title": "T", "body": HOSTILE, "version": 1})
    note = fresh(note)
    assert "<script" not in note.body_html and "javascript:" not in note.body_html
    assert "<strong>bold</strong>" in note.body_html
    share_note(note, cast.manager)

    pages = [
        note.get_absolute_url(),
        f"{note.get_absolute_url()}?edit=1",
        f"/reviews/people/{cast.owner.pk}/notes/",
        f"/reviews/notes/{note.pk}/history/",
    ]
    for role in (cast.manager, cast.owner):
        client.force_login(role)
        for url in pages:
            text = client.get(url).text
            assert "<script>alert" not in text
            assert 'onerror="alert' not in text
            assert 'href="javascript:' not in text
            assert "<img src=x" not in text and '<img src="x"' not in text


# Bad input -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"title": "", "body": "Text"}, "title", "Give the note a title."),
        ({"title": "   ", "body": "Text"}, "title", "Give the note a title."),
        (
            {"title": "Long", "body": "x" * 20001},
            "body",
            "Ensure this value has at most 20000 characters (it has 20001).",
        ),
        ({"title": "Cycle", "body": "Text", "cycle": "9999"}, "cycle", "does not exist"),
        ({"title": "Cycle", "body": "Text", "cycle": "abc"}, "cycle", "does not exist"),
    ],
)
def test_bad_input_on_writing_is_refused_with_a_field_message(client, cast, data, field, message):
    client.force_login(cast.manager)
    url = f"/reviews/people/{cast.owner.pk}/notes/"

    page = client.post(url, data)
    fragment = client.post(url, data, headers=HTMX)

    assert page.status_code == fragment.status_code == 422
    for response in (page, fragment):
        errors = response.text.split(f'id="id_{field}"')[1]
        assert message in errors.replace("&#x27;", "'")
    assert fragment["HX-Retarget"] == "#write-note"
    assert not ReviewNote.objects.exists()
    assert not ReviewNoteVersion.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": "", "body": "Text", "version": 1}, "Give the note a title."),
        ({"title": "T", "body": "x" * 20001, "version": 1}, "at most 20000 characters"),
        ({"title": "T", "body": "Text", "cycle": "9999", "version": 1}, "does not exist"),
        ({"title": "T", "body": "Text"}, "missing the version it was opened at"),
        ({"title": "T", "body": "Text", "version": "x"}, "missing the version it was opened at"),
    ],
)
def test_bad_input_on_editing_is_refused_and_nothing_changes(client, cast, note, data, message):
    client.force_login(cast.manager)

    response = client.post(note.get_absolute_url(), data, headers={**HTMX, "HX-Target": "note"})

    assert response.status_code == 422
    assert message in response.text
    note = fresh(note)
    assert (note.title, note.body, note.version) == ("Q4 check-in", SECRET, 1)
    assert note.versions.count() == 1


# Cycles --------------------------------------------------------------------------------------


def test_the_list_filters_by_cycle_as_a_fragment(client, cast, cycle, note):
    other = ReviewCycle.objects.create(name="Review Q1 2027", start="2027-01-01", end="2027-03-31")
    create_note(cast.owner, cast.manager, title="For Q1", body="Later", cycle=other)
    create_note(cast.owner, cast.manager, title="For Q4", body="Now", cycle=cycle)
    client.force_login(cast.manager)
    url = f"/reviews/people/{cast.owner.pk}/notes/?cycle={other.pk}"

    response = client.get(url, headers={**HTMX, "HX-Target": "notes"})

    assert response.text.lstrip().startswith('<section id="notes"')
    assert "For Q1" in response.text
    assert "For Q4" not in response.text and "Q4 check-in" not in response.text


# Query counts --------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["manager", "owner"])
def test_the_list_query_count_does_not_grow_with_notes_or_versions(
    client, cast, cycle, second_manager, role
):
    def add(count: int) -> None:
        for n in range(count):
            made = create_note(cast.owner, cast.manager, title=f"N{n}", body="x", cycle=cycle)
            edit_note(made, second_manager, 1, title=f"N{n}", body="y", cycle=cycle)
            edit_note(made, cast.manager, 2, title=f"N{n}", body="z", cycle=None)
            share_note(made, cast.manager)

    client.force_login(getattr(cast, role))
    url = f"/reviews/people/{cast.owner.pk}/notes/"
    add(2)
    client.get(url)
    with CaptureQueriesContext(connection) as two:
        client.get(url)
    add(10)
    with CaptureQueriesContext(connection) as twelve:
        response = client.get(url)

    assert len(twelve.captured_queries) == len(two.captured_queries)
    assert response.text.count('class="entry note-card') == 12
    assert response.text.count('id="id_cycle"') <= 1  # the filter has ids of its own
    if role == "manager":
        assert response.text.count(">3 versions</a>") == 12


def test_an_edit_begun_before_sharing_is_refused_as_stale(client, cast, note, second_manager):
    before = fresh(note).version
    share_note(note, cast.manager)
    client.force_login(second_manager)

    response = client.post(
        note.get_absolute_url(), {"title": "Published?", "body": "Private?", "version": before}
    )

    assert response.status_code == 409
    assert fresh(note).title != "Published?"
