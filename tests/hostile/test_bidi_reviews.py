"""Bidirectional controls in the review forms (notes, packet sections, projects, the evidence
matrix, the round's decision): refused with the message on the field, nothing saved."""

import pytest
from django.urls import reverse

from careerladder.text import BIDI_MESSAGE
from reviews.note_models import ReviewNote
from reviews.note_services import create_note
from reviews.packet_models import PromotionDecision
from reviews.packet_services import submit_packet

from ..factories import BragEntryFactory
from ..reviews.conftest import cycle, decider, packet  # noqa: F401  (fixtures)
from ..reviews.test_packet import fresh, make_ready, projects_data, row_data, section_data
from ..reviews.test_packet import snapshot as packet_snapshot

HTMX = {"HX-Request": "true"}
RLO = "\u202e"


def notes() -> list:
    return list(ReviewNote.objects.values_list("title", "body", "version"))


@pytest.mark.parametrize("field", ["title", "body"])
def test_a_new_note_with_a_bidi_control_is_refused(client, cast, cycle, field):  # noqa: F811
    client.force_login(cast.manager)
    data = {"title": "Growth", "body": "Text", "cycle": ""} | {field: f"Re{RLO}view"}

    response = client.post(reverse("reviews:notes", args=[cast.owner.pk]), data, headers=HTMX)

    assert response.status_code == 422
    assert response.context["form"].errors[field] == [BIDI_MESSAGE]
    assert not ReviewNote.objects.exists()


def test_an_edited_note_with_a_bidi_control_changes_nothing(client, cast):
    note = create_note(cast.owner, cast.manager, title="Growth", body="Text", cycle=None)
    before = notes()
    client.force_login(cast.manager)

    response = client.post(
        note.get_absolute_url(),
        {"title": f"Growth{RLO}", "body": "Text", "cycle": "", "version": note.version},
        headers=HTMX,
    )

    assert response.status_code == 422
    assert response.context["form"].errors["title"] == [BIDI_MESSAGE]
    assert notes() == before


def test_a_packet_section_with_a_bidi_control_is_refused(client, cast, packet):  # noqa: F811
    before = packet_snapshot(packet)
    client.force_login(cast.owner)

    response = client.post(
        reverse("reviews:packet_section", args=[packet.pk, "influence"]),
        section_data(packet, "influence", influence=f"Led {RLO}the guild"),
        headers=HTMX,
    )

    assert response.status_code == 422
    assert response.context["s"].form.errors["influence"] == [BIDI_MESSAGE]
    assert packet_snapshot(packet) == before


def test_the_managers_summary_with_a_bidi_control_is_refused(client, cast, packet):  # noqa: F811
    before = packet_snapshot(packet)
    client.force_login(cast.manager)

    response = client.post(
        reverse("reviews:packet_section", args=[packet.pk, "summary"]),
        section_data(packet, "summary", summary=f"Strong{RLO}", recommendation="promote"),
        headers=HTMX,
    )

    assert response.status_code == 422
    assert response.context["s"].form.errors["summary"] == [BIDI_MESSAGE]
    assert packet_snapshot(packet) == before


@pytest.mark.parametrize("answer", [f"Saved {RLO}an hour", "nul\x00in it"])
def test_a_project_answer_with_a_bidi_control_or_nul_is_refused(client, cast, packet, answer):  # noqa: F811
    entries = [BragEntryFactory(owner=cast.owner) for _ in range(3)]
    before = packet_snapshot(packet)
    client.force_login(cast.owner)

    response = client.post(
        reverse("reviews:packet_projects", args=[packet.pk]),
        projects_data(packet, entries, measurable_impact=answer),
        headers=HTMX,
    )

    assert response.status_code == 422
    errors = response.context["s"].form.non_field_errors()
    assert (
        errors == [BIDI_MESSAGE] if "\x00" not in answer else ["Null characters are not allowed."]
    )
    assert packet_snapshot(packet) == before


def test_a_matrix_reason_with_a_bidi_control_is_refused(client, cast, packet):  # noqa: F811
    key = fresh(packet).matrix.order_by("pk").first().dimension_key
    before = packet_snapshot(packet)
    client.force_login(cast.manager)

    response = client.post(
        reverse("reviews:packet_matrix", args=[packet.pk, key]),
        row_data(packet, key, status="gap", reason=f"Needs {RLO}more"),
        headers=HTMX,
    )

    assert response.status_code == 422
    assert response.context["row"].form.errors["reason"] == [BIDI_MESSAGE]
    assert packet_snapshot(packet) == before


@pytest.mark.parametrize("field", ["reason", "close"])
def test_a_decision_with_a_bidi_control_is_refused(client, cast, packet, decider, field):  # noqa: F811
    make_ready(packet, cast.owner)
    submitted = submit_packet(fresh(packet), cast.manager)
    key = submitted.matrix.order_by("pk").first().dimension_key
    data = {"outcome": "not_yet", "reason": "Not yet", "gaps": key, f"close_{key}": "Lead one"}
    name = "reason" if field == "reason" else f"close_{key}"
    data[name] = f"Lead {RLO}one"
    client.force_login(decider)

    response = client.post(
        reverse("reviews:packet_decide", args=[submitted.pk]), data, headers=HTMX
    )

    assert response.status_code == 422
    assert BIDI_MESSAGE.replace("'", "&#x27;") in response.text
    assert not PromotionDecision.objects.exists()
