"""After each in-page action on the packet, the notes, the round and the dashboard, the answer
says what happened (an "announce" event the page's live region shows and reads out) and marks
where keyboard focus goes (`data-focus-here`): on what changed, or on the first field refused."""

import datetime as dt
import json
import re

import pytest

from reviews.models import ReviewNote
from reviews.note_services import create_note
from reviews.packet_models import PacketStatus, PromotionPacket

from ..factories import BragEntryFactory
from .test_packet import make_ready, projects_data, row_data, section_data, url

HTMX = {"HX-Request": "true"}
REFUSED = "Nothing was saved: see the fields marked."


def announced(response) -> str:
    return json.loads(response["HX-Trigger-After-Settle"])["announce"]["message"]


def focused(response) -> list[str]:
    """The opening tags that carry data-focus-here: app.js focuses the first, so there is one."""
    return re.findall(r"<[a-z]+\b[^>]*\bdata-focus-here\b[^>]*>", response.text)


def only_focus(response) -> str:
    [tag] = focused(response)
    return tag


# The packet: sections, projects, matrix rows, the "Other entries" picker


def test_saving_a_section_announces_it_and_focuses_the_section(client, cast, packet):
    client.force_login(cast.owner)

    response = client.post(
        url("packet_section", packet, "influence"),
        section_data(packet, "influence", influence="Led the API guild."),
        headers=HTMX,
    )

    assert response.status_code == 200
    assert announced(response) == "Saved the influence beyond the team."
    assert only_focus(response).startswith('<section id="section-influence"')


def test_the_manager_saving_the_summary_hears_it(client, cast, packet):
    client.force_login(cast.manager)

    response = client.post(
        url("packet_section", packet, "summary"),
        section_data(packet, "summary", summary="Ready.", recommendation="promote"),
        headers=HTMX,
    )

    assert announced(response) == "Saved the manager’s summary and recommendation."
    assert only_focus(response).startswith('<section id="section-summary"')


def test_a_refused_section_focuses_the_field_in_error_and_saves_nothing(client, cast, packet):
    client.force_login(cast.owner)

    response = client.post(
        url("packet_section", packet, "influence"),
        section_data(packet, "influence", influence="Led \u202ethe guild"),
        headers=HTMX,
    )

    assert response.status_code == 422
    assert announced(response) == REFUSED
    tag = only_focus(response)
    assert tag.startswith("<textarea") and 'id="id_influence_influence"' in tag
    assert PromotionPacket.objects.get().influence == ""


def test_a_refused_recommendation_focuses_its_first_choice(client, cast, packet):
    client.force_login(cast.manager)

    response = client.post(
        url("packet_section", packet, "summary"),
        section_data(packet, "summary", summary="Ready.", recommendation="maybe"),
        headers=HTMX,
    )

    assert response.status_code == 422
    tag = only_focus(response)
    assert tag.startswith('<input type="radio" name="recommendation" value=""')


def test_a_stale_section_focuses_the_conflict(client, cast, packet):
    client.force_login(cast.owner)
    data = section_data(packet, "influence", influence="Mine")
    PromotionPacket.objects.filter(pk=packet.pk).update(influence="Theirs", version=99)

    response = client.post(url("packet_section", packet, "influence"), data, headers=HTMX)

    assert response.status_code == 422
    assert announced(response).startswith("Nothing was saved: someone changed this")
    assert only_focus(response).startswith('<p class="banner banner--bad" role="alert"')
    assert PromotionPacket.objects.get().influence == "Theirs"


def test_adding_a_project_names_it_and_focuses_it(client, cast, packet):
    first, second = (
        BragEntryFactory(owner=cast.owner, title=title) for title in ("Billing", "Guild")
    )
    client.force_login(cast.owner)
    client.post(url("packet_projects", packet), projects_data(packet, [first]), headers=HTMX)

    response = client.post(
        url("packet_projects", packet), projects_data(packet, [first, second]), headers=HTMX
    )

    assert announced(response) == "Saved the projects: added “Guild”."
    assert only_focus(response) == '<li class="project" data-focus-here>'
    assert response.text.index("data-focus-here") > response.text.index("Billing")


