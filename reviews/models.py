"""Review cycles and assessments: where a person stands on each dimension, by their own account
and their manager's, with brag entries as evidence."""

from __future__ import annotations

from functools import cached_property
from typing import Self

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from brag.models import BragEntry
from ladder.models import Dimension, LadderVersion, Level, Track
from ladder.spec import DimensionSpec, LevelSpec, TrackSpec
from people.models import User


class ReviewCycle(models.Model):
    name = models.CharField(max_length=100, unique=True)
    start = models.DateField()
    end = models.DateField()
    is_open = models.BooleanField(
        "open", default=True, help_text="People assess themselves and others only in open cycles."
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start", "-pk"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": "The cycle ends before it starts."})


class Kind(models.TextChoices):
    SELF = "self", "Self-assessment"
    MANAGER = "manager", "Manager assessment"


class State(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"


class AssessmentQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> Self:
        """Who reads an assessment, in one place:
        - its author, always;
        - a self-assessment, once submitted, by the subject's managers, but only after that
          manager has submitted their own assessment for the cycle (so they rate independently);
        - a submitted manager assessment, by the subject's other managers;
        - a manager assessment, by its subject once it is shared."""
        if not user.is_authenticated:
            return self.none()
        reports = User.objects.reports_of(user).values("pk")
        my_submitted = Assessment.objects.filter(
            cycle=OuterRef("cycle"),
            subject=OuterRef("subject"),
            author=user,
            kind=Kind.MANAGER,
            state=State.SUBMITTED,
        )
        return self.filter(
            Q(author=user)
            | (Q(kind=Kind.SELF, state=State.SUBMITTED, subject__in=reports) & Exists(my_submitted))
            | Q(kind=Kind.MANAGER, state=State.SUBMITTED, subject__in=reports)
            | Q(kind=Kind.MANAGER, state=State.SUBMITTED, subject=user, shared_at__isnull=False)
        )

    def editable_by(self, user: User) -> Self:
        """Its author changes an assessment; a manager only while they manage its subject."""
        if not user.is_authenticated:
            return self.none()
        reports = User.objects.reports_of(user).values("pk")
        return self.filter(author=user).filter(Q(kind=Kind.SELF) | Q(subject__in=reports))

    def submitted(self) -> Self:
        return self.filter(state=State.SUBMITTED)


class Assessment(models.Model):
    cycle = models.ForeignKey(ReviewCycle, on_delete=models.PROTECT, related_name="assessments")
    subject = models.ForeignKey(User, on_delete=models.CASCADE, related_name="assessments_of")
    author = models.ForeignKey(User, on_delete=models.CASCADE, related_name="assessments_by")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    track = models.ForeignKey(Track, on_delete=models.PROTECT, related_name="+")
    # The subject's levels when the assessment started, for "current and target". The codes
    # stay when a level leaves the live ladder; a submitted assessment reads them in its version.
    current_level = models.ForeignKey(
        Level, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    target_level = models.ForeignKey(
        Level, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    track_key = models.CharField(max_length=50, blank=True, editable=False)
    current_level_code = models.CharField(max_length=20, blank=True, editable=False)
    target_level_code = models.CharField(max_length=20, blank=True, editable=False)
    # On submit: the ladder version the ratings were made against. Every text and level name
    # of a submitted assessment is read from it, so that a later edit of the ladder never
    # rewrites history.
    ladder_version = models.ForeignKey(
        LadderVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    submitted_at = models.DateTimeField(null=True, blank=True, editable=False)
    shared_at = models.DateTimeField(null=True, blank=True, editable=False)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-cycle__start", "kind", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "subject"],
                condition=Q(kind="self"),
                name="one_self_assessment_per_cycle",
            ),
            models.UniqueConstraint(
                fields=["cycle", "subject", "author"],
                condition=Q(kind="manager"),
                name="one_manager_assessment_per_manager_and_cycle",
            ),
            models.CheckConstraint(
                condition=Q(kind="self", author=models.F("subject")) | Q(kind="manager"),
                name="a_self_assessment_is_by_its_subject",
            ),
        ]
        # A person's assessments, all cycles (history) or one (standing, round, dashboard):
        # the partial unique constraints above serve only queries that name the kind.
        indexes = [models.Index(fields=["subject", "cycle"], name="assessment_subject_cycle")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.subject} · {self.cycle}"

    def get_absolute_url(self) -> str:
        return reverse("reviews:assessment", args=[self.pk])

    @property
    def is_submitted(self) -> bool:
        return self.state == State.SUBMITTED

    @property
    def is_self(self) -> bool:
        return self.kind == Kind.SELF

    @cached_property
    def frozen_track(self) -> TrackSpec | None:
        """The track as its version recorded it, for a submitted assessment; None for a draft,
        which reads the live ladder."""
        version = self.ladder_version if self.is_submitted else None
        if version is None:
            return None
        # By the key it had when submitted: renaming the live track's key changes nothing here.
        key = self.track_key or self.track.key
        return version.spec.track(key) or TrackSpec(key, "")

    def frozen_level(self, code: str) -> LevelSpec | None:
        return self.frozen_track.level(code) if self.frozen_track else None

    def _label(self, level: Level | None, code: str) -> str:
        if self.frozen_track is not None:
            frozen = self.frozen_track.level(code)
            return frozen.label if frozen else code
        return level.label if level else ""

    @property
    def current_label(self) -> str:
        return self._label(self.current_level, self.current_level_code)

    @property
    def target_label(self) -> str:
        return self._label(self.target_level, self.target_level_code)

    def rating_label(self, rating: Rating, *, short: bool = False) -> str:
        """The level a rating names, as it read in the version the assessment was submitted
        against: renaming or removing a level later does not rewrite history."""
        if rating.below_first_level:
            return "<" if short else "Below the first level"
        if self.frozen_track is not None and rating.level_code:
            level = self.frozen_track.level(rating.level_code)
            if level is None:
                return rating.level_code
            return level.code if short else level.label
        live = rating.level
        if live is None:
            return "—" if short else "Not rated"
        return live.code if short else live.label

    def dimension_of(self, rating: Rating) -> DimensionSpec:
        """The rated dimension, as the version recorded it (it may have left the ladder since)."""
        version = self.ladder_version if self.is_submitted else None
        if version is not None:
            frozen = version.spec.dimension(rating.dimension_key)
            if frozen is not None:
                return frozen
        dimension = rating.dimension
        if dimension is not None:
            return DimensionSpec(dimension.key, dimension.name, dimension.description)
        return DimensionSpec(rating.dimension_key, rating.dimension_key)

    def expectation_text(self, level_code: str, dimension_key: str) -> str | None:
        """What a level expected on a dimension in this assessment's version."""
        level = self.frozen_level(level_code)
        expectation = level.expectations.get(dimension_key) if level else None
        return expectation.summary if expectation else None


class Rating(models.Model):
    """One dimension of an assessment: the level whose expectation fits best (or below the
    first level), a comment, and brag entries as evidence."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="ratings")
    # The live dimension and level, while they exist; the keys stay when they leave the ladder,
    # and a submitted assessment reads them in its ladder version.
    dimension = models.ForeignKey(
        Dimension, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    level = models.ForeignKey(
        Level, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    dimension_key = models.CharField(max_length=50, default="", editable=False)
    level_code = models.CharField(max_length=20, blank=True, editable=False)
    below_first_level = models.BooleanField(default=False)
    comment = models.TextField(max_length=2000, blank=True)
    evidence = models.ManyToManyField(BragEntry, blank=True, related_name="+")
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["assessment", "dimension__order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "dimension_key"], name="one_rating_per_dimension"
            ),
            models.CheckConstraint(
                condition=Q(level__isnull=True) | Q(below_first_level=False),
                name="a_rating_is_a_level_or_below_the_first",
            ),
        ]

    def __str__(self) -> str:
        # Pages label ratings through Assessment.rating_label, which reads the version.
        return f"{self.dimension_key}: {self.assessment.rating_label(self)}"

    def save(self, *args: object, **kwargs: object) -> None:
        # The natural keys follow the live objects while there are any.
        if self.dimension is not None:
            self.dimension_key = self.dimension.key
        self.level_code = self.level.code if self.level is not None else ""
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "dimension_key", "level_code"}  # type: ignore[misc]
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def is_rated(self) -> bool:
        return self.level_id is not None or self.below_first_level


# The rest of the app's models live beside this file, one module per concept.
from .note_models import ReviewNote, ReviewNoteVersion  # noqa: E402
from .packet_models import (  # noqa: E402
    MatrixRow,
    PacketEdit,
    PacketProject,
    PromotionDecision,
    PromotionPacket,
    PromotionRound,
)

__all__ = [
    "Assessment",
    "MatrixRow",
    "PacketEdit",
    "PacketProject",
    "PromotionDecision",
    "PromotionPacket",
    "PromotionRound",
    "Rating",
    "ReviewCycle",
    "ReviewNote",
    "ReviewNoteVersion",
]
