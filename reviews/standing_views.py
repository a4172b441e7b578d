"""Where I stand: self, manager and target level per dimension, with evidence and history."""

from __future__ import annotations

from django.db.models import Prefetch, Q, prefetch_related_objects
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from careerladder.ids import parse_id
from careerladder.typing import AuthenticatedRequest
from ladder.models import Level
from ladder.spec import DimensionSpec, LevelSpec
from people.models import User

from .models import Assessment, Kind, PromotionPacket, Rating, ReviewCycle, State
from .services import can_share
from .standing import evidence_for, history, level_texts, radar, share_versions, standings


@require_GET
def standing_page(request: AuthenticatedRequest, person_id: int) -> HttpResponse:
    viewer = request.user
    people = User.objects.filter(
        Q(pk=viewer.pk) | Q(pk__in=User.objects.reports_of(viewer).values("pk"))
    ).select_related("track__ladder", "current_level", "target_level")
    person = get_object_or_404(people, pk=person_id)
    # Everything of the person's the viewer may read, every cycle, in one pass: the chosen
    # cycle's sheets and the history both come from it, so the access rule is asked once.
    readable = list(
        Assessment.objects.visible_to(viewer)
        .filter(subject=person)
        .select_related("cycle", "author", "track__ladder", "target_level", "current_level")
        .prefetch_related(
            Prefetch("ratings", queryset=Rating.objects.select_related("dimension", "level"))
        )
    )
    share_versions(readable)
    # A manager also learns that a self-assessment was submitted (not what it says), so that
    # they can go and submit theirs.
    submitted_self = set(
        Assessment.objects.filter(
            subject=person, kind=Kind.SELF, state=State.SUBMITTED
        ).values_list("cycle", flat=True)
    )
    packets = {
        packet.cycle_id: packet
        for packet in PromotionPacket.objects.visible_to(viewer)
        .filter(subject=person)
        .select_related("decision__decided_by")
    }
    # Cycles with something to show: assessments, or a promotion packet (and its decision).
    cycle_ids = {a.cycle_id for a in readable} | submitted_self | set(packets)
    cycles = list(ReviewCycle.objects.filter(pk__in=cycle_ids)) if cycle_ids else []
    cycle = None
    wanted = parse_id(request.GET.get("cycle", ""))
    if wanted is not None:
        cycle = next((c for c in cycles if c.pk == wanted), None)
    cycle = cycle or (cycles[0] if cycles else None)

    assessments = [a for a in readable if cycle is not None and a.cycle_id == cycle.pk]
    prefetch_related_objects(
        [rating for a in assessments for rating in a.ratings.all()], evidence_for(viewer)
    )
    self_assessment = next((a for a in assessments if a.kind == Kind.SELF), None)
    managers = [a for a in assessments if a.kind == Kind.MANAGER]
    manager_assessment = next((a for a in managers if a.author_id == viewer.pk), None) or next(
        iter(managers), None
    )
    basis = self_assessment or manager_assessment
    track = basis.track if basis else person.track
    context = {
        "person": person,
        "cycles": cycles,
        "cycle": cycle,
        "track": track,
        "packet": packets.get(cycle.pk) if cycle else None,
        # The person's level history: they and their managers read this page, nobody else.
        "level_changes": list(person.level_changes.all()),
    }
    if track is None:
        return render(request, "reviews/standing.html", context)

    submitted = next(
        (a for a in (self_assessment, manager_assessment) if a and a.frozen_track is not None),
        None,
    )
    live: dict[tuple[str, str], str] = {}
    levels: list[LevelSpec] | list[Level]
    target: LevelSpec | Level | None
    if submitted is not None:
        # The past is read against the version it was made with, removed levels included.
        frozen = submitted.frozen_track
        version = submitted.ladder_version
        assert frozen is not None and version is not None  # a frozen track has its version
        levels = list(frozen.levels)
        dimensions = list(version.spec.dimensions)
        target = frozen.level(submitted.target_level_code)
    else:
        levels = list(track.levels.all())  # type: ignore[misc]  # the stubs cannot type this manager
        dimensions = [DimensionSpec(d.key, d.name) for d in track.ladder.dimensions.all()]
        live_target = basis.target_level if basis else person.target_level
        live = level_texts([live_target])
        target = live_target
    target_code = target.code if target else ""
    codes = [level.code for level in levels]
    rows = standings(dimensions, codes, target_code, self_assessment, manager_assessment, live)
    history_cycles, history_rows = history(readable, dimensions)
    hidden_self = (
        cycle is not None
        and self_assessment is None
        and person.pk != viewer.pk
        and cycle.pk in submitted_self
    )
    context |= {
        "levels": levels,
        "target": target,
        "rows": rows,
        "self_assessment": self_assessment,
        "manager_assessment": manager_assessment,
        "chart": radar(rows, scale=len(levels)),
        "history_cycles": history_cycles,
        "history_rows": history_rows,
        "hidden_self": hidden_self,
        # After submitting, the manager lands here: sharing is one step on from comparing.
        "can_share": person.pk != viewer.pk and can_share(manager_assessment, viewer),
        # Someone moved to another track mid-cycle: their levels cannot be compared.
        "tracks_differ": bool(
            self_assessment
            and manager_assessment
            and self_assessment.track_id != manager_assessment.track_id
        ),
        "serious_count": sum(1 for row in rows if row.serious),
        "without_evidence": [row.dimension.name for row in rows if not row.evidence],
    }
    return render(request, "reviews/standing.html", context)
