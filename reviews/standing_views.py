"""Where I stand: self, manager and target level per dimension, with evidence and history."""

from __future__ import annotations

from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from careerladder.ids import parse_id
from careerladder.typing import AuthenticatedRequest
from ladder.models import Level
from ladder.spec import DimensionSpec, LevelSpec
from people.models import User

from .models import Assessment, Kind, PromotionPacket, ReviewCycle, State
from .standing import history, level_texts, radar, ratings_for, standings


@require_GET
def standing_page(request: AuthenticatedRequest, person_id: int) -> HttpResponse:
    viewer = request.user
    people = User.objects.filter(
        Q(pk=viewer.pk) | Q(pk__in=User.objects.reports_of(viewer).values("pk"))
    ).select_related("track__ladder", "current_level", "target_level")
    person = get_object_or_404(people, pk=person_id)
    visible = Assessment.objects.visible_to(viewer).filter(subject=person)
    # A manager also learns that a self-assessment was submitted (not what it says), so that
    # they can go and submit theirs.
    submitted_self = Assessment.objects.filter(
        subject=person, kind=Kind.SELF, state=State.SUBMITTED
    )
    # Cycles with something to show: assessments, or a promotion packet (and its decision).
    # Subqueries of cycle ids, not an OR across joins: the joins made PostgreSQL hash every
    # assessment of the organisation (a full scan at 14,000 of them).
    packets = PromotionPacket.objects.visible_to(viewer).filter(subject=person)
    cycles = list(
        ReviewCycle.objects.filter(
            Q(pk__in=visible.values("cycle"))
            | Q(pk__in=submitted_self.values("cycle"))
            | Q(pk__in=packets.values("cycle"))
        )
    )
    cycle = None
    wanted = parse_id(request.GET.get("cycle", ""))
    if wanted is not None:
        cycle = next((c for c in cycles if c.pk == wanted), None)
    cycle = cycle or (cycles[0] if cycles else None)

    assessments = list(
        visible.filter(cycle=cycle)
        .select_related(
            "author", "track__ladder", "target_level", "current_level", "ladder_version"
        )
        .prefetch_related(ratings_for(viewer))
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
        "packet": PromotionPacket.objects.visible_to(viewer)
        .filter(subject=person, cycle=cycle)
        .select_related("decision__decided_by")
        .first()
        if cycle
        else None,
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
    history_cycles, history_rows = history(person, viewer, dimensions)
    hidden_self = (
        cycle is not None
        and self_assessment is None
        and person.pk != viewer.pk
        and Assessment.objects.filter(
            cycle=cycle, subject=person, kind=Kind.SELF, state=State.SUBMITTED
        ).exists()
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
