"""Home's to-do list, per hat: what waits on the engineer, the manager, the decider and staff,
each item linking to the place to act, and nothing anyone may not read elsewhere."""

import datetime as dt

import pytest
from django.utils import timezone

from brag.models import GlueRecognition, Visibility
from ladder.models import Level
from people.models import Membership, User
from reviews.models import Kind, PromotionRound, ReviewCycle
from reviews.packet_models import MatrixRow, PacketProject, PromotionPacket
from reviews.packet_services import start_packet, submit_packet
from reviews.round_services import decide
from reviews.services import share, start_assessment, submit
from reviews.todo import todo_list
from reviews.todo_items import Item

from ..factories import BragEntryFactory, MembershipFactory, UserFactory
from .conftest import rate_all

TODAY = timezone.localdate()


def todo(user: User) -> dict[str, list[Item]]:
    """The list as the home page builds it, by group."""
    user = User.objects.select_related("track__ladder", "current_level").get(pk=user.pk)
    memberships = list(user.memberships.select_related("team"))
    result = todo_list(user, memberships, list(user.reports()))
    return {group.key: group.items for group in result.groups}


def texts(user: User, group: str) -> list[str]:
    return [item.text for item in todo(user).get(group, [])]


def everything(user: User) -> str:
    return " ".join(f"{i.text} {i.action} {i.url}" for items in todo(user).values() for i in items)


@pytest.fixture
def open_cycle(db) -> ReviewCycle:
    return ReviewCycle.objects.create(
        name="Review now",
        start=TODAY - dt.timedelta(days=10),
        end=TODAY + dt.timedelta(days=30),
    )


def log_a_win(user: User, **extra: object):
    return BragEntryFactory(owner=user, **extra)


# The engineer --------------------------------------------------------------------------------


def test_an_engineer_who_logged_nothing_this_week_is_asked_to_log_a_win(cast):
    [item] = todo(cast.owner)["engineer"]

    assert item.text.startswith("Nothing in your brag document this week yet")
    assert (item.action, item.url) == ("Log a win", "/brag/")


def test_a_win_logged_this_week_empties_the_list(cast):
    log_a_win(cast.owner)

    assert todo(cast.owner) == {"engineer": []}


def test_an_open_cycle_without_a_self_assessment_offers_to_start_one(cast, open_cycle):
    log_a_win(cast.owner)

    [item] = todo(cast.owner)["engineer"]

    assert item.text.startswith("Review now is open until")
    assert item.action == "Start my self-assessment"
    assert item.url == f"/reviews/cycles/{open_cycle.pk}/start/"
    assert item.post == ()


def test_a_closed_cycle_asks_nothing(cast, open_cycle):
    log_a_win(cast.owner)
    ReviewCycle.objects.filter(pk=open_cycle.pk).update(is_open=False)

    assert todo(cast.owner) == {"engineer": []}


def test_an_engineer_without_a_track_is_never_offered_a_start_that_fails(cast, open_cycle):
    trackless = UserFactory(name="No Track")
    MembershipFactory(team=cast.owner.memberships.get().team, user=trackless)
    log_a_win(trackless)

    assert todo(trackless) == {"engineer": []}


def test_a_draft_self_assessment_says_how_many_dimensions_are_rated(cast, open_cycle):
    log_a_win(cast.owner)
    draft = start_assessment(open_cycle, cast.owner, cast.owner, Kind.SELF)
    total = draft.ratings.count()
    level = Level.objects.get(track=draft.track, code="L3")
    for rating in draft.ratings.order_by("pk")[:2]:
        rating.level = level
        rating.save()

    [item] = todo(cast.owner)["engineer"]

    assert (
        item.text
        == f"Your self-assessment for Review now is a draft: 2 of {total} dimensions rated."
    )
    assert (item.action, item.url) == ("Continue it", f"/reviews/assessments/{draft.pk}/")


def test_a_fully_rated_draft_asks_to_be_submitted_and_a_submitted_one_is_done(cast, open_cycle):
    log_a_win(cast.owner)
    draft = rate_all(start_assessment(open_cycle, cast.owner, cast.owner, Kind.SELF))

    assert texts(cast.owner, "engineer") == [
        "Your self-assessment for Review now has every dimension rated: submit it."
    ]

    submit(draft)
    assert texts(cast.owner, "engineer") == []


