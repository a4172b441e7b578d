"""The promotion round: deciders only; submitted packets side by side with levels, matrix
counts and glue share; never notes, comments, evidence or private entries; decisions."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from brag.models import GlueKind, Visibility
from ladder.models import Level
from people.models import LevelChange, Membership, User
from reviews.models import (
    Kind,
    MatrixRow,
    PromotionDecision,
    PromotionPacket,
    PromotionRound,
    ReviewNote,
)
from reviews.packet_services import start_packet
from reviews.round_services import DecisionError, decide
from reviews.services import start_assessment, submit

from ..factories import BragEntryFactory, MembershipFactory, UserFactory
from .conftest import rate_all

HTMX = {"HX-Request": "true"}


def round_url(cycle) -> str:
    return f"/reviews/cycles/{cycle.pk}/round/"


def decide_url(packet) -> str:
    return f"/reviews/packets/{packet.pk}/decide/"


def submit_packet(packet: PromotionPacket, **statuses: str) -> PromotionPacket:
    PromotionPacket.objects.filter(pk=packet.pk).update(
        status="submitted", submitted_at=timezone.now()
    )
    for key, status in statuses.items():
        MatrixRow.objects.filter(packet=packet, dimension_key=key).update(status=status)
    return PromotionPacket.objects.get(pk=packet.pk)


@pytest.fixture
def submitted(packet) -> PromotionPacket:
    """The owner's packet, submitted: Scope a gap, Autonomy and Influence met."""
    return submit_packet(packet, scope="gap", autonomy="met", influence="met")


def card_of(text: str, packet) -> str:
    return text.split(f'<article id="packet-{packet.pk}"')[1].split("</article>")[0]


NOT_YET = {
    "outcome": "not_yet",
    "reason": "Scope is a team's, not yet a system's.",
    "gaps": ["scope"],
    "close_scope": "Own the billing migration end to end, across two teams.",
}
PROMOTED = {"outcome": "promoted", "reason": "Operates at Senior on every dimension."}


# Who opens the round


@pytest.mark.parametrize(
    "role", ["owner", "manager", "second_manager", "teammate", "outsider", "staff"]
)
def test_only_deciders_open_the_round(client, cast, second_manager, decider, submitted, role):
    person = second_manager if role == "second_manager" else getattr(cast, role)
    client.force_login(person)

    assert client.get(round_url(submitted.cycle)).status_code == 404


def test_the_decider_opens_it(client, decider, submitted):
    client.force_login(decider)

    response = client.get(round_url(submitted.cycle))

    assert response.status_code == 200
    assert f'id="packet-{submitted.pk}"' in response.text


def test_anonymous_is_sent_to_sign_in(client, cast, decider, submitted):
    response = client.get(round_url(submitted.cycle))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_cycle_without_a_round_is_404_even_for_staff(client, cast, cycle):
    client.force_login(cast.staff)

    assert client.get(round_url(cycle)).status_code == 404


def test_staff_and_managers_open_it_only_when_made_deciders(client, cast, decider, submitted):
    promotion_round = PromotionRound.objects.get(cycle=submitted.cycle)
    promotion_round.deciders.add(cast.staff, cast.manager)

    for person in (cast.staff, cast.manager):
        client.force_login(person)
        assert f'id="packet-{submitted.pk}"' in client.get(round_url(submitted.cycle)).text


def test_a_decider_of_another_round_is_not_one_of_this(client, cast, cycle, submitted):
    from reviews.models import ReviewCycle

    other = ReviewCycle.objects.create(
        name="Review Q3 2026", start=dt.date(2026, 7, 1), end=dt.date(2026, 9, 30)
    )
    elsewhere = UserFactory()
    PromotionRound.objects.create(cycle=other).deciders.add(elsewhere)
    client.force_login(elsewhere)

    assert client.get(round_url(cycle)).status_code == 404
    assert f"packet-{submitted.pk}" not in client.get(round_url(other)).text
    assert client.post(decide_url(submitted), NOT_YET).status_code == 404


# What the round shows


def test_drafts_are_absent(client, cast, decider, packet):
    PromotionRound.objects.get(cycle=packet.cycle).deciders.add(cast.manager)

    for person in (decider, cast.manager):  # even to a decider who manages the subject
        client.force_login(person)
        text = client.get(round_url(packet.cycle)).text
        assert f"packet-{packet.pk}" not in text
        assert "No packet of Review Q4 2026 is submitted yet" in text


