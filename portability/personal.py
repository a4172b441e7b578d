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

from django.db.models import Prefetch, QuerySet, Value
from django.utils import timezone

from brag.models import BragEntry, GlueRecognition, Goal
from people.backends import SIGNED_IN_RELATED
from people.models import User
from reviews.models import Assessment, Rating, ReviewNote
from reviews.packet_models import MatrixRow, PacketProject, PromotionPacket
from reviews.packet_sections import access_to, reads_manager_side

FORMAT = "careerladder-personal/v1"

Data = dict[str, Any]


def _name(person: User | None) -> str | None:
    return person.display_name if person is not None else None


def _when(value: dt.datetime | dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def personal_data(user: User) -> Data:
    # The signed-in person comes with these loaded already (people/backends.py).
    cached = user._state.fields_cache
    if all(path.split("__")[0] in cached for path in SIGNED_IN_RELATED):
        person = user
    else:
        person = User.objects.select_related(*SIGNED_IN_RELATED).get(pk=user.pk)
    entries = _entries(person)
    # Evidence lists name the person's own entries that they may read: deleted ones are not.
    live = {entry["id"]: entry["date"] for entry in entries if entry["deleted_at"] is None}
    assessments = list(_assessments(person))
    packets = list(_packets(person))
    by_rating, by_row = _evidence(assessments, packets, live)
    return {
        "format": FORMAT,
        "exported_at": timezone.now().isoformat(),
        "person": _person(person),
        "brag_entries": entries,
        "goals": _goals(person),
        "assessments": [_assessment(assessment, by_rating) for assessment in assessments],
        "review_notes": _notes(person),
        "promotion_packets": [_packet(packet, person, by_row) for packet in packets],
        "level_changes": _level_changes(person),
    }


def _evidence(
    assessments: list[Assessment], packets: list[PromotionPacket], live: dict[int, str | None]
) -> tuple[dict[int, list[int]], dict[int, list[int]]]:
    """The entry ids attached to each rating and to each matrix row, in one query for both,
    kept to the person's live entries: ratings newest first, matrix rows by id."""
    rating_ids = [rating.pk for assessment in assessments for rating in assessment.ratings.all()]
    row_ids = [row.pk for packet in packets for row in packet.matrix.all()]
    by_rating: dict[int, list[int]] = {pk: [] for pk in rating_ids}
    by_row: dict[int, list[int]] = {pk: [] for pk in row_ids}
    if not rating_ids and not row_ids:
        return by_rating, by_row
    links = (
        Rating.evidence.through.objects.filter(rating_id__in=rating_ids)
        .values_list(Value("rating"), "rating_id", "bragentry_id")
        .union(
            MatrixRow.evidence.through.objects.filter(matrixrow_id__in=row_ids).values_list(
                Value("row"), "matrixrow_id", "bragentry_id"
            ),
            all=True,
        )
    )
    for kind, owner_id, entry_id in links:
        if entry_id in live:
            (by_rating if kind == "rating" else by_row)[owner_id].append(entry_id)
    for ids in by_rating.values():
        ids.sort(key=lambda pk: (live[pk] or "", pk), reverse=True)
    for ids in by_row.values():
        ids.sort()
    return by_rating, by_row


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


def _rating(assessment: Assessment, rating: Rating, by_rating: dict[int, list[int]]) -> Data:
    dimension = assessment.dimension_of(rating)
    return {
        "dimension": {"key": dimension.key, "name": dimension.name},
        "level": assessment.rating_label(rating) if rating.is_rated else None,
        "below_first_level": rating.below_first_level,
        "comment": rating.comment,
        # Ids of entries in "brag_entries": the person's own that they may read.
        "evidence": by_rating[rating.pk],
    }


def _assessments(person: User) -> QuerySet[Assessment]:
    return (
        Assessment.objects.visible_to(person)
        .filter(subject=person)
        .select_related(
            "cycle", "author", "track", "current_level", "target_level", "ladder_version"
        )
        .prefetch_related(
            Prefetch("ratings", queryset=Rating.objects.select_related("dimension", "level"))
        )
        .order_by("cycle__start", "kind", "pk")
    )


def _assessment(assessment: Assessment, by_rating: dict[int, list[int]]) -> Data:
    return {
        "id": assessment.pk,
        "cycle": assessment.cycle.name,
        "kind": assessment.kind,
        "author": _name(assessment.author),
        "state": assessment.state,
        "track": assessment.frozen_track.name if assessment.frozen_track else assessment.track.name,
        "current_level": assessment.current_label or None,
        "target_level": assessment.target_label or None,
        "ladder_version": assessment.ladder_version.number if assessment.ladder_version else None,
        "submitted_at": _when(assessment.submitted_at),
        "shared_at": _when(assessment.shared_at),
        "created": _when(assessment.created),
        "updated": _when(assessment.updated),
        "ratings": [_rating(assessment, rating, by_rating) for rating in assessment.ratings.all()],
    }


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


def _packets(person: User) -> QuerySet[PromotionPacket]:
    return (
        PromotionPacket.objects.visible_to(person)
        .filter(subject=person)
        .select_related("cycle", "ladder_version", "decision__decided_by")
        .prefetch_related(
            Prefetch("projects", queryset=PacketProject.objects.order_by("order", "pk")),
            Prefetch("matrix", queryset=MatrixRow.objects.order_by("pk")),
        )
        .order_by("created", "pk")
    )


def _packet(packet: PromotionPacket, person: User, by_row: dict[int, list[int]]) -> Data:
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
                "evidence": by_row[row.pk],
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
