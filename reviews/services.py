"""Starting, rating, submitting and sharing assessments: the rules that span models."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from ladder.services import latest_version
from people.models import User

from .models import Assessment, Kind, Rating, ReviewCycle, State


class AssessmentError(Exception):
    """Something a person asked for that the rules refuse; the message says why."""


def start_assessment(cycle: ReviewCycle, subject: User, author: User, kind: str) -> Assessment:
    """Create the assessment with one empty rating per dimension of the subject's ladder."""
    if not cycle.is_open:
        raise AssessmentError(f"{cycle.name} is closed: no new assessments.")
    track = subject.track
    if track is None:
        raise AssessmentError(
            f"{subject.display_name} is not placed on a track yet; an admin sets it first."
        )
    if kind == Kind.SELF and author.pk != subject.pk:
        raise AssessmentError("A self-assessment is written by the person it is about.")
    if kind == Kind.MANAGER and not User.objects.reports_of(author).filter(pk=subject.pk).exists():
        raise AssessmentError(f"You do not manage {subject.display_name}.")
    existing = Assessment.objects.filter(cycle=cycle, subject=subject, kind=kind)
    if kind == Kind.MANAGER:
        existing = existing.filter(author=author)
    if existing.exists():
        what = "a self-assessment" if kind == Kind.SELF else "an assessment of this person"
        raise AssessmentError(f"You have {what} for {cycle.name} already.")
    try:
        with transaction.atomic():
            assessment = Assessment.objects.create(
                cycle=cycle,
                subject=subject,
                author=author,
                kind=kind,
                track=track,
                track_key=track.key,
                current_level=subject.current_level,
                target_level=subject.target_level,
                current_level_code=subject.current_level.code if subject.current_level else "",
                target_level_code=subject.target_level.code if subject.target_level else "",
            )
            Rating.objects.bulk_create(
                Rating(assessment=assessment, dimension=dimension, dimension_key=dimension.key)
                for dimension in track.ladder.dimensions.all()
            )
    except IntegrityError:  # a double click raced the check above
        raise AssessmentError(f"You have this assessment for {cycle.name} already.") from None
    return assessment


def ensure_ratings(assessment: Assessment) -> None:
    """A draft has a rating for every dimension its ladder has now, including ones added
    since it started; ratings of dimensions that left the ladder go."""
    assessment.ratings.filter(dimension__isnull=True).delete()
    _follow_renamed_keys(assessment)
    rated = assessment.ratings.values("dimension")
    Rating.objects.bulk_create(
        Rating(assessment=assessment, dimension=dimension, dimension_key=dimension.key)
        for dimension in assessment.track.ladder.dimensions.exclude(pk__in=rated)
    )


def _follow_renamed_keys(assessment: Assessment) -> None:
    """A draft's ratings take their dimensions' keys as they are now. In two steps, so that
    two dimensions that swapped keys never meet in the one-rating-per-dimension constraint."""
    stale = [
        rating
        for rating in assessment.ratings.select_related("dimension")
        if rating.dimension is not None and rating.dimension.key != rating.dimension_key
    ]
    if not stale:
        return
    for rating in stale:
        rating.dimension_key = f"~{rating.pk}"
    Rating.objects.bulk_update(stale, ["dimension_key"])
    for rating in stale:
        rating.dimension_key = rating.dimension.key  # type: ignore[union-attr]  # kept above
    Rating.objects.bulk_update(stale, ["dimension_key"])


def missing_dimensions(assessment: Assessment) -> list[str]:
    return [
        assessment.dimension_of(rating).name
        for rating in assessment.ratings.select_related("dimension")
        if not rating.is_rated
    ]


@transaction.atomic
def submit(assessment: Assessment) -> None:
    """Submit an assessment: every dimension must be rated. It records the ladder version it
    was rated against, so that a later edit of the ladder never rewrites history."""
    assessment = (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("cycle", "track__ladder", "current_level", "target_level")
        .get(pk=assessment.pk)
    )
    if assessment.is_submitted:
        raise AssessmentError("This assessment is submitted already.")
    if not assessment.cycle.is_open:
        raise AssessmentError(f"{assessment.cycle.name} is closed: nothing can be submitted.")
    ensure_ratings(assessment)
    missing = missing_dimensions(assessment)
    if missing:
        raise AssessmentError(
            "Rate every dimension before you submit. Not rated yet: " + ", ".join(missing) + "."
        )
    # The level codes as the live ladder has them now, whatever path set the ratings
    # (ensure_ratings above has brought the dimension keys up to date already).
    ratings = list(assessment.ratings.select_related("level"))
    for rating in ratings:
        rating.level_code = rating.level.code if rating.level is not None else ""
    Rating.objects.bulk_update(ratings, ["level_code"])
    # The version that holds the ladder as it reads now: from here on every text and level
    # name of this assessment is read from it.
    assessment.ladder_version = latest_version(assessment.track.ladder)
    assessment.track_key = assessment.track.key
    assessment.current_level_code = (
        assessment.current_level.code if assessment.current_level else assessment.current_level_code
    )
    assessment.target_level_code = (
        assessment.target_level.code if assessment.target_level else assessment.target_level_code
    )
    assessment.state = State.SUBMITTED
    assessment.submitted_at = timezone.now()
    assessment.save(
        update_fields=[
            "ladder_version",
            "track_key",
            "current_level_code",
            "target_level_code",
            "state",
            "submitted_at",
            "updated",
        ]
    )


def share(assessment: Assessment) -> None:
    if assessment.kind != Kind.MANAGER:
        raise AssessmentError("Only a manager assessment is shared.")
    if not assessment.is_submitted:
        raise AssessmentError("Submit the assessment before you share it.")
    if assessment.shared_at is None:
        assessment.shared_at = timezone.now()
        assessment.save(update_fields=["shared_at", "updated"])


def can_share(assessment: Assessment | None, user: User) -> bool:
    """Whether `user` may share `assessment` with its subject now: their own manager assessment,
    submitted and not shared yet, of someone they still manage (what `share` and its view ask)."""
    return bool(
        assessment is not None
        and assessment.kind == Kind.MANAGER
        and assessment.author_id == user.pk
        and assessment.is_submitted
        and assessment.shared_at is None
        and Assessment.objects.editable_by(user).filter(pk=assessment.pk).exists()
    )