def test_removing_a_project_names_it_and_focuses_the_section(client, cast, packet):
    first, second = (
        BragEntryFactory(owner=cast.owner, title=title) for title in ("Billing", "Guild")
    )
    client.force_login(cast.owner)
    client.post(
        url("packet_projects", packet), projects_data(packet, [first, second]), headers=HTMX
    )

    response = client.post(
        url("packet_projects", packet), projects_data(packet, [first]), headers=HTMX
    )

    assert announced(response) == "Saved the projects: took out “Guild”."
    assert only_focus(response).startswith('<section id="section-projects"')


def test_too_many_projects_focus_the_message_and_save_nothing(client, cast, packet):
    entries = [BragEntryFactory(owner=cast.owner) for _ in range(6)]
    client.force_login(cast.owner)

    response = client.post(
        url("packet_projects", packet), projects_data(packet, entries), headers=HTMX
    )

    assert response.status_code == 422
    assert announced(response) == REFUSED
    assert only_focus(response).startswith('<div class="form-errors" role="alert"')
    assert not packet.projects.exists()


def test_saving_a_matrix_row_says_its_status_and_focuses_the_row(client, cast, packet):
    client.force_login(cast.manager)

    response = client.post(
        url("packet_matrix", packet, "scope"), row_data(packet, "scope", status="met"), headers=HTMX
    )

    assert announced(response) == "Saved Scope: met."
    assert only_focus(response).startswith('<li id="section-matrix-scope"')


def test_a_gap_without_a_reason_focuses_the_reason(client, cast, packet):
    client.force_login(cast.manager)

    response = client.post(
        url("packet_matrix", packet, "scope"), row_data(packet, "scope", status="gap"), headers=HTMX
    )

    assert response.status_code == 422
    assert announced(response) == REFUSED
    tag = only_focus(response)
    assert tag.startswith("<textarea") and 'id="id_matrix_scope_reason"' in tag
    assert packet.matrix.get(dimension_key="scope").status == ""


def test_opening_other_entries_focuses_the_first_and_says_how_many(client, cast, packet):
    BragEntryFactory(owner=cast.owner, title="Older", date=dt.date(2026, 1, 5))
    BragEntryFactory(owner=cast.owner, title="Newer", date=dt.date(2026, 2, 5))
    client.force_login(cast.owner)

    response = client.get(f"{url('packet', packet)}?picker=scope", headers=HTMX)

    assert announced(response) == "2 other entries listed."
    tag = only_focus(response)
    assert tag.startswith('<input type="checkbox" name="evidence"')
    assert response.text.index("data-focus-here") < response.text.index("Newer")


def test_without_javascript_other_entries_open_in_the_page(client, cast, packet):
    BragEntryFactory(owner=cast.owner, title="Untagged win")
    client.force_login(cast.owner)

    closed = client.get(url("packet", packet))
    opened = client.get(f"{url('packet', packet)}?picker=scope")

    link = f"{url('packet', packet)}?picker=scope#section-matrix-scope"
    assert f'<noscript><p><a href="{link}">List the other entries</a>' in closed.text
    assert "Untagged win" not in closed.text.split('id="section-matrix-scope"')[1]
    scope = opened.text.split('id="section-matrix-scope"')[1].split("</li>")[0]
    assert '<details class="picker__others" open>' in scope and "Untagged win" in scope
    assert focused(opened) == []


def test_a_reader_asking_for_the_list_just_reads_the_page(client, cast, packet, second_manager):
    make_ready(packet, cast.owner)
    client.force_login(cast.teammate)

    assert client.get(f"{url('packet', packet)}?picker=scope").status_code == 404


# Draft, share, submit: the page's body again


