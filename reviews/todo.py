"""Home as a to-do list: what waits on a person, grouped by the hats they wear (engineer,
manager, decider, staff), each item a sentence with a link to the place to act.

Built in a fixed number of queries however many reports, entries, assessments or packets there
are (at most six here, fewer for most people), each one an aggregate read through the apps'
access querysets, so that the list names nothing its reader may not read elsewhere. The
sentences are in todo_items."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Count, Exists, IntegerField, Min, OuterRef, Q, QuerySet, Subquery
from django.db.models import Value as V
from django.db.models.functions import Coalesce, Length, Trim
from django.utils import timezone

from brag.document import logged_this_week
from brag.glue_figures import MANAGER_AUDIENCE
from brag.models import BragEntry, GlueRecognition
from people.models import Membership, User

from .models import Assessment, Kind, ReviewCycle, State
from .packet_models import MatrixRow, PacketProject, PacketStatus, PromotionPacket, PromotionRound
from .round_services import round_packets, rounds_decided_by
from .todo_items import (
    DECISION_NEWS_DAYS,
    Group,
    StaffPermissions,
    TodoList,
    decider_items,
    engineer_items,
    glue_items,
    manager_assessment_items,
    manager_packet_items,
    staff_items,
)


def todo_list(user: User, memberships: list[Membership], reports: list[User]) -> TodoList:
    """What waits on `user`. `memberships` (with their teams) and `reports` are the home page's
    own, read once there."""
    today = user.local_today()
    rounds = _rounds(user)
    is_manager = any(m.role == Membership.Role.MANAGER for m in memberships)
    is_engineer = (
        user.track_id is not None
        or any(m.role == Membership.Role.ENGINEER for m in memberships)
        # Someone with no other hat keeps a brag document all the same.
        or not (is_manager or user.is_staff or rounds)
    )
    staff_may = _staff_permissions(user)
    # Staff also see the closed cycles still ahead, to open one.
    ahead = Q(end__gte=today, is_open=False) if staff_may.cycles else Q(pk__in=[])
    cycles = list(ReviewCycle.objects.filter(Q(is_open=True) | ahead).order_by("start", "pk"))
    open_cycles = [cycle for cycle in cycles if cycle.is_open]
    report_ids = [report.pk for report in reports] if is_manager else []
    assessments = _assessments(user, open_cycles, report_ids, is_engineer)
    packets = _packets(user, report_ids, is_engineer)

    groups = []
    if is_engineer:
        items = engineer_items(user, logged_this_week(user), open_cycles, assessments, packets)
        groups.append(Group("engineer", "As an engineer", items))
    if is_manager:
        managed = [m.team for m in memberships if m.role == Membership.Role.MANAGER]
        items = [
            *manager_assessment_items(user, open_cycles, reports, assessments),
            *manager_packet_items(user, packets),
            *glue_items(managed, _unrecognised_glue(user, managed), today),
        ]
        groups.append(Group("manager", "As a manager", items))
    if rounds:
        groups.append(Group("decider", "As a decider", decider_items(rounds)))
    if user.is_staff:
        people = _people_out_of_place() if staff_may.people or staff_may.teams else {}
        items = staff_items(staff_may, people, cycles, today)
        groups.append(Group("staff", "As staff", items))
    return TodoList(groups)


def _staff_permissions(user: User) -> StaffPermissions:
    """What staff may change in the admin: an item is offered only where its action works."""
    if not user.is_staff:
        return StaffPermissions()
    return StaffPermissions(
        people=user.has_perm("people.change_user"),
        teams=user.has_perm("people.change_team"),
        cycles=user.has_perm("reviews.change_reviewcycle"),
    )


def _rounds(user: User) -> list[PromotionRound]:
    """The rounds `user` decides in, each with how many packets wait for a decision: one query.
    A packet waits while it is submitted, whether or not its cycle is still open (a round
    often decides after its cycle has closed)."""
    waiting = (
        round_packets(user)
        .filter(cycle=OuterRef("cycle_id"), status=PacketStatus.SUBMITTED)
        .order_by()
        .values("cycle")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return list(
        rounds_decided_by(user)
        .select_related("cycle")
        .annotate(waiting=Coalesce(Subquery(waiting, output_field=IntegerField()), V(0)))
        .order_by("cycle__start", "pk")
    )


def _assessments(
    user: User, open_cycles: list[ReviewCycle], report_ids: list[int], is_engineer: bool
) -> list[Mapping[str, Any]]:
    """In the open cycles, in one query: my self-assessment and the manager assessments shared
    with me; my assessments of my reports; and whether each report's self-assessment is
    submitted (only that, as the Reviews page and the dashboard show it: its content stays
    hidden from the manager until they submit their own)."""
    wanted: list[Q] = []
    if is_engineer:
        wanted.append(Q(subject=user, kind=Kind.SELF))
        wanted.append(Q(subject=user, kind=Kind.MANAGER, shared_at__isnull=False))
    if report_ids:
        wanted.append(Q(author=user, kind=Kind.MANAGER, subject__in=report_ids))
    if not open_cycles or not wanted:
        return []
    found: QuerySet[Assessment] = Assessment.objects.visible_to(user).filter(reduce(or_, wanted))
    if report_ids:
        found = found | Assessment.objects.filter(
            kind=Kind.SELF, state=State.SUBMITTED, subject__in=report_ids
        )
    rated = Q(ratings__level__isnull=False) | Q(ratings__below_first_level=True)
    return list(
        found.filter(cycle__in=[cycle.pk for cycle in open_cycles])
        .order_by()
        .values(
            "pk",
            "cycle_id",
            "subject_id",
            "author_id",
            "author__name",
            "author__email",
            "kind",
            "state",
            "shared_at",
        )
        .annotate(total=Count("ratings"), rated=Count("ratings", filter=rated))
    )


def _per_packet(model: Any, **where: Any) -> Coalesce:
    rows = (
        model.objects.filter(packet=OuterRef("pk"), **where)
        .order_by()
        .values("packet")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), V(0))


TEXT_SECTIONS = ("influence", "mentoring", "glue_notes", "growth", "summary")


def _packets(user: User, report_ids: list[int], is_engineer: bool) -> list[Mapping[str, Any]]:
    """In one query: my draft packet in an open cycle and my packets decided lately; my
    reports' draft packets in open cycles. Which sections are empty, never their text."""
    wanted: list[Q] = []
    if is_engineer:
        since = timezone.now() - dt.timedelta(days=DECISION_NEWS_DAYS)
        wanted.append(
            Q(subject=user)
            & (
                Q(status=PacketStatus.DRAFT, cycle__is_open=True)
                | Q(status=PacketStatus.DECIDED, decision__decided_at__gte=since)
            )
        )
    if report_ids:
        wanted.append(Q(subject__in=report_ids, status=PacketStatus.DRAFT, cycle__is_open=True))
    if not wanted:
        return []
    visible = PromotionPacket.objects.visible_to(user).filter(reduce(or_, wanted))
    lengths = {f"{name}_length": Length(Trim(name)) for name in TEXT_SECTIONS}
    return list(
        # Through the keys: the rows themselves need no DISTINCT.
        PromotionPacket.objects.filter(pk__in=visible.values("pk"))
        .order_by("cycle__start", "subject__name", "subject__email", "pk")
        .annotate(
            project_count=_per_packet(PacketProject),
            open_rows=_per_packet(MatrixRow, status=""),
            **lengths,
        )
        .values(
            "pk",
            "subject_id",
            "subject__name",
            "subject__email",
            "cycle__name",
            "status",
            "recommendation",
            "manager_shared_at",
            "project_count",
            "open_rows",
            *lengths,
        )
    )