def test_a_shared_manager_assessment_links_to_the_compare_view(cast, open_cycle):
    log_a_win(cast.owner)
    rate_all(start_assessment(open_cycle, cast.owner, cast.owner, Kind.SELF))
    submit(open_cycle.assessments.get(kind=Kind.SELF))
    theirs = rate_all(start_assessment(open_cycle, cast.owner, cast.manager, Kind.MANAGER), "L4")
    submit(theirs)

    assert texts(cast.owner, "engineer") == []  # submitted, not shared: still the manager's

    share(open_cycle.assessments.get(pk=theirs.pk))
    [item] = todo(cast.owner)["engineer"]
    assert item.text == "Manager shared their assessment of you for Review now."
    assert item.url == f"/reviews/people/{cast.owner.pk}/?cycle={open_cycle.pk}"


def test_a_draft_manager_assessment_never_shows_on_the_engineers_list(cast, open_cycle):
    log_a_win(cast.owner)
    start_assessment(open_cycle, cast.owner, cast.owner, Kind.SELF)
    start_assessment(open_cycle, cast.owner, cast.manager, Kind.MANAGER)

    assert "Manager" not in everything(cast.owner)


def test_a_packet_names_the_engineers_empty_sections(cast, open_cycle):
    log_a_win(cast.owner)
    submit(rate_all(start_assessment(open_cycle, cast.owner, cast.owner, Kind.SELF)))
    packet = start_packet(cast.owner, open_cycle, cast.manager)
    PromotionPacket.objects.filter(pk=packet.pk).update(influence="An RFC adopted by 3 teams")

    [item] = todo(cast.owner)["engineer"]

    assert item.text == (
        "Your promotion packet for Review now waits on your sections: projects (0 of 3 "
        "picked), mentoring and multiplier effects, glue work, areas of growth."
    )
    assert item.url == f"/reviews/packets/{packet.pk}/#section-projects"


def test_a_decided_packet_is_there_to_read(cast, open_cycle):
    log_a_win(cast.owner)
    submit(rate_all(start_assessment(open_cycle, cast.owner, cast.owner, Kind.SELF)))
    packet = _ready_packet(cast.owner, open_cycle, cast.manager)
    submit_packet(packet, cast.manager)
    decider = UserFactory(name="Decider")
    PromotionRound.objects.create(cycle=open_cycle).deciders.add(decider)
    decide(PromotionPacket.objects.get(pk=packet.pk), decider, "promoted", "Ready.", [])

    [item] = todo(cast.owner)["engineer"]

    assert item.text == "The promotion round has decided on your packet for Review now."
    assert (item.action, item.url) == ("Read the decision", f"/reviews/packets/{packet.pk}/")


def _ready_packet(subject: User, cycle: ReviewCycle, manager: User) -> PromotionPacket:
    packet = start_packet(subject, cycle, manager)
    PacketProject.objects.bulk_create(
        PacketProject(packet=packet, entry=log_a_win(subject), order=n) for n in range(3)
    )
    MatrixRow.objects.filter(packet=packet).update(status="met")
    PromotionPacket.objects.filter(pk=packet.pk).update(
        summary="Ready for Senior.",
        recommendation="promote",
        influence="RFC",
        mentoring="Two juniors",
        glue_notes="Onboarding",
        growth="Estimates",
    )
    return PromotionPacket.objects.get(pk=packet.pk)


# The manager ---------------------------------------------------------------------------------


def test_a_manager_is_told_whom_to_assess_with_a_button_per_report(cast, open_cycle):
    items = todo(cast.manager)["manager"]

    assert [(i.text, i.action, i.post) for i in items] == [
        (
            "Owner is still to assess for Review now.",
            "Assess Owner",
            (("subject", str(cast.owner.pk)),),
        ),
        (
            "Teammate is still to assess for Review now.",
            "Assess Teammate",
            (("subject", str(cast.teammate.pk)),),
        ),
    ]
    assert {i.url for i in items} == {f"/reviews/cycles/{open_cycle.pk}/start/"}


def test_a_submitted_self_assessment_waiting_for_mine_comes_first(cast, open_cycle):
    submit(rate_all(start_assessment(open_cycle, cast.teammate, cast.teammate, Kind.SELF)))

    assert texts(cast.manager, "manager")[0] == (
        "Teammate submitted their self-assessment for Review now: it waits for yours."
    )


