"""Review cycles and assessments: where a person stands on each dimension, by their own account
and their manager's, with brag entries as evidence."""

from __future__ import annotations

from typing import Self

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from brag.models import BragEntry
from ladder.models import Dimension, Level, Track
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
    # The subject's levels when the assessment started, for "current and target".
    current_level = models.ForeignKey(
        Level, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    target_level = models.ForeignKey(
        Level, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # On submit: the expectation texts the ratings were made against, so that a later edit of
    # the ladder never rewrites history. See `snapshot_ladder`.
    snapshot = models.JSONField(default=dict, blank=True, editable=False)
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

    def _label(self, level: Level | None) -> str:
        if level is None:
            return ""
        frozen = self.snapshot.get("levels", {}).get(str(level.pk)) if self.is_submitted else None
        return f"{frozen['name']} ({frozen['code']})" if frozen else level.label

    @property
    def current_label(self) -> str:
        return self._label(self.current_level)

    @property
    def target_label(self) -> str:
        return self._label(self.target_level)

    def rating_label(self, rating: Rating, *, short: bool = False) -> str:
        """The level a rating names, as it read when the assessment was submitted: renaming a
        level later does not rewrite history."""
        if rating.below_first_level:
            return "<" if short else "Below the first level"
        if not rating.level_id:
            return "—" if short else "Not rated"
        level = {"code": rating.level.code, "name": rating.level.name}
        if self.is_submitted:
            level = self.snapshot.get("levels", {}).get(str(rating.level_id), level)
        return level["code"] if short else f"{level['name']} ({level['code']})"


class Rating(models.Model):
    """One dimension of an assessment: the level whose expectation fits best (or below the
    first level), a comment, and brag entries as evidence."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="ratings")
    dimension = models.ForeignKey(Dimension, on_delete=models.PROTECT, related_name="+")
    level = models.ForeignKey(
        Level, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    below_first_level = models.BooleanField(default=False)
    comment = models.TextField(max_length=2000, blank=True)
    evidence = models.ManyToManyField(BragEntry, blank=True, related_name="+")
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["assessment", "dimension__order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "dimension"], name="one_rating_per_dimension"
            ),
            models.CheckConstraint(
                condition=Q(level__isnull=True) | Q(below_first_level=False),
                name="a_rating_is_a_level_or_below_the_first",
            ),
        ]

    def __str__(self) -> str:
        # Pages label ratings through Assessment.rating_label, which honours the snapshot.
        return f"{self.dimension}: {self.assessment.rating_label(self)}"

    @property
    def is_rated(self) -> bool:
        return self.level_id is not None or self.below_first_level
