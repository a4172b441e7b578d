"""Draft from evidence: the right entries, in a deterministic order, and never over what
someone wrote."""

import datetime as dt

import pytest
from django.urls import reverse

from brag.models import Category, GlueKind, Visibility
from people.models import Membership
from reviews.models import Kind
from reviews.packet_draft import plan_draft
from reviews.packet_models import PacketProject, PromotionPacket
from reviews.packet_services import draft_from_evidence, start_packet
from reviews.services import start_assessment, submit

from ..factories import BragEntryFactory, MembershipFactory, UserFactory
from .conftest import rate_all

VAGUE = "Made the build faster"  # no number: not quantified


@pytest.fixture
def dims(cast):
    return {d.key: d for d in cast.owner.track.ladder.dimensions.all()}


def entry(owner, title, day, tags=(), *, quantified=True, **fields):
    return BragEntryFactory(
        owner=owner,
        title=title,
        date=dt.date(2026, 1, 1) + dt.timedelta(days=day),
        dimensions=list(tags),
        **({} if quantified else {"impact": VAGUE}),
        **fields,
    )


def titles(entries) -> list[str]:
    return [e.title for e in entries]


def project_titles(packet) -> list[str]:
    return list(packet.projects.order_by("order").values_list("entry__title", flat=True))


def test_projects_rank_by_tagged_dimensions_and_quantified_impact(cast, packet, dims):
    d = dims
    entry(
        cast.owner,
        "A three tags",
        200,
        [d["scope"], d["autonomy"], d["influence"]],
        quantified=False,
    )
    entry(cast.owner, "B two tags, quantified", 150, [d["scope"], d["ambiguity"]])
    entry(cast.owner, "C two tags", 250, [d["scope"], d["autonomy"]], quantified=False)
    entry(cast.owner, "D one tag, quantified", 100, [d["scope"]])
    entry(cast.owner, "E one tag", 50, [d["scope"]], quantified=False)
    entry(cast.owner, "F one tag, same day, later", 50, [d["scope"]], quantified=False)
    entry(cast.owner, "G untagged, quantified, newest", 300)

    draft_from_evidence(packet, cast.owner)

    # A and B score 3 (A newer); C and D score 2 (C newer); E and F tie on the day: F is later.
    assert project_titles(packet) == [
        "A three tags",
        "B two tags, quantified",
        "C two tags",
        "D one tag, quantified",
        "F one tag, same day, later",
    ]


def test_fewer_than_three_tagged_are_topped_up_to_three(cast, packet, dims):
    entry(cast.owner, "Tagged", 10, [dims["scope"]], quantified=False)
    entry(cast.owner, "Untagged, quantified, old", 20)
    entry(cast.owner, "Untagged, vague, newer", 30, quantified=False)
    entry(cast.owner, "Untagged, quantified, newest", 40)

    draft_from_evidence(packet, cast.owner)

    assert project_titles(packet) == [
        "Tagged",
        "Untagged, quantified, newest",
        "Untagged, quantified, old",
    ]


def test_projects_already_picked_are_left_alone(cast, packet, dims):
    picked = entry(cast.owner, "Picked by hand", 1)
    PacketProject.objects.create(packet=packet, entry=picked, measurable_impact="Mine.")
    entry(cast.owner, "Strong entry", 2, list(dims.values()))

    draft_from_evidence(packet, cast.owner)

    assert project_titles(packet) == ["Picked by hand"]
    assert packet.projects.get().measurable_impact == "Mine."


def test_matrix_evidence_comes_from_ratings_then_tags_capped_at_five(cast, packet, dims):
    rated = entry(cast.owner, "Rated evidence", 1)
    tagged_old = entry(cast.owner, "Tagged scope, old", 10, [dims["scope"]])
    tagged_new = entry(cast.owner, "Tagged scope, new", 20, [dims["scope"]])
    assessment = start_assessment(packet.cycle, cast.owner, cast.owner, Kind.SELF)
    assessment.ratings.get(dimension_key="scope").evidence.set([rated])
    submit(rate_all(assessment))
    many = [entry(cast.owner, f"Autonomy {n}", 30 + n, [dims["autonomy"]]) for n in range(7)]
    kept = entry(cast.owner, "Linked by hand", 5)
    packet.matrix.get(dimension_key="influence").evidence.set([kept])

    draft_from_evidence(packet, cast.owner)

    def evidence(key: str) -> list[str]:
        return titles(packet.matrix.get(dimension_key=key).evidence.order_by("-date", "-pk"))

    assert set(evidence("scope")) == {"Rated evidence", "Tagged scope, new", "Tagged scope, old"}
    plan_order = plan_draft(packet, cast.owner)  # nothing left to fill on those rows
    assert "scope" not in plan_order.evidence
    assert evidence("autonomy") == titles(reversed(many))[:5]
    assert evidence("influence") == ["Linked by hand"]
    assert evidence("technical-depth") == []
    assert tagged_new and tagged_old


def test_the_order_of_matrix_evidence_puts_ratings_first(cast, packet, dims):
    rated = entry(cast.owner, "Rated, old", 1)
    for n in range(5):
        entry(cast.owner, f"Tagged {n}", 10 + n, [dims["scope"]])
    assessment = start_assessment(packet.cycle, cast.owner, cast.owner, Kind.SELF)
    assessment.ratings.get(dimension_key="scope").evidence.set([rated])
    submit(rate_all(assessment))

    plan = plan_draft(packet, cast.owner)

    assert titles(plan.evidence["scope"]) == [
        "Rated, old",
        "Tagged 4",
        "Tagged 3",
        "Tagged 2",
        "Tagged 1",
    ]


