"""seed_org's reviews: a closed past cycle whose promotion round is decided and an open current
one whose round has packets waiting; self and manager assessments with a rating per dimension
and evidence; managers' review notes with their versions; promotion packets.

Rows are written as the services write them (reviews/services.py, note_services.py,
packet_services.py, round_services.py): a submitted assessment has every dimension rated, the
level codes beside the levels and the ladder version it was read against; a shared manager
assessment is submitted; a note's versions number 1…n and sharing bumps its version; a packet
has one matrix row per dimension of its version, a submitted one three to five projects, a
status on every row (a reason on every gap), a summary and a recommendation; a "not yet"
decision names its gaps; a promotion moved the level and wrote the level history."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from brag.quarters import Quarter
from ladder.models import LadderVersion
from people.models import User
from reviews.models import (
    Assessment,
    Kind,
    MatrixRow,
    PacketEdit,
    PacketProject,
    PromotionDecision,
    PromotionPacket,
    PromotionRound,
    Rating,
    ReviewCycle,
    ReviewNote,
    ReviewNoteVersion,
    State,
)
from reviews.packet_models import (
    Archetype,
    MatrixStatus,
    Outcome,
    PacketStatus,
    Recommendation,
)

from .orgseed import (
    Org,
    Person,
    bulk,
    insert_rows,
    next_id,
    record_promotions,
    reset_ids,
    stamped_by_hand,
)
from .orgseed_brag import SERVICES, Document, EntryRef, rendered

COMMENTS = (
    "Consistently at this level this quarter.",
    "Shown in the projects below; not yet every week.",
    "Clear evidence from the work this quarter.",
    "Led this on {service} without needing a check-in.",
    "Growing here: the **next step** is owning it end to end.",
)
NOTES = (
    ("Calibration prep", "Strong quarter on **scope**: the {service} work landed early."),
    ("1:1 themes", "- wants more design work\n- on-call load on {service} is heavy"),
    ("Promotion case", "The case rests on the {service} migration and the mentoring."),
    ("Feedback from peers", "Three peers named the {service} postmortem as the turning point."),
    ("Growth areas", "Influence beyond the team is the gap; a cross-team RFC would close it."),
)
RATING_COLUMNS = (
    "id",
    "assessment_id",
    "dimension_id",
    "dimension_key",
    "level_id",
    "level_code",
    "below_first_level",
    "comment",
    "updated",
)
NOTE_FOLLOW_UP = "\n\nFollow-up: ask about cross-team work, and who they mentor."


@dataclass
class Cycles:
    past: ReviewCycle
    current: ReviewCycle
    past_version: LadderVersion
    current_version: LadderVersion


def seed_reviews(org: Org, documents: dict[int, Document]) -> None:
    cycles = _seed_cycles(org)
    _seed_assessments(org, documents, cycles)
    _seed_notes(org, cycles)
    _seed_packets(org, documents, cycles)


def _seed_cycles(org: Org) -> Cycles:
    this = Quarter.of(org.size.today)
    last = this.previous()
    with stamped_by_hand((ReviewCycle, "created")):
        past, current = bulk(
            ReviewCycle,
            [
                ReviewCycle(
                    name=f"Review {last.label}",
                    start=last.start,
                    end=last.end,
                    is_open=False,
                    created=org.at(last.start - dt.timedelta(days=7), 9),
                ),
                ReviewCycle(
                    name=f"Review {this.label}",
                    start=this.start,
                    end=this.end,
                    is_open=True,
                    created=org.at(this.start - dt.timedelta(days=7), 9),
                ),
            ],
        )
    for cycle in (past, current):
        # Through the ORM: naming deciders is audited, and there are two rounds.
        PromotionRound.objects.create(cycle=cycle).deciders.add(*org.deciders)
    # The past cycle was read against the ladder as it was then; the open one against today's.
    older = org.versions[-2] if len(org.versions) > 1 else org.versions[-1]
    return Cycles(past, current, older, org.versions[-1])


def _when(org: Org, cycle: ReviewCycle, rng: random.Random, low: float, high: float) -> dt.datetime:
    """A moment between fractions `low` and `high` of the cycle (clamped to the anchor day)."""
    span = (cycle.end - cycle.start).days
    day = cycle.start + dt.timedelta(days=int(span * (low + (high - low) * rng.random())))
    return org.at(day, rng.randint(9, 18), rng.choice((0, 15, 30, 45)))


def _evidence(
    document: Document, dimension: int, until: dt.date, own: bool, rng: random.Random, most: int
) -> list[int]:
    """Entries the author could pick: their own alive ones, or, for a manager, those shared."""
    pool = [ref for ref in document.before(until, dimension)[-12:] if ref.alive]
    if not own:
        pool = [ref for ref in pool if ref.shared]
    return [ref.pk for ref in rng.sample(pool, k=min(most, len(pool)))]


def _seed_assessments(org: Org, documents: dict[int, Document], cycles: Cycles) -> None:
    plans = []  # (assessment, person, cycle)
    for person in org.engineers:
        rng = org.rng(f"assessments:{person.number}")
        manager = org.manager_of(person)
        first = person.number == 1
        for cycle in (cycles.past, cycles.current):
            is_past = cycle is cycles.past
            in_round = bool(person.past_packet if is_past else person.packet == "submitted")
            roll = rng.random()
            self_state: str
            manager_state: str
            if is_past:
                self_state = State.SUBMITTED if in_round or roll < 0.95 else State.DRAFT
            elif first or in_round or roll < 0.35:
                self_state = State.SUBMITTED
            else:
                self_state = State.DRAFT if roll < 0.65 else ""
            roll = rng.random()
            if in_round or first or (is_past and roll < 0.92) or (not is_past and roll < 0.3):
                manager_state = State.SUBMITTED
            elif (is_past and roll < 0.96) or (not is_past and roll < 0.5):
                manager_state = State.DRAFT
            else:
                manager_state = ""
            shared = first or in_round or rng.random() < (0.85 if is_past else 0.6)
            for kind, author, state in [
                (Kind.SELF, person.user, self_state),
                (Kind.MANAGER, manager, manager_state),
            ]:
                if state:
                    plans.append(
                        (
                            _assessment(org, cycles, cycle, person, author, kind, state, rng),
                            person,
                            kind == Kind.MANAGER and state == State.SUBMITTED and shared,
                        )
                    )
    assessments = []
    for assessment, _, shared in plans:
        if shared and assessment.submitted_at is not None:
            later = assessment.submitted_at + dt.timedelta(days=2)
            assessment.shared_at = min(later, org.at(org.size.today))
        assessments.append(assessment)
    with stamped_by_hand((Assessment, "created"), (Assessment, "updated")):
        bulk(Assessment, assessments)
    # Ratings and their evidence are the third-largest tables: plain rows, like the entries.
    ratings: list[tuple] = []
    evidence: list[tuple[int, int]] = []
    levels = org.ic_levels
    position = {level.pk: index for index, level in enumerate(levels)}
    pk = next_id(Rating)
    for assessment, person, _ in plans:
        rng = org.rng(f"ratings:{assessment.kind}:{assessment.cycle.name}:{person.number}")
        submitted = assessment.state == State.SUBMITTED
        at = position[assessment.current_level.pk]  # type: ignore[union-attr]  # set above
        bias = 1 if assessment.kind == Kind.SELF else 0
        until = min(assessment.cycle.end, org.size.today)
        own = assessment.kind == Kind.SELF
        for dimension in org.dimensions:
            row = (pk, assessment.pk, dimension.pk, dimension.key)
            if not submitted and rng.random() < 0.5:
                # A draft's dimension not rated yet (what start_assessment leaves).
                ratings.append((*row, None, "", False, "", assessment.updated))
            else:
                index = min(at + rng.choice((0, 0, 0, bias, -1 + bias)), len(levels) - 1)
                level = levels[index] if index >= 0 else None
                comment = rng.choice(COMMENTS).format(service=rng.choice(SERVICES))
                ratings.append(
                    (
                        *row,
                        level.pk if level else None,
                        level.code if level else "",
                        level is None,
                        comment,
                        assessment.updated,
                    )
                )
                picked = _evidence(documents[person.user.pk], dimension.pk, until, own, rng, 3)
                evidence += [(pk, entry) for entry in picked]
            pk += 1
    insert_rows(Rating, RATING_COLUMNS, ratings)
    reset_ids(Rating)
    insert_rows(Rating.evidence.through, ("rating_id", "bragentry_id"), evidence)


def _assessment(
    org: Org,
    cycles: Cycles,
    cycle: ReviewCycle,
    person: Person,
    author: User,
    kind: str,
    state: str,
    rng: random.Random,
) -> Assessment:
    is_past = cycle is cycles.past
    current = org.ic_levels[person.past_level if is_past else person.level]
    target = org.ic_levels[person.past_target if is_past else person.target]
    created = _when(org, cycle, rng, 0.05, 0.4)
    submitted = state == State.SUBMITTED
    submitted_at = max(created, _when(org, cycle, rng, 0.6, 0.95)) if submitted else None
    return Assessment(
        cycle=cycle,
        subject=person.user,
        author=author,
        kind=kind,
        state=state,
        track=org.ic_track,
        track_key=org.ic_track.key,
        current_level=current,
        target_level=target,
        current_level_code=current.code,
        target_level_code=target.code,
        ladder_version=(cycles.past_version if is_past else cycles.current_version)
        if submitted
        else None,
        submitted_at=submitted_at,
        created=created,
        updated=submitted_at or created,
    )


def _seed_notes(org: Org, cycles: Cycles) -> None:
    """Each engineer's manager keeps 0-3 notes: some edited (two versions), some shared, a few
    deleted. engineer-0001 has a private and a shared one."""
    notes, versions = [], []
    for person in org.engineers:
        rng = org.rng(f"notes:{person.number}")
        manager = org.manager_of(person)
        count = rng.choices((0, 1, 2, 3), weights=(30, 35, 25, 10))[0]
        if person.number == 1:
            count = max(count, 2)
        for index in range(count):
            title, body = rng.choice(NOTES)
            body = body.format(service=rng.choice(SERVICES))
            cycle = rng.choice((cycles.past, cycles.current, None))
            within = cycle or cycles.current
            created = _when(org, within, rng, 0.1, 0.5)
            edited = rng.random() < 0.4
            saves = [(body, created)]
            if edited:
                saves.append((body + NOTE_FOLLOW_UP, _when(org, within, rng, 0.5, 0.9)))
            shared = rng.random() < 0.3 if person.number != 1 else index == 1
            note = ReviewNote(
                subject=person.user,
                author=manager,
                updated_by=manager,
                cycle=cycle,
                title=title,
                body=saves[-1][0],
                body_html=rendered(saves[-1][0]),
                shared_at=saves[-1][1] if shared else None,
                # One per save, and sharing bumps it too (an edit begun before is stale).
                version=len(saves) + (1 if shared else 0),
                created=created,
                updated=saves[-1][1],
                deleted_at=saves[-1][1] if person.number != 1 and rng.random() < 0.03 else None,
            )
            notes.append(note)
            versions.append(saves)
    with stamped_by_hand((ReviewNote, "created"), (ReviewNote, "updated")):
        bulk(ReviewNote, notes)
    bulk(
        ReviewNoteVersion,
        [
            ReviewNoteVersion(
                note=note,
                number=number,
                title=note.title,
                body=body,
                saved_by_id=note.author_id,
                saved_at=when,
            )
            for note, saves in zip(notes, versions, strict=True)
            for number, (body, when) in enumerate(saves, start=1)
        ],
    )


PACKET_TEXTS = {
    "influence": "Drove the {service} RFC that {a} teams adopted; ran the cross-team sync.",
    "mentoring": "Mentored two engineers; one now leads design reviews.",
    "glue_notes": "Onboarding, the postmortems and the interview loop for {service}.",
    "growth": "Delegating earlier: the {service} work now runs without me.",
}
GAP_REASONS = (
    "Owns features, not yet a whole service.",
    "Influence stays inside the team so far.",
    "Needs a quarter of leading through ambiguity.",
)


def _seed_packets(org: Org, documents: dict[int, Document], cycles: Cycles) -> None:
    """The past round: packets decided, promoted or not yet. The open round: packets waiting,
    and drafts."""
    plans: list[tuple[PromotionPacket, Person, list[EntryRef], dict[str, tuple[str, str]]]] = []
    edits: list[PacketEdit] = []
    decisions: list[PromotionDecision] = []
    for person in org.engineers:
        for cycle, outcome in [(cycles.past, person.past_packet), (cycles.current, person.packet)]:
            if outcome:
                plans.append(_packet(org, documents, cycles, cycle, person, outcome, edits))
    with stamped_by_hand((PromotionPacket, "created"), (PromotionPacket, "updated")):
        bulk(PromotionPacket, [packet for packet, *_ in plans])
    projects, rows, evidence = [], [], []
    for packet, person, chosen, matrix in plans:
        rng = org.rng(f"matrix:{packet.cycle.name}:{person.number}")
        projects += [
            PacketProject(
                packet=packet,
                entry_id=ref.pk,
                order=order,
                measurable_impact="Numbers in the entry; confirmed with the team's dashboard.",
                who_benefited=rng.choice(("The on-call rotation.", "Two client teams.", "")),
            )
            for order, ref in enumerate(chosen)
        ]
        until = min(packet.cycle.end, org.size.today)
        for dimension in packet.ladder_version.spec.dimensions:
            status, reason = matrix.get(dimension.key, ("", ""))
            row = MatrixRow(
                packet=packet, dimension_key=dimension.key, status=status, reason=reason
            )
            rows.append(row)
            pk = next((d.pk for d in org.dimensions if d.key == dimension.key), None)
            if pk is not None and status != MatrixStatus.NOT_APPLICABLE:
                picked = _evidence(documents[person.user.pk], pk, until, False, rng, 2)
                evidence.append((row, picked))
        if packet.status == PacketStatus.DECIDED:
            decisions.append(_decision(org, packet, matrix, rng))
    bulk(PacketProject, projects)
    bulk(MatrixRow, rows)
    through = MatrixRow.evidence.through
    bulk(
        through,
        [through(matrixrow_id=r.pk, bragentry_id=pk) for r, picked in evidence for pk in picked],
    )
    for edit in edits:
        edit.packet_id = edit.packet.pk
    with stamped_by_hand((PacketEdit, "at"), (PromotionDecision, "decided_at")):
        bulk(PacketEdit, edits)
        bulk(PromotionDecision, decisions)
    record_promotions(org, _effective(org, cycles.past), cycles.past.name)


def _effective(org: Org, cycle: ReviewCycle) -> dt.date:
    return min(cycle.end + dt.timedelta(days=14), org.size.today)


def _packet(
    org: Org,
    documents: dict[int, Document],
    cycles: Cycles,
    cycle: ReviewCycle,
    person: Person,
    outcome: str,
    edits: list[PacketEdit],
) -> tuple[PromotionPacket, Person, list[EntryRef], dict[str, tuple[str, str]]]:
    rng = org.rng(f"packet:{cycle.name}:{person.number}")
    is_past = cycle is cycles.past
    version = cycles.past_version if is_past else cycles.current_version
    manager = org.manager_of(person)
    current = org.ic_levels[person.past_level if is_past else person.level]
    target = org.ic_levels[(person.past_level if is_past else person.level) + 1]
    draft = outcome == "draft"
    # Projects: shared, alive entries from before the cycle closed (the first three of every
    # packet's subject are such entries, see orgseed_brag).
    until = min(cycle.end, org.size.today)
    pool = [ref for ref in documents[person.user.pk].before(until) if ref.shared][-15:]
    chosen = rng.sample(pool, k=min(len(pool), rng.randint(0 if draft else 3, 5)))
    keys = [d.key for d in version.spec.dimensions]
    matrix: dict[str, tuple[str, str]] = {}
    gaps = rng.sample(keys, k=rng.randint(1, 2)) if outcome == Outcome.NOT_YET else []
    for key in keys:
        if draft and rng.random() < 0.5:
            continue
        if key in gaps:
            matrix[key] = (MatrixStatus.GAP, rng.choice(GAP_REASONS))
        elif rng.random() < 0.05:
            matrix[key] = (MatrixStatus.NOT_APPLICABLE, "Not part of this role's work this year.")
        else:
            matrix[key] = (MatrixStatus.MET, "")
    service, a = rng.choice(SERVICES), rng.randint(2, 6)
    texts = {
        name: (text.format(service=service, a=a) if not draft or rng.random() < 0.6 else "")
        for name, text in PACKET_TEXTS.items()
    }
    created = _when(org, cycle, rng, 0.1, 0.4)
    submitted_at = None if draft else max(created, _when(org, cycle, rng, 0.7, 0.95))
    recommendation = (
        Recommendation.NOT_YET if outcome == Outcome.NOT_YET else Recommendation.PROMOTE
    )
    shared = not draft and rng.random() < 0.8
    packet = PromotionPacket(
        subject=person.user,
        cycle=cycle,
        created_by=manager,
        track=org.ic_track,
        track_key=org.ic_track.key,
        current_level=current,
        current_level_code=current.code,
        target_level=target,
        target_level_code=target.code,
        ladder_version=version,
        status=PacketStatus.DRAFT
        if draft
        else PacketStatus.DECIDED
        if is_past
        else PacketStatus.SUBMITTED,
        archetype=rng.choice(Archetype.values) if target.order >= 3 else "",
        summary="" if draft else f"Ready for {target.name}: the projects and the feedback agree.",
        recommendation="" if draft else recommendation,
        manager_shared_at=submitted_at if shared else None,
        submitted_at=submitted_at,
        created=created,
        updated=submitted_at or created,
        **texts,
    )
    sections = [name for name, text in texts.items() if text]
    sections = ["glue" if name == "glue_notes" else name for name in sections]
    if chosen:
        sections.append("projects")
    sections += [f"matrix:{key}" for key in matrix]
    if not draft:
        sections += ["summary", *(["share"] if shared else []), "submit"]
    when = created
    for section in sections:
        by = person.user if section in ("influence", "mentoring", "glue", "growth") else manager
        if section == "projects":
            by = person.user
        edits.append(PacketEdit(packet=packet, section=section, by=by, at=when))
        when = min(when + dt.timedelta(hours=3), submitted_at or org.at(org.size.today))
    packet.version = 1 + len(sections)
    return packet, person, chosen, matrix


def _decision(
    org: Org, packet: PromotionPacket, matrix: dict[str, tuple[str, str]], rng: random.Random
) -> PromotionDecision:
    promoted = packet.recommendation == Recommendation.PROMOTE
    names = {d.key: d.name for d in packet.ladder_version.spec.dimensions}
    gaps = [
        {"dimension_key": key, "dimension_name": names[key], "to_close": reason}
        for key, (status, reason) in matrix.items()
        if status == MatrixStatus.GAP
    ]
    effective = _effective(org, packet.cycle)
    return PromotionDecision(
        packet=packet,
        outcome=Outcome.PROMOTED if promoted else Outcome.NOT_YET,
        reason="Operates at the target level across the team's work."
        if promoted
        else "Strong at the current level; the gaps below are what the next round looks for.",
        gaps=[] if promoted else gaps,
        decided_by=org.deciders[rng.randint(0, 1)],
        decided_at=org.at(effective - dt.timedelta(days=4), 15),
        effective=effective,
    )