def test_the_card_shows_levels_counts_and_the_managers_case(
    client, cast, decider, submitted_self, submitted_manager, submitted
):
    PromotionPacket.objects.filter(pk=submitted.pk).update(
        summary="Runs the platform's on-call like a Senior.", recommendation="promote"
    )
    client.force_login(decider)

    card = card_of(client.get(round_url(submitted.cycle)).text, submitted)

    assert "Owner" in card
    assert "Mid (L3)" in card and "Senior (L4)" in card
    assert "1 met" not in card and "2 met · 1 gap · 3 open" in card
    # Self rated L3 everywhere, the manager L4: a row per dimension of the packet's version.
    assert card.count('<td title="Mid (L3)">L3</td>') == 6
    assert card.count('<td title="Senior (L4)">L4</td>') == 6
    assert "Manager: submitted by Manager." in card
    # The decider reads the manager's case even before the manager shares it with the owner.
    assert "Runs the platform&#x27;s on-call like a Senior." in card
    assert "Promote" in card
    assert f'href="/reviews/packets/{submitted.pk}/"' in card


def test_levels_come_from_the_latest_submitted_assessments_only(
    client, cast, decider, second_manager, submitted_manager, submitted
):
    later = start_assessment(submitted.cycle, cast.owner, second_manager, Kind.MANAGER)
    submit(rate_all(later, "L5"))
    start_assessment(submitted.cycle, cast.owner, cast.owner, Kind.SELF)  # a draft: not shown
    client.force_login(decider)

    card = card_of(client.get(round_url(submitted.cycle)).text, submitted)

    assert card.count('<td title="Staff (L5)">L5</td>') == 6
    assert "submitted by Second Manager." in card
    assert card.count('<td title="Not submitted">—</td>') == 6


def test_comments_evidence_and_notes_never_reach_the_round(
    client, cast, decider, second_manager, submitted_self, submitted
):
    rating = submitted_self.ratings.get(dimension_key="scope")
    rating.comment = "COMMENT-7c1e only for managers"
    rating.save()
    rating.evidence.add(BragEntryFactory(owner=cast.owner, title="EVIDENCE-91ab"))
    for shared in (None, timezone.now()):
        ReviewNote.objects.create(
            subject=cast.owner,
            author=cast.manager,
            title="NOTE-TITLE-5d2f",
            body="NOTE-BODY-5d2f is not for deciders",
            body_html="<p>NOTE-BODY-5d2f is not for deciders</p>",
            shared_at=shared,
        )
    # A decider who is also a manager of the subject reads notes elsewhere; not here.
    PromotionRound.objects.get(cycle=submitted.cycle).deciders.add(second_manager)

    for person in (decider, second_manager):
        client.force_login(person)
        text = client.get(round_url(submitted.cycle)).text
        assert f'id="packet-{submitted.pk}"' in text
        for secret in ("COMMENT-7c1e", "EVIDENCE-91ab", "NOTE-TITLE-5d2f", "NOTE-BODY-5d2f"):
            assert secret not in text


def test_glue_share_counts_only_entries_shared_with_managers(client, cast, decider, submitted):
    BragEntryFactory(owner=cast.owner, glue_kind=GlueKind.ONBOARDING)
    BragEntryFactory(owner=cast.owner, glue_kind=GlueKind.DOCUMENTATION, visibility="team")
    BragEntryFactory(owner=cast.owner, visibility=Visibility.TEAM)
    BragEntryFactory(owner=cast.owner)
    for _ in range(3):  # private: they must not show, not even as a count
        BragEntryFactory(
            owner=cast.owner, glue_kind=GlueKind.MENTORING, visibility=Visibility.PRIVATE
        )
    BragEntryFactory(owner=cast.owner, glue_kind=GlueKind.OTHER).soft_delete()
    client.force_login(decider)

    card = card_of(client.get(round_url(submitted.cycle)).text, submitted)

    assert '50% <span class="muted">(2 of 4 entries)</span>' in card


def test_without_shared_entries_the_glue_share_says_so(client, cast, decider, submitted):
    BragEntryFactory(owner=cast.owner, visibility=Visibility.PRIVATE)
    client.force_login(decider)

    card = card_of(client.get(round_url(submitted.cycle)).text, submitted)

    assert "No entries shared with managers" in card