def test_drafting_says_what_it_filled_and_focuses_that_line(client, cast, packet):
    BragEntryFactory(owner=cast.owner, title="Billing")
    client.force_login(cast.manager)

    response = client.post(url("packet_draft", packet), headers=HTMX)

    assert announced(response).startswith("Drafted from evidence: 1 projects")
    tag = only_focus(response)
    assert tag.startswith('<p class="message message--success packet-notice"')
    assert response.text.lstrip().startswith('<div id="packet-body">')


def test_sharing_the_summary_focuses_the_shared_badge(client, cast, packet):
    PromotionPacket.objects.filter(pk=packet.pk).update(summary="Ready.")
    client.force_login(cast.manager)

    response = client.post(url("packet_share", packet), headers=HTMX)

    assert announced(response).startswith("Shared with Owner: they can read the summary")
    assert only_focus(response).startswith('<p class="badge badge--accent"')
    assert PromotionPacket.objects.get().manager_shared_at is not None


def test_sharing_nothing_is_refused_and_said(client, cast, packet):
    client.force_login(cast.manager)

    response = client.post(url("packet_share", packet), headers=HTMX)

    assert announced(response).startswith("Write the summary or pick a recommendation")
    assert only_focus(response).startswith('<p class="message message--error packet-notice"')
    assert PromotionPacket.objects.get().manager_shared_at is None


def test_submitting_focuses_the_read_only_line(client, cast, packet):
    make_ready(packet, cast.owner)
    client.force_login(cast.manager)

    response = client.post(url("packet_submit", packet), headers=HTMX)

    assert announced(response).startswith("Submitted. The packet is read-only now")
    assert only_focus(response) == "<p data-focus-here>"
    assert PromotionPacket.objects.get().status == PacketStatus.SUBMITTED


def test_the_plain_page_marks_nothing(client, cast, packet):
    client.force_login(cast.manager)

    assert focused(client.get(url("packet", packet))) == []


# Review notes


@pytest.fixture
def note(cast, cycle) -> ReviewNote:
    return create_note(cast.owner, cast.manager, title="1:1 in May", body="Good week.")


def notes_url(person) -> str:
    return f"/reviews/people/{person.pk}/notes/"


def test_writing_a_note_focuses_it_and_says_it_is_private(client, cast):
    client.force_login(cast.manager)

    response = client.post(notes_url(cast.owner), {"title": "Growth", "body": "Text"}, headers=HTMX)

    note = ReviewNote.objects.get()
    assert announced(response) == "Saved “Growth”. It is private until you share it."
    assert only_focus(response).startswith(f'<article id="note-{note.pk}"')


def test_a_note_without_a_title_focuses_the_title(client, cast):
    client.force_login(cast.manager)

    response = client.post(notes_url(cast.owner), {"title": "", "body": "Text"}, headers=HTMX)

    assert response.status_code == 422
    assert announced(response) == REFUSED
    assert only_focus(response).startswith('<input type="text" name="title"')
    assert not ReviewNote.objects.exists()


def test_opening_the_editor_focuses_the_title_and_cancel_the_edit_button(client, cast, note):
    client.force_login(cast.manager)

    opened = client.get(f"{note.get_absolute_url()}?edit=1", headers=HTMX)
    cancelled = client.get(note.get_absolute_url(), headers=HTMX)

    assert only_focus(opened).startswith('<input type="text" name="title"')
    assert only_focus(cancelled).startswith('<a class="button" href=')
    assert focused(client.get(f"{note.get_absolute_url()}?edit=1")) == []


def test_saving_a_note_focuses_it_and_names_the_version(client, cast, note):
    client.force_login(cast.manager)
    data = {"title": "1:1 in May", "body": "Better week.", "version": note.version}

    response = client.post(note.get_absolute_url(), data, headers=HTMX)

    assert announced(response) == "Saved version 2 of “1:1 in May”."
    assert only_focus(response).startswith('<article id="note"')