def test_a_managers_draft_says_how_far_it_is_and_a_submitted_one_asks_to_share(cast, open_cycle):
    mine = start_assessment(open_cycle, cast.owner, cast.manager, Kind.MANAGER)
    total = mine.ratings.count()

    assert (
        f"Your assessment of Owner for Review now is a draft: 0 of {total} dimensions rated."
        in (texts(cast.manager, "manager"))
    )

    submit(rate_all(mine, "L4"))
    [item] = [i for i in todo(cast.manager)["manager"] if "Owner" in i.text]
    assert (
        item.text
        == "Your assessment of Owner for Review now is submitted but not shared with them."
    )
    assert (item.action, item.url) == ("Share it", f"/reviews/assessments/{mine.pk}/")

    share(open_cycle.assessments.get(pk=mine.pk))
    assert not [text for text in texts(cast.manager, "manager") if "Owner" in text]


def test_a_report_without_a_track_is_not_offered_for_assessment(cast, open_cycle):
    User.objects.filter(pk=cast.teammate.pk).update(
        track=None, current_level=None, target_level=None
    )

    assert not [text for text in texts(cast.manager, "manager") if "Teammate" in text]


def test_a_long_list_of_reports_is_cut_with_a_link_to_all(cast, open_cycle):
    team = cast.manager.memberships.get().team
    levels = {level.code: level for level in Level.objects.filter(track__key="ic")}
    for n in range(10):
        person = UserFactory(name=f"Report {n}", track=levels["L3"].track)
        MembershipFactory(team=team, user=person)

    items = todo(cast.manager)["manager"]

    assert len(items) == 8
    assert items[-1].text == "5 more assessments wait on you."
    assert (items[-1].action, items[-1].url) == ("See them all", "/reviews/")


def test_packets_to_review_say_what_the_manager_does_next(cast, open_cycle):
    for person in (cast.owner, cast.teammate):
        submit(rate_all(start_assessment(open_cycle, person, cast.manager, Kind.MANAGER)))
        share(open_cycle.assessments.get(subject=person, kind=Kind.MANAGER))
    draft = start_packet(cast.teammate, open_cycle, cast.manager)
    ready = _ready_packet(cast.owner, open_cycle, cast.manager)

    items = todo(cast.manager)["manager"]

    assert [(i.text, i.action, i.url) for i in items] == [
        ("Owner’s promotion packet for Review now is ready to submit.", "Submit it",
         f"/reviews/packets/{ready.pk}/#submit-bar"),
        ("Teammate’s promotion packet for Review now needs your summary and recommendation.",
         "Write them", f"/reviews/packets/{draft.pk}/"),
    ]  # fmt: skip

    PromotionPacket.objects.filter(pk=draft.pk).update(summary="Almost", recommendation="not_yet")
    assert texts(cast.manager, "manager")[1] == (
        "Teammate’s promotion packet for Review now is not ready to submit: 0 of 3 projects "
        f"picked; {MatrixRow.objects.filter(packet=draft).count()} rows of the evidence matrix "
        "still open."
    )


def old_glue(owner: User, visibility: str = Visibility.MANAGERS, days: int = 40):
    return log_a_win(
        owner,
        glue_kind="onboarding",
        visibility=visibility,
        date=TODAY - dt.timedelta(days=days),
    )


def test_unrecognised_glue_work_on_my_team_is_a_signal(cast):
    old_glue(cast.owner)
    old_glue(cast.teammate, visibility=Visibility.TEAM)
    team = cast.manager.memberships.get().team

    [item] = todo(cast.manager)["manager"]

    assert item.text == (
        "In Platform, 2 people have glue work that no manager has acknowledged for more than "
        "30 days."
    )
    assert (item.action, item.url) == ("See the signals", f"/teams/{team.pk}/#signals")


def test_glue_work_recognised_recent_or_private_is_no_signal(cast):
    GlueRecognition.objects.create(entry=old_glue(cast.owner), by=cast.manager)
    old_glue(cast.owner, days=5)
    old_glue(cast.teammate, visibility=Visibility.PRIVATE)

    assert todo(cast.manager) == {"manager": []}


def test_a_manager_who_is_also_an_engineer_sees_both_groups(cast, open_cycle):
    levels = {level.code: level for level in Level.objects.filter(track__key="ic")}
    User.objects.filter(pk=cast.manager.pk).update(
        track=levels["L5"].track, current_level=levels["L5"]
    )
    MembershipFactory(team=cast.outsider.memberships.get().team, user=cast.manager)

    groups = todo(cast.manager)

    assert list(groups) == ["engineer", "manager"]
    assert "Start my self-assessment" in [i.action for i in groups["engineer"]]