def test_submitted_packets_come_before_decided_ones(client, cast, cycle, decider, submitted):
    teammate_packet = submit_packet(start_packet(cast.teammate, cycle, cast.manager))
    decide(teammate_packet, decider, "promoted", "Ready.", [])
    client.force_login(decider)

    text = client.get(round_url(cycle)).text

    assert text.index(f'id="packet-{submitted.pk}"') < text.index(
        f'id="packet-{teammate_packet.pk}"'
    )
    assert "1 waiting for a decision, 2 in all" in text
    # The waiting one offers its form (loaded on demand); the decided one shows its decision.
    assert text.count('class="form decision-form"') == 0
    assert f'href="{decide_url(submitted)}"' in card_of(text, submitted)
    assert f'href="{decide_url(teammate_packet)}"' not in text
    assert "Decision: Promoted to Staff (L5)" in card_of(text, teammate_packet)


def test_a_decider_does_not_decide_on_their_own_packet(client, cast, decider, submitted):
    PromotionRound.objects.get(cycle=submitted.cycle).deciders.add(cast.owner)
    client.force_login(cast.owner)

    page = client.get(round_url(submitted.cycle)).text
    # Their own packet is not in their round: it would show the manager's unshared case.
    assert f'<article id="packet-{submitted.pk}"' not in page

    response = client.post(decide_url(submitted), PROMOTED)
    assert response.status_code == 404
    assert not PromotionDecision.objects.exists()


def test_the_query_count_does_not_grow_with_packets(client, cast, cycle, decider):
    team = cast.manager.memberships.get().team
    levels = {level.code: level for level in Level.objects.filter(track=cast.owner.track)}

    def add_packets(count: int) -> None:
        for n in range(count):
            person = UserFactory(
                track=cast.owner.track, current_level=levels["L3"], target_level=levels["L4"]
            )
            MembershipFactory(team=team, user=person, role=Membership.Role.ENGINEER)
            BragEntryFactory(owner=person, glue_kind=GlueKind.POSTMORTEMS)
            BragEntryFactory(owner=person)
            submit(rate_all(start_assessment(cycle, person, person, Kind.SELF)))
            submit(rate_all(start_assessment(cycle, person, cast.manager, Kind.MANAGER), "L4"))
            packet = submit_packet(start_packet(person, cycle, cast.manager), scope="gap")
            if n % 2:
                decide(
                    packet,
                    decider,
                    "not_yet",
                    "Not yet.",
                    [{"dimension_key": "scope", "to_close": "Lead a larger project."}],
                )

    client.force_login(decider)
    add_packets(2)
    client.get(round_url(cycle))
    with CaptureQueriesContext(connection) as two:
        small = client.get(round_url(cycle))
    add_packets(4)
    with CaptureQueriesContext(connection) as six:
        large = client.get(round_url(cycle))

    assert small.text.count('class="card round-card"') == 2
    assert large.text.count('class="card round-card"') == 6
    assert large.text.count("50% <span") == 6
    assert len(six.captured_queries) == len(two.captured_queries)
    print(f"round: {len(six.captured_queries)} queries for 6 packets")


# Deciding


@pytest.mark.parametrize(
    "role", ["owner", "manager", "second_manager", "teammate", "outsider", "staff"]
)
def test_only_deciders_decide(client, cast, second_manager, decider, submitted, role):
    person = second_manager if role == "second_manager" else getattr(cast, role)
    client.force_login(person)

    assert client.post(decide_url(submitted), PROMOTED).status_code == 404
    assert client.post(decide_url(submitted), PROMOTED, headers=HTMX).status_code == 404
    assert not PromotionDecision.objects.exists()
    assert PromotionPacket.objects.get(pk=submitted.pk).status == "submitted"


def test_anonymous_cannot_decide(client, decider, submitted):
    response = client.post(decide_url(submitted), PROMOTED)

    assert response.status_code == 302
    assert not PromotionDecision.objects.exists()


def test_a_draft_cannot_be_decided(client, decider, packet):
    client.force_login(decider)

    assert client.post(decide_url(packet), PROMOTED).status_code == 404
    assert not PromotionDecision.objects.exists()


def test_opening_the_form_decides_nothing(client, decider, submitted):
    client.force_login(decider)

    assert client.get(decide_url(submitted)).status_code == 200
    assert client.put(decide_url(submitted)).status_code == 405
    assert not PromotionDecision.objects.exists()
    assert PromotionPacket.objects.get(pk=submitted.pk).status == "submitted"


