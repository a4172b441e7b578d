"""Two review cycles for the demo: a closed one with submitted, shared assessments, and an open
one with assessments in several states, so that "where I stand" and history have something."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from brag.models import BragEntry
from brag.quarters import Quarter
from people.models import User

from .models import Assessment, Kind, ReviewCycle
from .packet_demo import seed_notes, seed_packets
from .services import share, start_assessment, submit

DEMO_CAST = ("maya", "sam", "priya", "leo", "grace", "jonas", "tomas")


def seed_reviews(engineers: list[User], today: dt.date | None = None) -> int:
    today = today or timezone.localdate()
    if ReviewCycle.objects.exists():
        return 0
    this, last = Quarter.of(today), Quarter.of(today).previous()
    past = ReviewCycle.objects.create(
        name=f"Review {last.label}", start=last.start, end=last.end, is_open=True
    )
    current = ReviewCycle.objects.create(
        name=f"Review {this.label}", start=this.start, end=this.end
    )
    created = 0
    for index, person in enumerate(sorted(engineers, key=lambda p: p.email)):
        managers = list(person.managers())
        if not managers or person.track_id is None:
            continue
        manager = managers[0]
        rng = random.Random(f"{person.email}-reviews")
        # Last quarter: both submitted, the manager's shared.
        mine = _rated(start_assessment(past, person, person, Kind.SELF), person, rng, bias=1)
        theirs = _rated(start_assessment(past, person, manager, Kind.MANAGER), manager, rng, 0)
        submit(mine)
        submit(theirs)
        share(Assessment.objects.get(pk=theirs.pk))
        created += 2
        # This quarter: a spread of states.
        step = index % 3
        mine = _rated(start_assessment(current, person, person, Kind.SELF), person, rng, bias=1)
        created += 1
        if step >= 1:
            submit(mine)
        if step == 2:
            theirs = _rated(
                start_assessment(current, person, manager, Kind.MANAGER), manager, rng, bias=-1
            )
            submit(theirs)
            created += 1
    people = {person.email.split("@")[0]: person for person in User.objects.all()}
    if all(name in people for name in DEMO_CAST):
        # Refresh: the assessments above moved nobody, but packets read levels as they are.
        people = {name: User.objects.get(pk=people[name].pk) for name in DEMO_CAST}
        created += seed_notes(people) + seed_packets(people, past, current)
    past.is_open = False
    past.save(update_fields=["is_open"])
    return created


def _rated(assessment: Assessment, author: User, rng: random.Random, bias: int) -> Assessment:
    """Rate every dimension around the subject's current level, with evidence where it fits."""
    levels = list(assessment.track.levels.all())
    current = assessment.current_level
    at = levels.index(current) if current in levels else 0
    entries = list(
        BragEntry.objects.visible_to(author)
        .filter(owner=assessment.subject)
        .prefetch_related("dimensions")
    )
    for rating in assessment.ratings.select_related("dimension"):
        index = max(0, min(len(levels) - 1, at + rng.choice([0, 0, bias, 1 if bias >= 0 else -1])))
        rating.level = levels[index]
        rating.comment = rng.choice(
            [
                "Consistently at this level this quarter.",
                "Shown in the projects below; not yet every week.",
                "Clear evidence from the work this quarter.",
            ]
        )
        rating.save()
        tagged = [e for e in entries if rating.dimension in e.dimensions.all()]
        rating.evidence.set(tagged[:3])
    return assessment