def test_a_stale_note_focuses_the_conflict(client, cast, note, second_manager):
    client.force_login(cast.manager)
    ReviewNote.objects.filter(pk=note.pk).update(version=5)
    data = {"title": "Mine", "body": "Mine.", "version": 1}

    response = client.post(note.get_absolute_url(), data, headers=HTMX)

    assert response.status_code == 422
    assert announced(response).startswith("Nothing was saved: this note changed")
    assert only_focus(response).startswith('<section class="card note-conflict"')


def test_sharing_from_the_list_focuses_the_button_that_takes_it_back(client, cast, note):
    client.force_login(cast.manager)
    headers = HTMX | {"HX-Target": f"note-{note.pk}"}

    response = client.post(f"/reviews/notes/{note.pk}/share/", {"shared": "1"}, headers=headers)

    assert announced(response).startswith("Shared with Owner")
    tag = only_focus(response)
    assert tag.startswith('<button type="submit"')
    assert response.text.split("data-focus-here>")[1].startswith("Make private")


def test_deleting_focuses_undo_and_undo_focuses_the_note(client, cast, note):
    client.force_login(cast.manager)
    headers = HTMX | {"HX-Target": f"note-{note.pk}"}

    deleted = client.post(f"/reviews/notes/{note.pk}/delete/", headers=headers)
    restored = client.post(f"/reviews/notes/{note.pk}/undo/", headers=headers)

    assert announced(deleted) == "Deleted “1:1 in May”."
    assert only_focus(deleted).startswith('<button type="submit" class="button"')
    assert announced(restored) == "Restored “1:1 in May”."
    assert only_focus(restored).startswith(f'<article id="note-{note.pk}"')


def test_deleting_on_its_page_lands_on_the_list_with_undo_focused(client, cast, note):
    client.force_login(cast.manager)

    response = client.post(f"/reviews/notes/{note.pk}/delete/", follow=True)

    assert re.search(r"<button type=\"submit\" class=\"button\" autofocus>Undo", response.text)
    assert focused(response) == []


# The promotion round and the dashboard


@pytest.fixture
def submitted(packet) -> PromotionPacket:
    PromotionPacket.objects.filter(pk=packet.pk).update(status="submitted")
    packet.matrix.filter(dimension_key="scope").update(status="gap")
    return PromotionPacket.objects.get(pk=packet.pk)


def decide_url(packet) -> str:
    return f"/reviews/packets/{packet.pk}/decide/"


def test_opening_the_decision_form_focuses_its_first_choice(client, decider, submitted):
    client.force_login(decider)

    response = client.get(decide_url(submitted), headers=HTMX)

    assert only_focus(response).startswith('<input type="radio" name="outcome" value="promoted"')


def test_a_refused_decision_focuses_the_first_field_in_error(client, decider, submitted):
    client.force_login(decider)
    data = {"outcome": "not_yet", "reason": "Not yet.", "gaps": ["scope"]}

    response = client.post(decide_url(submitted), data, headers=HTMX)

    assert response.status_code == 422
    assert announced(response) == REFUSED
    tag = only_focus(response)
    assert tag.startswith("<textarea") and 'name="close_scope"' in tag
    assert PromotionPacket.objects.get().status == PacketStatus.SUBMITTED


def test_deciding_focuses_the_decision_and_says_it(client, decider, submitted):
    client.force_login(decider)
    data = {
        "outcome": "not_yet",
        "reason": "Not yet.",
        "gaps": ["scope"],
        "close_scope": "Own a system.",
    }

    response = client.post(decide_url(submitted), data, headers=HTMX)

    assert announced(response) == "Decided: not yet for Owner. They and their managers read why."
    assert only_focus(response).startswith('<section class="decision decision--not_yet"')


def test_sorting_the_dashboard_keeps_focus_on_the_heading_pressed(client, cast):
    client.force_login(cast.manager)
    headers = HTMX | {"HX-Target": "reports"}

    response = client.get("/reviews/team/?sort=-gaps", headers=headers)

    assert announced(response) == "Sorted by gaps, descending."
    tag = only_focus(response)
    assert tag.startswith('<a href="?sort=gaps"')
    assert focused(client.get("/reviews/team/?sort=-gaps")) == []