def test_promoted_moves_the_level_and_writes_the_history(client, cast, decider, submitted):
    client.force_login(decider)

    response = client.post(decide_url(submitted), PROMOTED)

    assert response.status_code == 302
    assert response["Location"] == f"{round_url(submitted.cycle)}#packet-{submitted.pk}"
    owner = User.objects.select_related("current_level").get(pk=cast.owner.pk)
    assert owner.current_level.code == "L4"
    assert owner.target_level is None  # reached
    change = LevelChange.objects.get(person=owner)
    assert (change.from_level.code, change.to_level.code) == ("L3", "L4")
    assert (change.from_label, change.to_label) == ("Mid (L3)", "Senior (L4)")
    assert change.effective == decider.local_today()
    assert change.reason == "Promoted in Review Q4 2026"
    assert change.track == owner.track
    decision = PromotionDecision.objects.get(packet=submitted)
    assert (decision.outcome, decision.decided_by, decision.gaps) == ("promoted", decider, [])
    assert decision.effective == decider.local_today()
    assert PromotionPacket.objects.get(pk=submitted.pk).status == "decided"
    page = client.get(response["Location"]).text
    assert "Owner is promoted" in page
    assert "Decision: Promoted to Senior (L4)" in card_of(page, submitted)


def test_a_target_above_the_new_level_stays(cast, decider, submitted):
    owner = cast.owner
    owner.target_level = Level.objects.get(track=owner.track, code="L5")
    owner.save()

    decide(submitted, decider, "promoted", "Ready.", [], effective=dt.date(2027, 1, 1))

    owner.refresh_from_db()
    assert (owner.current_level.code, owner.target_level.code) == ("L4", "L5")
    assert LevelChange.objects.get(person=owner).effective == dt.date(2027, 1, 1)


def test_not_yet_names_gaps_and_leaves_the_level(client, cast, decider, submitted):
    client.force_login(decider)

    response = client.post(
        decide_url(submitted),
        NOT_YET | {"gaps": ["scope", "ambiguity"], "close_ambiguity": "Take an unscoped problem."},
        headers=HTMX,
    )

    assert response.status_code == 200
    assert "<html" not in response.text
    assert response.text.strip().startswith(f'<article id="packet-{submitted.pk}"')
    assert "Decision: Not yet" in response.text
    assert "Own the billing migration end to end" in response.text
    decision = PromotionDecision.objects.get(packet=submitted)
    assert decision.gaps == [
        {
            "dimension_key": "scope",
            "dimension_name": "Scope",
            "to_close": "Own the billing migration end to end, across two teams.",
        },
        {
            "dimension_key": "ambiguity",
            "dimension_name": "Ambiguity",
            "to_close": "Take an unscoped problem.",
        },
    ]
    cast.owner.refresh_from_db()
    assert cast.owner.current_level.code == "L3"
    assert not LevelChange.objects.exists()


def test_gaps_named_with_promoted_are_not_kept(client, decider, submitted):
    client.force_login(decider)

    client.post(decide_url(submitted), PROMOTED | {"gaps": ["scope"], "close_scope": "x"})

    assert PromotionDecision.objects.get(packet=submitted).gaps == []


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"reason": "No gap named.", "outcome": "not_yet"}, "gaps", "names at least one"),
        (NOT_YET | {"close_scope": "  "}, "close_scope", "Say what would close this gap"),
        (NOT_YET | {"gaps": ["scope", "teleportation"]}, "gaps", "Name dimensions of this"),
        (NOT_YET | {"reason": "   "}, "reason", "Give the reason"),
        (PROMOTED | {"reason": ""}, "reason", "Give the reason"),
        ({"reason": "Fine."}, "outcome", "Pick an outcome"),
        ({"reason": "Fine.", "outcome": "demoted"}, "outcome", "Select a valid choice"),
    ],
)
def test_bad_input_is_refused_and_nothing_changes(
    client, cast, decider, submitted, data, field, message
):
    client.force_login(decider)

    for headers, status in ((HTMX, 422), ({}, 400)):
        response = client.post(decide_url(submitted), data, headers=headers)

        assert response.status_code == status
        assert message in response.text
        card = card_of(response.text, submitted)
        assert 'class="errorlist' in card and "decision-form" in card
    assert not PromotionDecision.objects.exists()
    assert PromotionPacket.objects.get(pk=submitted.pk).status == "submitted"
    cast.owner.refresh_from_db()
    assert cast.owner.current_level.code == "L3"
    assert not LevelChange.objects.exists()