# The decider ---------------------------------------------------------------------------------


def test_a_decider_is_told_how_many_packets_wait(cast, open_cycle):
    decider = UserFactory(name="Decider")
    PromotionRound.objects.create(cycle=open_cycle).deciders.add(decider)

    assert todo(decider) == {"decider": []}

    submit_packet(_ready_packet(cast.owner, open_cycle, cast.manager), cast.manager)
    [item] = todo(decider)["decider"]
    assert item.text == "1 packet waits for your decision in the promotion round of Review now."
    assert (item.action, item.url) == (
        "Read the packets",
        f"/reviews/cycles/{open_cycle.pk}/round/",
    )


def test_a_draft_packet_is_not_a_deciders_business(cast, open_cycle):
    decider = UserFactory(name="Decider")
    PromotionRound.objects.create(cycle=open_cycle).deciders.add(decider)
    _ready_packet(cast.owner, open_cycle, cast.manager)

    assert todo(decider) == {"decider": []}


# Staff ---------------------------------------------------------------------------------------


@pytest.fixture
def admin(cast) -> User:
    User.objects.filter(pk=cast.staff.pk).update(is_superuser=True)
    return User.objects.get(pk=cast.staff.pk)


def test_staff_are_told_who_has_no_track_or_no_team(cast, admin):
    UserFactory(name="Newcomer")  # no track, no team

    items = todo(admin)["staff"]

    assert [(i.text, i.action) for i in items] == [
        ("2 people have no track yet: nobody can assess them.", "Place them on a track"),
        ("1 person is in no team yet: nobody manages them.", "Add them to a team"),
        ("No review cycle is open: nobody can assess.", "Add a cycle"),
    ]
    assert items[0].url == (
        "/admin/people/user/?is_active__exact=1&is_staff__exact=0&track__isnull=True"
    )
    assert items[1].url == "/admin/people/team/"
    assert items[2].url == "/admin/reviews/reviewcycle/add/"


def test_staff_are_told_which_cycles_to_close_and_to_open(cast, admin):
    over = ReviewCycle.objects.create(
        name="Last quarter", start=TODAY - dt.timedelta(days=100), end=TODAY - dt.timedelta(days=1)
    )
    soon = ReviewCycle.objects.create(
        name="Next quarter",
        start=TODAY + dt.timedelta(days=7),
        end=TODAY + dt.timedelta(days=97),
        is_open=False,
    )
    ReviewCycle.objects.create(
        name="Far away",
        start=TODAY + dt.timedelta(days=200),
        end=TODAY + dt.timedelta(days=290),
        is_open=False,
    )

    items = [i for i in todo(admin)["staff"] if "quarter" in i.text or "Far" in i.text]

    assert [(i.action, i.url) for i in items] == [
        ("Close Last quarter", f"/admin/reviews/reviewcycle/{over.pk}/change/"),
        ("Open Next quarter", f"/admin/reviews/reviewcycle/{soon.pk}/change/"),
    ]
    assert items[1].text.startswith("Next quarter starts on ")


def test_staff_without_the_admin_permissions_are_offered_nothing_that_fails(cast):
    UserFactory(name="Newcomer")

    assert todo(cast.staff) == {"staff": []}


# Privacy -------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["teammate", "outsider"])
def test_others_see_nothing_of_the_owners_reviews(cast, open_cycle, role):
    submit(rate_all(start_assessment(open_cycle, cast.owner, cast.owner, Kind.SELF)))
    start_packet(cast.owner, open_cycle, cast.manager)
    old_glue(cast.owner, visibility=Visibility.TEAM)

    assert "Owner" not in everything(getattr(cast, role))


def test_the_manager_of_another_team_sees_nothing_of_the_owner(cast, open_cycle):
    other_manager = UserFactory(name="Other Manager")
    MembershipFactory(
        team=cast.outsider.memberships.get().team, user=other_manager, role=Membership.Role.MANAGER
    )
    submit(rate_all(start_assessment(open_cycle, cast.owner, cast.owner, Kind.SELF)))
    old_glue(cast.owner)

    assert "Owner" not in everything(other_manager)
    assert "Outsider is still to assess for Review now." in texts(other_manager, "manager")