def _unrecognised_glue(manager: User, teams: list[Any]) -> list[tuple[int, dt.date]]:
    """(team, oldest date) per engineer of `teams` with glue work no manager acknowledged, as
    the team page counts it: entries the manager may read, shared with managers. One query."""
    if not teams:
        return []
    oldest = (
        BragEntry.objects.visible_to(manager)
        .filter(owner=OuterRef("user"), visibility__in=MANAGER_AUDIENCE)
        .exclude(glue_kind="")
        .filter(~Exists(GlueRecognition.objects.filter(entry=OuterRef("pk"))))
        .order_by()
        .values("owner")
        .annotate(oldest=Min("date"))
        .values("oldest")
    )
    return list(
        Membership.objects.filter(team__in=teams, role=Membership.Role.ENGINEER)
        .annotate(oldest=Subquery(oldest))
        .filter(oldest__isnull=False)
        .values_list("team_id", "oldest")
    )


def _people_out_of_place() -> Mapping[str, int]:
    """How many active people, staff aside, have no track, and how many are in no team."""
    in_a_team = Exists(Membership.objects.filter(user=OuterRef("pk")))
    return User.objects.filter(is_active=True, is_staff=False).aggregate(
        no_track=Count("pk", filter=Q(track__isnull=True)),
        no_team=Count("pk", filter=~Q(in_a_team)),
    )
