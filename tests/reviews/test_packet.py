"""Promotion packets: who reads and writes what, each side's sections, projects, the evidence
matrix, sharing the manager's summary, submitting, stale saves, and the page's query count."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from brag.models import GlueKind, Visibility
from ladder.models import Level
from reviews.models import Kind, ReviewCycle
from reviews.packet_models import (
    MatrixRow,
    PacketEdit,
    PacketProject,
    PacketStatus,
    PromotionPacket,
)
from reviews.packet_services import (
    projects_digest,
    section_digest,
    start_packet,
    stored_row_digest,
    submit_packet,
)
from reviews.round_services import decide
from reviews.services import share, start_assessment, submit

from ..factories import BragEntryFactory, LadderFactory, LevelFactory, TrackFactory
from .conftest import rate_all

HTMX = {"HX-Request": "true"}
SECRET = "Ready on scope; the failure-impact gap is closing."


def url(name: str, packet: PromotionPacket, *args: object) -> str:
    return reverse(f"reviews:{name}", args=[packet.pk, *args])


def fresh(packet: PromotionPacket) -> PromotionPacket:
    return PromotionPacket.objects.get(pk=packet.pk)


def section_data(packet: PromotionPacket, section: str, **values: str) -> dict[str, object]:
    packet = fresh(packet)
    return {"version": packet.version, "base": section_digest(packet, section), **values}


def projects_data(packet: PromotionPacket, entries, **answers: str) -> dict[str, object]:
    packet = fresh(packet)
    data: dict[str, object] = {
        "version": packet.version,
        "base": projects_digest(packet.projects.all()),
        "entry": [str(entry.pk) for entry in entries],
    }
    for entry in entries:
        for name, value in answers.items():
            data[f"p{entry.pk}-{name}"] = value
    return data


def row_data(packet: PromotionPacket, key: str, **values: object) -> dict[str, object]:
    packet = fresh(packet)
    row = packet.matrix.get(dimension_key=key)
    return {"version": packet.version, "base": stored_row_digest(row.pk), **values}


def snapshot(packet: PromotionPacket) -> tuple:
    """Everything a refused request must leave as it was."""
    p = fresh(packet)
    return (
        p.version,
        p.status,
        p.influence,
        p.mentoring,
        p.glue_notes,
        p.growth,
        p.archetype,
        p.summary,
        p.recommendation,
        p.manager_shared_at,
        p.submitted_at,
        list(p.projects.values_list("entry_id", "measurable_impact")),
        list(p.matrix.values_list("dimension_key", "status", "reason")),
        sorted(MatrixRow.evidence.through.objects.filter(matrixrow__packet=p).values_list("pk")),
        p.edits.count(),
    )


@pytest.fixture
def people(cast, second_manager, decider):
    return {
        "owner": cast.owner,
        "manager": cast.manager,
        "second_manager": second_manager,
        "decider": decider,
        "teammate": cast.teammate,
        "outsider": cast.outsider,
        "staff": cast.staff,
    }


def make_ready(packet: PromotionPacket, owner) -> list:
    """Three projects, a status on every row, a summary and a recommendation."""
    entries = [
        BragEntryFactory(owner=owner, title=f"Shipped thing {n}", date=dt.date(2026, 9, n + 1))
        for n in range(3)
    ]
    PacketProject.objects.bulk_create(
        PacketProject(packet=packet, entry=entry, order=n) for n, entry in enumerate(entries)
    )
    packet.matrix.update(status="met")
    PromotionPacket.objects.filter(pk=packet.pk).update(summary=SECRET, recommendation="promote")
    return entries


@pytest.fixture
def submitted(packet, cast):
    make_ready(packet, cast.owner)
    return submit_packet(fresh(packet), cast.manager)


# Who reads


READS = ["packet", "packet_export", "packet_print"]


@pytest.mark.parametrize("name", READS)
@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("owner", 200),
        ("manager", 200),
        ("second_manager", 200),
        ("decider", 404),
        ("teammate", 404),
        ("outsider", 404),
        ("staff", 404),
    ],
)
def test_who_reads_a_draft_packet(client, people, packet, name, role, status):
    client.force_login(people[role])

    assert client.get(url(name, packet)).status_code == status


@pytest.mark.parametrize("name", READS)
@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("owner", 200),
        ("manager", 200),
        ("second_manager", 200),
        ("decider", 200),
        ("teammate", 404),
        ("outsider", 404),
        ("staff", 404),
    ],
)
def test_who_reads_a_submitted_packet(client, people, submitted, name, role, status):
    client.force_login(people[role])

    assert client.get(url(name, submitted)).status_code == status


def writes(packet: PromotionPacket, owner) -> dict[str, tuple[str, dict[str, object]]]:
    """One valid request per write, as its own side would send it."""
    entries = [BragEntryFactory(owner=owner) for _ in range(3)]
    return {
        "influence": (
            url("packet_section", packet, "influence"),
            section_data(packet, "influence", influence="Led the API guild."),
        ),
        "summary": (
            url("packet_section", packet, "summary"),
            section_data(packet, "summary", summary="Strong case.", recommendation="promote"),
        ),
        "projects": (url("packet_projects", packet), projects_data(packet, entries)),
        "matrix": (url("packet_matrix", packet, "scope"), row_data(packet, "scope", status="met")),
        "draft": (url("packet_draft", packet), {}),
        "share": (url("packet_share", packet), {}),
        "submit": (url("packet_submit", packet), {}),
    }


# 302: done (or refused with a message on the page it redirects to); 403: the other side's.
ALLOWED = {
    "owner": {"influence": 302, "projects": 302, "matrix": 302, "draft": 302},
    "manager": {"summary": 302, "matrix": 302, "draft": 302, "share": 302, "submit": 302},
    "second_manager": {"summary": 302, "matrix": 302, "draft": 302, "share": 302, "submit": 302},
}
ALL_WRITES = ["influence", "summary", "projects", "matrix", "draft", "share", "submit"]


@pytest.mark.parametrize("write", ALL_WRITES)
@pytest.mark.parametrize(
    "role", ["owner", "manager", "second_manager", "decider", "teammate", "outsider", "staff"]
)
def test_who_writes_a_draft_packet(client, people, cast, packet, role, write):
    target, data = writes(packet, cast.owner)[write]
    before = snapshot(packet)
    client.force_login(people[role])

    response = client.post(target, data)

    # Not a reader of the draft: 404, its existence is not revealed.
    expected = ALLOWED[role].get(write, 403) if role in ALLOWED else 404
    assert response.status_code == expected
    if expected == 403:
        assert snapshot(packet) == before


@pytest.mark.parametrize("write", ALL_WRITES)
@pytest.mark.parametrize(
    ("role", "status"),
    [("decider", 403), ("teammate", 404), ("outsider", 404), ("staff", 404)],
)
def test_after_submit_the_decider_reads_but_nobody_else_gets_in(
    client, people, cast, submitted, role, status, write
):
    target, data = writes(submitted, cast.owner)[write]
    before = snapshot(submitted)
    client.force_login(people[role])

    assert client.post(target, data).status_code == status
    assert snapshot(submitted) == before


@pytest.mark.parametrize("write", ALL_WRITES)
@pytest.mark.parametrize("role", ["owner", "manager", "second_manager"])
def test_a_submitted_packet_changes_no_more(client, people, cast, submitted, role, write):
    target, data = writes(submitted, cast.owner)[write]
    before = snapshot(submitted)
    client.force_login(people[role])

    response = client.post(target, data, follow=True)

    assert response.status_code in (200, 403)
    if response.status_code == 200:
        assert "submitted" in response.text
    assert snapshot(submitted) == before


@pytest.mark.parametrize(
    "name", [*READS, "packet_draft", "packet_share", "packet_submit", "packet_projects"]
)
def test_anonymous_is_sent_to_sign_in(client, packet, name):
    response = client.get(url(name, packet)) if name in READS else client.post(url(name, packet))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_anonymous_cannot_post_a_section_or_a_row(client, packet):
    before = snapshot(packet)
    for target in [
        url("packet_section", packet, "influence"),
        url("packet_matrix", packet, "scope"),
    ]:
        response = client.post(target, section_data(packet, "influence", influence="x"))
        assert response.status_code == 302
    assert snapshot(packet) == before


# Starting a packet


def start_url(person) -> str:
    return reverse("reviews:packet_start", args=[person.pk])


def test_the_subject_starts_their_packet_at_their_target_level(client, cast, cycle):
    client.force_login(cast.owner)

    response = client.post(start_url(cast.owner), {"cycle": cycle.pk})

    packet = PromotionPacket.objects.get()
    assert response["Location"] == packet.get_absolute_url()
    assert (packet.current_level_code, packet.target_level_code) == ("L3", "L4")
    assert packet.matrix.count() == 6 and packet.created_by == cast.owner


def test_a_manager_starts_one_for_a_report_at_another_level(client, cast, second_manager, cycle):
    client.force_login(second_manager)
    staff_level = Level.objects.get(track__key="ic", code="L5")

    client.post(start_url(cast.owner), {"cycle": cycle.pk, "target_level": staff_level.pk})

    assert PromotionPacket.objects.get().target_level_code == "L5"


@pytest.mark.parametrize("role", ["decider", "teammate", "outsider", "staff"])
def test_nobody_else_starts_one(client, people, cast, cycle, role):
    client.force_login(people[role])

    assert client.post(start_url(cast.owner), {"cycle": cycle.pk}).status_code == 404
    assert not PromotionPacket.objects.exists()


def test_anonymous_cannot_start_one(client, cast, cycle):
    response = client.post(start_url(cast.owner), {"cycle": cycle.pk})

    assert response["Location"].startswith(reverse("account_login"))
    assert not PromotionPacket.objects.exists()


def refused_start(client, cast, data) -> str:
    client.force_login(cast.manager)
    response = client.post(start_url(cast.owner), data, follow=True)
    assert response.status_code == 200
    return response.text


def test_a_target_at_the_current_level_is_refused(client, cast, cycle):
    level = Level.objects.get(track__key="ic", code="L3")

    text = refused_start(client, cast, {"cycle": cycle.pk, "target_level": level.pk})

    assert "The target level must be above Owner&#x27;s current level (Mid (L3))." in text
    assert not PromotionPacket.objects.exists()


def test_a_target_below_the_current_level_is_refused(client, cast, cycle):
    level = Level.objects.get(track__key="ic", code="L1-L2")

    text = refused_start(client, cast, {"cycle": cycle.pk, "target_level": level.pk})

    assert "The target level must be above" in text
    assert not PromotionPacket.objects.exists()


def test_a_level_of_another_track_is_refused(client, cast, cycle):
    level = Level.objects.get(track__key="management", code="EM")

    text = refused_start(client, cast, {"cycle": cycle.pk, "target_level": level.pk})

    assert "Pick a level of the Individual contributor track." in text
    assert not PromotionPacket.objects.exists()


def test_a_level_of_another_ladder_is_refused(client, cast, cycle):
    level = LevelFactory(track=TrackFactory(ladder=LadderFactory()), order=9)

    text = refused_start(client, cast, {"cycle": cycle.pk, "target_level": level.pk})

    assert "Pick a level of the Individual contributor track." in text
    assert not PromotionPacket.objects.exists()


def test_a_closed_cycle_is_refused(client, cast):
    closed = ReviewCycle.objects.create(
        name="Review Q2 2026", start=dt.date(2026, 4, 1), end=dt.date(2026, 6, 30), is_open=False
    )

    text = refused_start(client, cast, {"cycle": closed.pk})

    assert "Review Q2 2026 is closed: no new packets." in text
    assert not PromotionPacket.objects.exists()


def test_a_second_packet_for_the_cycle_is_refused_and_the_first_is_shown(client, cast, packet):
    client.force_login(cast.owner)

    response = client.post(start_url(cast.owner), {"cycle": packet.cycle_id}, follow=True)

    assert "Owner has a packet for Review Q4 2026 already." in response.text
    assert response.redirect_chain[-1][0] == packet.get_absolute_url()
    assert PromotionPacket.objects.count() == 1


def test_a_start_without_a_cycle_says_so(client, cast, cycle):
    text = refused_start(client, cast, {"cycle": ""})

    assert "Pick the review cycle." in text
    assert not PromotionPacket.objects.exists()


# The engineer's sections


def test_the_subject_writes_a_section_and_both_sides_see_who_changed_it(client, cast, packet):
    client.force_login(cast.owner)

    response = client.post(
        url("packet_section", packet, "influence"),
        section_data(packet, "influence", influence="Wrote the RFC three teams adopted."),
        headers=HTMX,
    )

    assert response.status_code == 200
    assert 'id="section-influence"' in response.text
    assert "Saved" in response.text and "Last changed by Owner" in response.text
    packet = fresh(packet)
    assert packet.influence == "Wrote the RFC three teams adopted."
    assert packet.edits.get().section == "influence"
    client.force_login(cast.manager)
    page = client.get(url("packet", packet)).text
    section = page.split('id="section-influence"')[1].split("</section>")[0]
    assert "Wrote the RFC three teams adopted." in section
    assert "Last changed by Owner" in section
    assert "<textarea" not in section  # the manager reads it; it is not theirs to write


def test_a_plain_form_post_redirects_back_to_the_section(client, cast, packet):
    client.force_login(cast.owner)

    response = client.post(
        url("packet_section", packet, "growth"), section_data(packet, "growth", growth="Writing.")
    )

    assert response["Location"] == f"{packet.get_absolute_url()}#section-growth"
    assert fresh(packet).growth == "Writing."


def test_a_text_too_long_is_refused_with_the_reason(client, cast, packet):
    client.force_login(cast.owner)
    before = snapshot(packet)

    response = client.post(
        url("packet_section", packet, "mentoring"),
        section_data(packet, "mentoring", mentoring="x" * 10001),
        headers=HTMX,
    )

    assert response.status_code == 422
    assert "Ensure this value has at most 10000 characters" in response.text
    assert snapshot(packet) == before


def test_a_save_without_the_version_is_refused(client, cast, packet):
    client.force_login(cast.owner)
    before = snapshot(packet)

    response = client.post(
        url("packet_section", packet, "influence"), {"influence": "x"}, headers=HTMX
    )

    assert response.status_code == 422
    assert "This form is out of date: reload the page." in response.text
    assert snapshot(packet) == before


def test_an_unknown_section_is_not_found(client, cast, packet):
    client.force_login(cast.owner)

    for section in ["projects", "status", "nope"]:
        response = client.post(url("packet_section", packet, section), {"version": 1})
        assert response.status_code == 404


def test_the_archetype_is_offered_only_from_staff_up(client, cast, packet, cycle):
    client.force_login(cast.owner)

    assert "Archetype" not in client.get(url("packet", packet)).text
    response = client.post(
        url("packet_section", packet, "archetype"),
        section_data(packet, "archetype", archetype="solver"),
    )
    assert response.status_code == 404
    assert fresh(packet).archetype == ""


def test_a_staff_packet_takes_an_archetype(client, cast, cycle):
    staff_level = Level.objects.get(track__key="ic", code="L5")
    packet = start_packet(cast.owner, cycle, cast.owner, staff_level)
    client.force_login(cast.owner)

    page = client.get(url("packet", packet)).text
    assert "Right Hand" in page and "borrowed authority" in page
    bad = client.post(
        url("packet_section", packet, "archetype"),
        section_data(packet, "archetype", archetype="wizard"),
        headers=HTMX,
    )
    assert bad.status_code == 422 and "Pick one of the archetypes." in bad.text
    client.post(
        url("packet_section", packet, "archetype"),
        section_data(packet, "archetype", archetype="right_hand"),
    )
    assert fresh(packet).archetype == "right_hand"


# Stale saves


def test_two_managers_saving_the_summary_the_second_gets_the_conflict_view(
    client, cast, second_manager, packet
):
    opened = section_data(packet, "summary", summary="", recommendation="")
    client.force_login(cast.manager)
    client.post(
        url("packet_section", packet, "summary"),
        {**opened, "summary": "Promote: scope is there.", "recommendation": "promote"},
    )
    client.force_login(second_manager)
    before = snapshot(packet)

    response = client.post(
        url("packet_section", packet, "summary"),
        {**opened, "summary": "Not yet: ambiguity.", "recommendation": "not_yet"},
        headers=HTMX,
    )

    assert response.status_code == 422
    assert "Nothing was saved" in response.text
    assert "Manager changed this" in response.text
    mine, theirs = response.text.split("Yours, not saved")[1].split("Saved now")
    assert "Not yet: ambiguity." in mine
    assert "Promote: scope is there." in theirs
    assert snapshot(packet) == before
    assert fresh(packet).summary == "Promote: scope is there."

    # Saving theirs over it is a choice: the form carries the version it was shown with.
    version = response.text.split('name="version" value="')[1].split('"')[0]
    base = response.text.split('name="base" value="')[1].split('"')[0]
    client.post(
        url("packet_section", packet, "summary"),
        {"version": version, "base": base, "summary": "Not yet: ambiguity.", "recommendation": ""},
    )
    assert fresh(packet).summary == "Not yet: ambiguity."


def test_the_same_section_from_two_tabs_conflicts_on_a_plain_post_too(client, cast, packet):
    opened = section_data(packet, "growth", growth="")
    client.force_login(cast.owner)
    client.post(url("packet_section", packet, "growth"), {**opened, "growth": "First tab."})

    response = client.post(
        url("packet_section", packet, "growth"), {**opened, "growth": "Second tab."}
    )

    assert response.status_code == 422
    assert "<nav" in response.text  # the whole page, with the conflict in place
    assert "Second tab." in response.text and "First tab." in response.text
    assert fresh(packet).growth == "First tab."


def test_a_save_of_another_section_meanwhile_is_no_conflict(client, cast, packet):
    opened = section_data(packet, "influence", influence="")
    client.force_login(cast.manager)
    client.post(
        url("packet_section", packet, "summary"),
        section_data(packet, "summary", summary="Good.", recommendation=""),
    )
    client.force_login(cast.owner)

    response = client.post(
        url("packet_section", packet, "influence"),
        {**opened, "influence": "Ran the guild."},
        headers=HTMX,
    )

    assert response.status_code == 200
    packet = fresh(packet)
    assert (packet.influence, packet.summary) == ("Ran the guild.", "Good.")


def test_a_stale_matrix_row_conflicts(client, cast, second_manager, packet):
    opened = row_data(packet, "scope")
    client.force_login(cast.owner)
    client.post(url("packet_matrix", packet, "scope"), {**opened, "status": "met"})
    client.force_login(second_manager)

    response = client.post(
        url("packet_matrix", packet, "scope"),
        {**opened, "status": "gap", "reason": "Only one service so far."},
        headers=HTMX,
    )

    assert response.status_code == 422
    assert "Nothing was saved" in response.text and "Only one service so far." in response.text
    assert packet.matrix.get(dimension_key="scope").status == "met"


def test_stale_projects_conflict(client, cast, packet):
    entries = [BragEntryFactory(owner=cast.owner, title=f"Entry {n}") for n in range(4)]
    opened = projects_data(packet, [])
    client.force_login(cast.owner)
    client.post(url("packet_projects", packet), {**opened, "entry": [entries[0].pk]})

    response = client.post(
        url("packet_projects", packet),
        {**opened, "entry": [e.pk for e in entries[1:]]},
        headers=HTMX,
    )

    assert response.status_code == 422 and "Nothing was saved" in response.text
    assert list(fresh(packet).projects.values_list("entry", flat=True)) == [entries[0].pk]


# Projects


def test_the_subject_picks_projects_with_the_impact_audit(client, cast, packet):
    entries = [
        BragEntryFactory(owner=cast.owner, title=f"Project {n}", category=category)
        for n, category in enumerate(["projects", "operations", "design"])
    ]
    client.force_login(cast.owner)

    response = client.post(
        url("packet_projects", packet),
        projects_data(packet, entries, measurable_impact="p99 800ms → 200ms", learned="Queues."),
        headers=HTMX,
    )

    assert response.status_code == 200
    projects = list(fresh(packet).projects.select_related("entry"))
    assert [p.entry.title for p in projects] == ["Project 0", "Project 1", "Project 2"]
    assert [p.order for p in projects] == [0, 1, 2]
    assert projects[0].measurable_impact == "p99 800ms → 200ms"
    assert projects[2].learned == "Queues."
    assert "What did you learn that you didn’t know before?" in response.text
    assert "so far: a packet needs" not in response.text


def test_fewer_than_three_projects_save_with_a_warning(client, cast, packet):
    entries = [BragEntryFactory(owner=cast.owner) for _ in range(2)]
    client.force_login(cast.owner)

    response = client.post(url("packet_projects", packet), projects_data(packet, entries))

    assert fresh(packet).projects.count() == 2
    page = client.get(response["Location"]).text
    assert "2 projects so far: a packet needs 3 to 5 before it can be submitted." in page


def test_more_than_five_projects_are_refused(client, cast, packet):
    entries = [BragEntryFactory(owner=cast.owner) for _ in range(6)]
    client.force_login(cast.owner)
    before = snapshot(packet)

    response = client.post(
        url("packet_projects", packet), projects_data(packet, entries), headers=HTMX
    )

    assert response.status_code == 422
    assert "A packet has at most 5 projects: you picked 6. Untick 1." in response.text
    assert snapshot(packet) == before


def test_someone_elses_entry_is_refused_even_one_i_can_read(client, cast, packet):
    mine = [BragEntryFactory(owner=cast.owner) for _ in range(2)]
    theirs = BragEntryFactory(owner=cast.teammate, visibility=Visibility.TEAM)
    client.force_login(cast.owner)
    before = snapshot(packet)

    response = client.post(
        url("packet_projects", packet), projects_data(packet, [*mine, theirs]), headers=HTMX
    )

    assert response.status_code == 422
    assert "Pick only Owner’s own brag entries that you can read." in response.text
    assert snapshot(packet) == before


def test_an_entry_deleted_since_is_refused(client, cast, packet):
    gone = BragEntryFactory(owner=cast.owner)
    gone.soft_delete()
    client.force_login(cast.owner)
    before = snapshot(packet)

    response = client.post(url("packet_projects", packet), projects_data(packet, [gone]))

    assert response.status_code == 422
    assert "Pick only Owner’s own brag entries that you can read." in response.text
    assert snapshot(packet) == before


def test_a_project_that_is_not_a_number_is_refused(client, cast, packet):
    client.force_login(cast.owner)
    data = projects_data(packet, [])
    data["entry"] = ["first"]

    response = client.post(url("packet_projects", packet), data, headers=HTMX)

    assert response.status_code == 422 and "own brag entries" in response.text
    assert not fresh(packet).projects.exists()


def test_an_over_long_answer_is_refused(client, cast, packet):
    entry = BragEntryFactory(owner=cast.owner)
    client.force_login(cast.owner)

    response = client.post(
        url("packet_projects", packet),
        projects_data(packet, [entry], who_benefited="x" * 4001),
        headers=HTMX,
    )

    assert response.status_code == 422
    assert "Keep each answer under 4,000 characters." in response.text
    assert not fresh(packet).projects.exists()


def test_the_manager_reads_projects_but_not_a_private_entry(client, cast, packet):
    shown = BragEntryFactory(owner=cast.owner, title="Billing rewrite")
    private = BragEntryFactory(owner=cast.owner, title="My private win", visibility="private")
    PacketProject.objects.create(packet=packet, entry=shown, order=0, learned="Sagas.")
    PacketProject.objects.create(packet=packet, entry=private, order=1, learned="Patience.")
    client.force_login(cast.manager)

    page = client.get(url("packet", packet)).text

    assert "Billing rewrite" in page and "Sagas." in page
    assert "My private win" not in page
    assert "A brag entry you cannot open" in page and "Patience." in page


# The evidence matrix


@pytest.mark.parametrize(
    ("status", "message"),
    [
        ("gap", "Say what is missing: a gap needs a reason."),
        ("na", "Say why this does not apply: “not applicable” needs a reason."),
    ],
)
def test_a_gap_or_not_applicable_needs_a_reason(client, cast, packet, status, message):
    client.force_login(cast.manager)
    before = snapshot(packet)

    response = client.post(
        url("packet_matrix", packet, "scope"),
        row_data(packet, "scope", status=status, reason="  "),
        headers=HTMX,
    )

    assert response.status_code == 422
    assert message in response.text
    assert snapshot(packet) == before


def test_an_unknown_status_is_refused(client, cast, packet):
    client.force_login(cast.manager)
    before = snapshot(packet)

    response = client.post(
        url("packet_matrix", packet, "scope"),
        row_data(packet, "scope", status="great"),
        headers=HTMX,
    )

    assert response.status_code == 422 and "Pick met, gap or not applicable." in response.text
    assert snapshot(packet) == before


def test_an_unknown_dimension_is_not_found(client, cast, packet):
    client.force_login(cast.manager)

    assert client.post(url("packet_matrix", packet, "charisma"), {}).status_code == 404


def test_a_row_with_status_reason_and_evidence(client, cast, packet):
    evidence = BragEntryFactory(owner=cast.owner, title="Owned the payments service")
    client.force_login(cast.manager)

    response = client.post(
        url("packet_matrix", packet, "scope"),
        row_data(packet, "scope", status="gap", reason="One service only.", evidence=[evidence.pk]),
        headers=HTMX,
    )

    assert response.status_code == 200
    assert 'id="section-matrix-scope"' in response.text
    assert 'id="submit-bar" class="card submit-bar packet-submit" hx-swap-oob="true"' in (
        response.text
    )
    row = packet.matrix.get(dimension_key="scope")
    assert (row.status, row.reason) == ("gap", "One service only.")
    assert list(row.evidence.all()) == [evidence]
    assert PacketEdit.objects.get().section == "matrix:scope"


def test_evidence_the_editor_cannot_read_is_refused(client, cast, packet):
    private = BragEntryFactory(owner=cast.owner, visibility="private")
    someone_else = BragEntryFactory(owner=cast.teammate, visibility=Visibility.TEAM)
    client.force_login(cast.manager)
    before = snapshot(packet)

    for entry in (private, someone_else):
        response = client.post(
            url("packet_matrix", packet, "scope"),
            row_data(packet, "scope", status="met", evidence=[entry.pk]),
            headers=HTMX,
        )
        assert response.status_code == 422
        assert "Link only Owner’s own brag entries that you can read." in response.text
    assert snapshot(packet) == before


def test_a_manager_saving_a_row_keeps_evidence_they_cannot_read(client, cast, packet):
    private = BragEntryFactory(owner=cast.owner, title="Private proof", visibility="private")
    shared = BragEntryFactory(owner=cast.owner, title="Shared proof")
    row = packet.matrix.get(dimension_key="autonomy")
    row.evidence.set([private, shared])
    client.force_login(cast.manager)

    page = client.get(url("packet", packet)).text
    assert "Shared proof" in page and "Private proof" not in page
    client.post(
        url("packet_matrix", packet, "autonomy"), row_data(packet, "autonomy", status="met")
    )

    assert list(row.evidence.all()) == [private]


def test_each_row_shows_the_target_expectation_and_the_latest_ratings(
    client, cast, packet, submitted_self, submitted_manager
):
    share(submitted_manager)
    client.force_login(cast.owner)

    page = client.get(url("packet", packet)).text

    row = page.split('id="section-matrix-scope"')[1].split("</li>")[0]
    assert "Senior (L4) expects" in row and "Entire system / service" in row
    assert "Self: <strong>Mid (L3)</strong>" in row
    assert "Manager: <strong>Senior (L4)</strong>" in row


def test_the_subject_does_not_see_an_unshared_manager_rating(
    client, cast, packet, submitted_self, submitted_manager
):
    client.force_login(cast.owner)

    row = client.get(url("packet", packet)).text.split('id="section-matrix-scope"')[1]

    assert "Manager: <span" in row.split("</li>")[0]
    assert "Senior (L4)</strong>" not in row.split("</li>")[0]


def test_glue_work_is_counted_by_kind_with_the_latest_examples(client, cast, packet):
    for n in range(4):
        BragEntryFactory(
            owner=cast.owner,
            title=f"Onboarded hire {n}",
            glue_kind=GlueKind.ONBOARDING,
            date=dt.date(2026, 8, n + 1),
        )
    BragEntryFactory(owner=cast.owner, title="Wrote the runbook", glue_kind=GlueKind.DOCUMENTATION)
    BragEntryFactory(
        owner=cast.owner,
        title="Secret glue",
        glue_kind=GlueKind.DOCUMENTATION,
        visibility="private",
    )
    client.force_login(cast.manager)

    glue = client.get(url("packet", packet)).text.split('id="section-glue"')[1]
    glue = glue.split("</section>")[0]

    assert '<strong>Onboarding</strong> <span class="badge badge--glue">4</span>' in glue
    assert "Onboarded hire 3" in glue and "Onboarded hire 1" in glue
    assert "Onboarded hire 0" not in glue  # the latest three
    assert '<strong>Documentation</strong> <span class="badge badge--glue">1</span>' in glue
    assert "Secret glue" not in glue


# The manager's summary: for the subject only once shared


def test_the_subject_never_sees_the_unshared_summary_anywhere(client, cast, packet):
    entries = [BragEntryFactory(owner=cast.owner) for _ in range(3)]
    client.force_login(cast.manager)
    client.post(
        url("packet_section", packet, "summary"),
        section_data(packet, "summary", summary=SECRET, recommendation="not_yet"),
    )
    assert SECRET in client.get(url("packet", packet)).text
    client.force_login(cast.owner)

    responses = [
        client.get(url("packet", packet)),
        client.get(url("packet", packet), headers=HTMX),
        client.get(url("packet_export", packet)),
        client.get(url("packet_print", packet)),
        client.post(
            url("packet_section", packet, "influence"),
            section_data(packet, "influence", influence="Mine."),
            headers=HTMX,
        ),
        client.post(
            url("packet_section", packet, "growth"),
            {"version": 1, "base": "stale", "growth": "Conflict."},
            headers=HTMX,
        ),
        client.post(url("packet_projects", packet), projects_data(packet, entries), headers=HTMX),
        client.post(
            url("packet_matrix", packet, "scope"),
            row_data(packet, "scope", status="met"),
            headers=HTMX,
        ),
        client.post(url("packet_draft", packet), follow=True),
        client.post(url("packet_section", packet, "summary"), {}),
    ]

    for response in responses:
        text = response.content.decode()
        assert SECRET not in text
        assert "Recommendation" not in text and "Not yet" not in text
        assert "summary and recommendation" not in text.lower()
        assert "section-summary" not in text


def test_once_shared_the_subject_reads_it_everywhere(client, cast, packet):
    client.force_login(cast.manager)
    client.post(
        url("packet_section", packet, "summary"),
        section_data(packet, "summary", summary=SECRET, recommendation="not_yet"),
    )

    response = client.post(url("packet_share", packet), follow=True)

    assert "Shared with Owner: they can read the summary" in response.text
    assert fresh(packet).manager_shared_at is not None
    client.force_login(cast.owner)
    for name in READS:
        text = client.get(url(name, packet)).content.decode()
        assert SECRET in text and "Not yet" in text
    page = client.get(url("packet", packet)).text
    assert "Shared with you by Manager" in page
    assert 'name="summary"' not in page  # read, not written


def test_sharing_an_empty_summary_is_refused(client, cast, packet):
    client.force_login(cast.manager)

    response = client.post(url("packet_share", packet), follow=True)

    assert "Write the summary or pick a recommendation before you share it." in response.text
    assert fresh(packet).manager_shared_at is None


def test_the_decider_reads_the_unshared_summary_once_submitted(client, decider, submitted):
    client.force_login(decider)

    page = client.get(url("packet", submitted)).text

    assert SECRET in page and "Promote" in page
    assert "<textarea" not in page and "Draft from evidence" not in page
    assert "Shipped thing" not in page  # deciders read no brag entries


# Submitting


def test_a_manager_submits_a_ready_packet(client, cast, packet):
    make_ready(packet, cast.owner)
    client.force_login(cast.manager)

    response = client.post(url("packet_submit", packet), follow=True)

    assert "Submitted. The packet is read-only now" in response.text
    packet = fresh(packet)
    assert packet.status == PacketStatus.SUBMITTED and packet.submitted_at is not None
    assert packet.edits.filter(section="submit", by=cast.manager).exists()
    assert "<textarea" not in response.text and "Draft from evidence" not in response.text


def test_submitting_with_fewer_than_three_projects_is_refused(client, cast, packet):
    make_ready(packet, cast.owner)
    packet.projects.first().delete()
    client.force_login(cast.manager)
    before = snapshot(packet)

    response = client.post(url("packet_submit", packet), follow=True)

    assert "Not submitted. Pick at least 3 projects (2 so far)" in response.text
    assert "2 projects so far: a packet needs 3 to 5" in response.text
    assert snapshot(packet) == before


def test_submitting_with_a_row_without_status_names_it(client, cast, packet):
    make_ready(packet, cast.owner)
    packet.matrix.filter(dimension_key__in=["ambiguity", "scope"]).update(status="")
    client.force_login(cast.manager)

    response = client.post(url("packet_submit", packet), follow=True)

    assert "still open: Scope, Ambiguity." in response.text
    assert fresh(packet).status == PacketStatus.DRAFT


def test_submitting_without_a_recommendation_is_refused(client, cast, packet):
    make_ready(packet, cast.owner)
    PromotionPacket.objects.filter(pk=packet.pk).update(recommendation="")
    client.force_login(cast.manager)

    response = client.post(url("packet_submit", packet), follow=True)

    assert "Pick a recommendation: promote or not yet." in response.text
    assert fresh(packet).status == PacketStatus.DRAFT


def test_the_submit_bar_lists_what_is_missing_and_the_subject_sees_no_submit(client, cast, packet):
    client.force_login(cast.manager)
    page = client.get(url("packet", packet)).text
    bar = page.split('id="submit-bar"')[1].split("</section>")[0]
    assert "Pick at least 3 projects (0 so far)" in bar and " disabled>Submit" in bar

    client.force_login(cast.owner)
    bar = client.get(url("packet", packet)).text.split('id="submit-bar"')[1].split("</section>")[0]
    assert "A manager submits the packet" in bar and "<button" not in bar


def test_a_second_submit_is_refused(client, cast, submitted):
    client.force_login(cast.manager)

    response = client.post(url("packet_submit", submitted), follow=True)

    assert "This packet is submitted already." in response.text


def test_a_draft_in_a_closed_cycle_no_longer_changes(client, cast, packet):
    ReviewCycle.objects.filter(pk=packet.cycle_id).update(is_open=False)
    client.force_login(cast.owner)
    before = snapshot(packet)

    response = client.post(
        url("packet_section", packet, "influence"),
        section_data(packet, "influence", influence="Late."),
        headers=HTMX,
    )

    assert response.status_code == 422
    assert "Review Q4 2026 is closed: this packet can no longer change." in response.text
    assert snapshot(packet) == before
    assert "<textarea" not in client.get(url("packet", packet)).text


# The print page


def test_the_print_page_is_a_clean_document(client, cast, packet):
    client.force_login(cast.owner)

    page = client.get(url("packet_print", packet)).text

    assert "<nav" not in page and "topbar" not in page and "Sign out" not in page
    assert "Promotion Packet — Owner — Review Q4 2026" in page
    assert "js/print.js" in page and "Print or save as PDF" in page


# Query counts


def grow(packet, owner, manager, size: int, cycle: ReviewCycle) -> None:
    """Entries, projects, evidence, glue, edits, and assessments in `cycle` rating with them."""
    dimensions = list(owner.track.ladder.dimensions.all())
    entries = [
        BragEntryFactory(
            owner=owner,
            dimensions=dimensions[: 1 + n % 6],
            glue_kind=list(GlueKind.values)[n % 9],
            date=dt.date(2026, 1 + n % 12, 1 + n % 28),
        )
        for n in range(size)
    ]
    PacketProject.objects.filter(packet=packet).delete()
    PacketProject.objects.bulk_create(
        PacketProject(packet=packet, entry=entry, order=n) for n, entry in enumerate(entries[:5])
    )
    for row in packet.matrix.all():
        row.evidence.set(entries)
        PacketEdit.objects.create(packet=packet, section=f"matrix:{row.dimension_key}", by=owner)
    for kind, author in ((Kind.SELF, owner), (Kind.MANAGER, manager)):
        assessment = start_assessment(cycle, owner, author, kind)
        for rating in assessment.ratings.all():
            rating.evidence.set(entries)
        submit(rate_all(assessment))


@pytest.mark.parametrize("role", ["owner", "manager"])
def test_the_page_query_count_does_not_grow(client, cast, packet, role):
    client.force_login(getattr(cast, role))
    grow(packet, cast.owner, cast.manager, 3, packet.cycle)
    client.get(url("packet", packet))  # warm the session and the ladder version
    with CaptureQueriesContext(connection) as small:
        assert client.get(url("packet", packet)).status_code == 200

    earlier = ReviewCycle.objects.create(
        name="Review Q3 2026", start=dt.date(2026, 7, 1), end=dt.date(2026, 9, 30)
    )
    grow(packet, cast.owner, cast.manager, 40, earlier)
    PacketEdit.objects.bulk_create(
        PacketEdit(packet=packet, section="influence", by=cast.owner) for _ in range(20)
    )
    with CaptureQueriesContext(connection) as large:
        response = client.get(url("packet", packet))

    assert response.status_code == 200
    assert len(large) == len(small), [q["sql"] for q in large.captured_queries]


# The round's decision, once there is one


@pytest.mark.parametrize("role", ["owner", "manager", "second_manager", "decider"])
def test_every_reader_of_a_decided_packet_sees_the_decision(client, people, submitted, role):
    decide(
        fresh(submitted),
        people["decider"],
        "not_yet",
        "Scope is there; autonomy is not yet.",
        [{"dimension_key": "autonomy", "to_close": "Set direction for the billing team."}],
    )
    client.force_login(people[role])

    page = client.get(url("packet", submitted)).text

    assert "Decision: Not yet" in page
    assert "Set direction for the billing team." in page
    assert "<textarea" not in page


def test_an_engineer_starts_their_own_packet_from_reviews_home(client, cast, cycle):
    client.force_login(cast.owner)
    home = client.get("/reviews/").text
    assert "Start my promotion packet (towards Senior (L4))" in home

    response = client.post(f"/reviews/people/{cast.owner.pk}/packets/new/", {"cycle": cycle.pk})

    packet = PromotionPacket.objects.get(subject=cast.owner, cycle=cycle)
    assert response["Location"] == packet.get_absolute_url()
    assert "My promotion packet: <a" in client.get("/reviews/").text