def test_written_text_is_never_overwritten_and_empty_text_gets_a_starter(cast, packet):
    PromotionPacket.objects.filter(pk=packet.pk).update(influence="My own words.", growth="  ")
    entry(cast.owner, "Mentored Ana on SQL", 40, category=Category.MENTORING)
    entry(cast.owner, "Onboarded Bo", 30, glue_kind=GlueKind.ONBOARDING)
    entry(cast.owner, "Ran the design review", 20, glue_kind=GlueKind.DESIGN_REVIEWS)
    entry(cast.owner, "Learned Rust", 10, category=Category.LEARNING)

    result = draft_from_evidence(packet, cast.owner)

    packet = PromotionPacket.objects.get(pk=packet.pk)
    assert packet.influence == "My own words."
    assert packet.mentoring.splitlines()[1:] == [
        "- Mentored Ana on SQL (10 Feb 2026)",
        "- Onboarded Bo (31 Jan 2026)",
    ]
    assert packet.glue_notes.splitlines()[1:] == [
        "- Onboarding (1): Onboarded Bo",
        "- Design reviews (1): Ran the design review",
    ]
    assert packet.growth.splitlines()[1:] == ["- Learned Rust (11 Jan 2026)"]
    assert "influence beyond the team" not in result.message
    assert "mentoring and multiplier effects" in result.message


def test_judgements_are_never_drafted(cast, packet, dims):
    entry(cast.owner, "Strong", 1, list(dims.values()))

    draft_from_evidence(packet, cast.manager)

    packet = PromotionPacket.objects.get(pk=packet.pk)
    assert (packet.summary, packet.recommendation, packet.archetype) == ("", "", "")
    assert set(packet.matrix.values_list("status", flat=True)) == {""}


def test_the_manager_draft_leaves_out_what_they_cannot_read(cast, packet, dims):
    entry(cast.owner, "Private win", 5, list(dims.values()), visibility=Visibility.PRIVATE)
    entry(cast.owner, "Private mentoring", 5, category=Category.MENTORING, visibility="private")
    entry(cast.owner, "Shared win", 1, [dims["scope"]])

    draft_from_evidence(packet, cast.manager)

    packet = PromotionPacket.objects.get(pk=packet.pk)
    assert project_titles(packet) == ["Shared win"]
    assert "Private" not in packet.mentoring
    for row in packet.matrix.all():
        assert "Private win" not in titles(row.evidence.all())
    assert set(packet.edits.values_list("by", flat=True)) == {cast.manager.pk}


def make_twin(cast):
    twin = UserFactory(
        email="twin@example.org",
        name="Twin",
        track=cast.owner.track,
        current_level=cast.owner.current_level,
        target_level=cast.owner.target_level,
    )
    team = cast.owner.memberships.get().team
    MembershipFactory(team=team, user=twin, role=Membership.Role.ENGINEER)
    return twin


def same_entries(owner, dims):
    entry(owner, "Platform migration", 90, [dims["scope"], dims["autonomy"]])
    entry(owner, "Incident review", 80, [dims["failure-impact"]], glue_kind=GlueKind.POSTMORTEMS)
    entry(owner, "Guild talks", 70, [dims["influence"]], quantified=False)
    entry(owner, "Mentored a junior", 60, category=Category.MENTORING)
    entry(owner, "Same day A", 50, [dims["scope"]], quantified=False)
    entry(owner, "Same day B", 50, [dims["scope"]], quantified=False)
    entry(owner, "Read DDIA", 40, category=Category.LEARNING)


def drafted(packet) -> tuple:
    packet = PromotionPacket.objects.get(pk=packet.pk)
    return (
        project_titles(packet),
        {
            row.dimension_key: titles(row.evidence.order_by("-date", "title"))
            for row in packet.matrix.all()
        },
        packet.influence,
        packet.mentoring,
        packet.glue_notes,
        packet.growth,
    )


def test_the_same_data_gives_the_same_draft(cast, packet, cycle, dims):
    twin = make_twin(cast)
    twin_packet = start_packet(twin, cycle, cast.manager)
    same_entries(cast.owner, dims)
    same_entries(twin, dims)

    draft_from_evidence(packet, cast.manager)
    draft_from_evidence(twin_packet, cast.manager)

    mine, theirs = drafted(packet), drafted(twin_packet)
    assert mine == theirs
    assert mine[0] == [
        "Platform migration",
        "Incident review",
        "Guild talks",
        "Same day B",
        "Same day A",
    ]


def test_drafting_twice_changes_nothing_the_second_time(cast, packet, dims):
    same_entries(cast.owner, dims)
    draft_from_evidence(packet, cast.owner)
    first = drafted(packet)
    edits = packet.edits.count()

    result = draft_from_evidence(packet, cast.owner)

    assert drafted(packet) == first
    assert result.filled == [] and "Nothing to fill" in result.message
    assert packet.edits.count() == edits


def test_the_draft_button_as_the_manager(client, cast, packet, dims):
    same_entries(cast.owner, dims)
    client.force_login(cast.manager)

    response = client.post(reverse("reviews:packet_draft", args=[packet.pk]), follow=True)

    assert "Drafted from evidence: 5 projects, evidence on 4 dimensions" in response.text
    assert "Nothing anyone wrote was changed" in response.text
    assert "Platform migration" in response.text
    assert "Last changed by Manager" in response.text


def test_the_draft_answers_htmx_with_the_page_body_saying_what_it_did(client, cast, packet):
    client.force_login(cast.owner)

    response = client.post(
        reverse("reviews:packet_draft", args=[packet.pk]), headers={"HX-Request": "true"}
    )

    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="packet-body">')
    assert "Nothing to fill" in response.text
