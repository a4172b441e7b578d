"""Everything Careerladder holds about one person, for that person, as one JSON document.

What goes in is what the app lets them read, asked of the same access rules every page asks:
their brag entries (editable_by: all of them, private and deleted-but-undoable included), their
goals, the assessments of them that `Assessment.objects.visible_to` gives them, the review
notes about them that `ReviewNote.objects.visible_to` gives them (shared ones), the packets
about them that `PromotionPacket.objects.visible_to` gives them (the manager's summary only
once shared), the recognitions of their glue work and their level history. Other people
appear by name only. Things they wrote about other people (a manager's notes and assessments
of their reports) are not theirs to take: they are about someone else.

The shape is `careerladder-personal/v1`, documented in docs/backup.md; a change that removes
or renames a key is a new version. A fixed number of queries, however much there is.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone

from brag.models import BragEntry, GlueRecognition, Goal
from people.models import User
from reviews.models import Assessment, Rating, ReviewNote
from reviews.packet_models import MatrixRow, PacketProject, PromotionPacket
from reviews.packet_sections import access_to, reads_manager_side
from reviews.standing import ratings_for

FORMAT = "careerladder-personal/v1"

Data = dict[str, Any]


def _name(person: User | None) -> str | None:
    return person.display_name if person is not None else None


def _when(value: dt.datetime | dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def personal_data(user: User) -> Data:
    person = User.objects.select_related("track__ladder", "current_level", "target_level").get(
        pk=user.pk
    )
    entries = _entries(person)
    own = {entry["id"] for entry in entries}
    return {
        "format": FORMAT,
        "exported_at": timezone.now().isoformat(),
        "person": _person(person),
        "brag_entries": entries,
        "goals": _goals(person),
        "assessments": _assessments(person, own),
        "review_notes": _notes(person),
        "promotion_packets": _packets(person, own),
        "level_changes": _level_changes(person),
    }


def _person(person: User) -> Data:
    return {
        "email": person.email,
        "name": person.name,
        "date_joined": _when(person.date_joined),
        "time_zone": person.time_zone,
        "weekly_reminder": person.weekly_reminder,
        "ladder": person.track.ladder.name if person.track else None,
        "track": person.track.name if person.track else None,
        "current_level": person.current_level.label if person.current_level else None,
        "target_level": person.target_level.label if person.target_level else None,
        "teams": [
            {"team": membership.team.name, "role": membership.role}
            for membership in person.memberships.select_related("team").order_by("team__name")
        ],
    }


def _entries(person: User) -> list[Data]:
    entries = (
        BragEntry.objects.editable_by(person)
        .prefetch_related(
            "dimensions",
            Prefetch(
                "recognitions",
                queryset=GlueRecognition.objects.select_related("by").order_by("created", "pk"),
            ),
        )
        .order_by("date", "created", "pk")
    )
    return [
        {
            "id": entry.pk,
            "date": _when(entry.date),
            "title": entry.title,
            "category": entry.category,
            "role": entry.role,
            "impact": entry.impact,
            "skills": entry.skills,
            "links": entry.links,
            "dimensions": [{"key": d.key, "name": d.name} for d in entry.dimensions.all()],
            "glue_kind": entry.glue_kind or None,
            "visibility": entry.visibility,
            "created": _when(entry.created),
            "updated": _when(entry.updated),
            # Deleted entries can still be undone for a while: they are still the person's.
            "deleted_at": _when(entry.deleted_at),
            "recognitions": [
                {"by": _name(r.by), "comment": r.comment, "created": _when(r.created)}
                for r in entry.recognitions.all()
            ],
        }
        for entry in entries
    ]


def _goals(person: User) -> list[Data]:
    # Goals are their owner's alone (GoalQuerySet.visible_to); the deleted ones as well,
    # since they can still be undone.
    goals = Goal.objects.filter(owner=person).order_by("year", "quarter", "created", "pk")
    return [
        {
            "year": goal.year,
            "quarter": goal.quarter,
            "text": goal.text,
            "done": goal.done,
            "created": _when(goal.created),
            "deleted_at": _when(goal.deleted_at),
        }
        for goal in goals
    ]


def _rating(assessment: Assessment, rating: Rating, own: set[int]) -> Data:
    dimension = assessment.dimension_of(rating)
    return {
        "dimension": {"key": dimension.key, "name": dimension.name},
        "level": assessment.rating_label(rating) if rating.is_rated else None,
        "below_first_level": rating.below_first_level,
        "comment": rating.comment,
        # Ids of entries in "brag_entries": the person's own that they may read.
        "evidence": [entry.pk for entry in rating.evidence.all() if entry.pk in own],
    }


def _assessments(person: User, own: set[int]) -> list[Data]:
    assessments = (
        Assessment.objects.visible_to(person)
        .filter(subject=person)
        .select_related(
            "cycle", "author", "track", "current_level", "target_level", "ladder_version"
        )
        .prefetch_related(ratings_for(person))
        .order_by("cycle__start", "kind", "pk")
    )
    return [
        {
            "id": assessment.pk,
            "cycle": assessment.cycle.name,
            "kind": assessment.kind,
            "author": _name(assessment.author),
            "state": assessment.state,
            "track": assessment.frozen_track.name
            if assessment.frozen_track
            else assessment.track.name,
            "current_level": assessment.current_label or None,
            "target_level": assessment.target_label or None,
            "ladder_version": assessment.ladder_version.number
            if assessment.ladder_version
            else None,
            "submitted_at": _when(assessment.submitted_at),
            "shared_at": _when(assessment.shared_at),
            "created": _when(assessment.created),
            "updated": _when(assessment.updated),
            "ratings": [_rating(assessment, rating, own) for rating in assessment.ratings.all()],
        }
        for assessment in assessments
    ]


def _notes(person: User) -> list[Data]:
    notes = (
        ReviewNote.objects.visible_to(person)
        .alive()
        .filter(subject=person)
        .select_related("author", "cycle")
        .order_by("created", "pk")
    )
    return [
        {
            "id": note.pk,
            "title": note.title,
            "body": note.body,
            "author": _name(note.author),
            "cycle": note.cycle.name if note.cycle else None,
            "shared_at": _when(note.shared_at),
            "created": _when(note.created),
            "updated": _when(note.updated),
        }
        for note in notes
    ]


def _packets(person: User, own: set[int]) -> list[Data]:
    readable = BragEntry.objects.visible_to(person).only("pk").order_by("pk")
    packets = (
        PromotionPacket.objects.visible_to(person)
        .filter(subject=person)
        .select_related("cycle", "ladder_version", "decision__decided_by")
        .prefetch_related(
            Prefetch("projects", queryset=PacketProject.objects.order_by("order", "pk")),
            Prefetch(
                "matrix",
                queryset=MatrixRow.objects.order_by("pk").prefetch_related(
                    Prefetch("evidence", queryset=readable)
                ),
            ),
        )
        .order_by("created", "pk")
    )
    return [_packet(packet, person, own) for packet in packets]


def _packet(packet: PromotionPacket, person: User, own: set[int]) -> Data:
    manager_side = reads_manager_side(packet, access_to(packet, person))
    decision = getattr(packet, "decision", None)
    return {
        "id": packet.pk,
        "cycle": packet.cycle.name,
        "status": packet.status,
        "track": packet.frozen_track.name or packet.track_key,
        "current_level": packet.current.label if packet.current else None,
        "target_level": packet.target.label if packet.target else None,
        "ladder_version": packet.ladder_version.number,
        "influence": packet.influence,
        "mentoring": packet.mentoring,
        "glue_notes": packet.glue_notes,
        "growth": packet.growth,
        "archetype": packet.archetype or None,
        # The manager's side, once a manager has shared it with the subject.
        "manager_summary": packet.summary if manager_side else None,
        "recommendation": (packet.recommendation or None) if manager_side else None,
        "manager_shared_at": _when(packet.manager_shared_at),
        "submitted_at": _when(packet.submitted_at),
        "created": _when(packet.created),
        "updated": _when(packet.updated),
        "projects": [
            {
                "entry": project.entry_id,
                "measurable_impact": project.measurable_impact,
                "who_benefited": project.who_benefited,
                "learned": project.learned,
                "differently": project.differently,
            }
            for project in packet.projects.all()
        ],
        "matrix": [
            {
                "dimension": row.dimension_key,
                "status": row.status or None,
                "reason": row.reason,
                "evidence": [entry.pk for entry in row.evidence.all() if entry.pk in own],
            }
            for row in packet.matrix.all()
        ],
        "decision": {
            "outcome": decision.outcome,
            "reason": decision.reason,
            "gaps": decision.gaps,
            "effective": _when(decision.effective),
            "decided_by": _name(decision.decided_by),
            "decided_at": _when(decision.decided_at),
        }
        if decision is not None
        else None,
    }


def _level_changes(person: User) -> list[Data]:
    return [
        {
            "from": change.from_label or None,
            "to": change.to_label,
            "effective": _when(change.effective),
            "reason": change.reason,
            "created": _when(change.created),
        }
        for change in person.level_changes.order_by("effective", "pk")
    ]