def test_the_htmx_refusal_is_the_card_alone(client, decider, submitted):
    client.force_login(decider)

    response = client.post(
        decide_url(submitted), {"outcome": "not_yet", "reason": "x"}, headers=HTMX
    )

    assert "<html" not in response.text
    assert response.text.strip().startswith(f'<article id="packet-{submitted.pk}"')


def test_a_second_decision_is_refused(client, cast, decider, submitted):
    second = UserFactory(name="Other Decider")
    PromotionRound.objects.get(cycle=submitted.cycle).deciders.add(second)
    client.force_login(decider)
    client.post(decide_url(submitted), NOT_YET)
    client.force_login(second)

    for headers, status in ((HTMX, 422), ({}, 400)):
        response = client.post(decide_url(submitted), PROMOTED, headers=headers)

        assert response.status_code == status
        assert "This packet is decided already. Nothing changed." in response.text
        assert "Decision: Not yet" in card_of(response.text, submitted)
    decision = PromotionDecision.objects.get()
    assert (decision.outcome, decision.decided_by) == ("not_yet", decider)
    cast.owner.refresh_from_db()
    assert cast.owner.current_level.code == "L3"
    assert not LevelChange.objects.exists()


def test_a_target_gone_from_the_ladder_is_refused(client, cast, decider, submitted):
    PromotionPacket.objects.filter(pk=submitted.pk).update(target_level=None)  # SET_NULL
    client.force_login(decider)

    response = client.post(decide_url(submitted), PROMOTED)

    assert response.status_code == 400
    assert "Senior (L4) is no longer on the ladder" in response.text
    assert not PromotionDecision.objects.exists()
    assert PromotionPacket.objects.get(pk=submitted.pk).status == "submitted"
    cast.owner.refresh_from_db()
    assert cast.owner.current_level.code == "L3"


def test_someone_promoted_meanwhile_is_not_promoted_twice(cast, decider, submitted):
    owner = cast.owner
    owner.current_level = Level.objects.get(track=owner.track, code="L4")
    owner.save()

    with pytest.raises(DecisionError, match="at Senior \\(L4\\) already"):
        decide(submitted, decider, "promoted", "Ready.", [])

    assert not PromotionDecision.objects.exists()
    assert PromotionPacket.objects.get(pk=submitted.pk).status == "submitted"


def test_the_service_refuses_what_the_form_would(cast, decider, submitted):
    with pytest.raises(PermissionDenied):
        decide(submitted, cast.manager, "promoted", "Ready.", [])
    with pytest.raises(DecisionError, match="names at least one"):
        decide(submitted, decider, "not_yet", "Not yet.", [])
    with pytest.raises(DecisionError, match="Say what would close"):
        decide(submitted, decider, "not_yet", "Not yet.", [{"dimension_key": "scope"}])
    with pytest.raises(DecisionError, match="not a dimension"):
        decide(submitted, decider, "not_yet", "x", [{"dimension_key": "nope", "to_close": "x"}])
    with pytest.raises(DecisionError, match="reason"):
        decide(submitted, decider, "promoted", " ", [])
    assert not PromotionDecision.objects.exists()


# The decision, as the subject and their managers read it


def test_the_decision_partial_names_outcome_reason_gaps_who_and_when(cast, decider, submitted):
    decide(
        submitted,
        decider,
        "not_yet",
        "Scope is a team's.\nNot a system's.",
        [
            {"dimension_key": "scope", "to_close": "Own the billing migration."},
        ],
    )
    packet = PromotionPacket.objects.select_related("decision__decided_by").get(pk=submitted.pk)

    html = render_to_string("reviews/_decision.html", {"decision": packet.decision})

    assert "Decision: Not yet" in html
    assert "Scope is a team&#x27;s.\nNot a system&#x27;s." in html
    assert "<dt>Scope</dt>" in html and "Own the billing migration." in html
    assert "Decided by Decider on" in html
    assert timezone.localdate().strftime("%Y") in html


def test_the_decision_partial_for_a_promotion(cast, decider, submitted):
    decide(submitted, decider, "promoted", "Ready.", [], effective=dt.date(2027, 1, 1))
    decision = PromotionDecision.objects.get()

    html = render_to_string("reviews/_decision.html", {"decision": decision})

    assert "Decision: Promoted to Senior (L4), from" in html
    assert "1 Jan 2027" in html
    assert "What is missing" not in html
