"""The level map: ladders, their tracks and levels, the dimensions they are read on, and what is
expected at each level on each dimension."""

from __future__ import annotations

from typing import Self

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Prefetch
from django.urls import reverse

# Keys of tracks and dimensions, as the ladder file format writes them.
KEY_REGEX = r"^[a-z0-9][a-z0-9_-]*$"
validate_key = RegexValidator(
    KEY_REGEX, "Use lowercase letters, digits, '-' and '_', starting with a letter or digit."
)


def _texts_error(value: object) -> str | None:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return 'Enter a list of texts, such as ["one", "two"].'
    if any(not v.strip() for v in value):
        return "Leave out empty texts."
    return None


class LadderQuerySet(models.QuerySet):
    def default(self) -> Ladder | None:
        """The ladder pages show when none is named: the oldest one, which is the default ladder
        on a fresh install."""
        return self.order_by("pk").first()


class Ladder(models.Model):
    name = models.CharField(max_length=200)
    slug = models.CharField(max_length=100, unique=True, validators=[validate_key])
    description = models.TextField(blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = LadderQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("ladder:ladder", args=[self.slug])


class Track(models.Model):
    ladder = models.ForeignKey(Ladder, on_delete=models.CASCADE, related_name="tracks")
    key = models.CharField(max_length=50, validators=[validate_key])
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["ladder", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["ladder", "key"], name="track_key_unique_in_ladder")
        ]

    def __str__(self) -> str:
        return f"{self.ladder.name} · {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("ladder:map", args=[self.ladder.slug, self.key])


class LevelQuerySet(models.QuerySet):
    def with_expectations(self) -> Self:
        """Levels with their expectations and criteria, in a fixed number of queries."""
        return self.select_related("track__ladder").prefetch_related(
            Prefetch(
                "expectations",
                queryset=Expectation.objects.select_related("dimension").prefetch_related(
                    "criteria"
                ),
            )
        )


class Level(models.Model):
    track = models.ForeignKey(Track, on_delete=models.CASCADE, related_name="levels")
    code = models.CharField(max_length=20, help_text="Short code such as L4.")
    name = models.CharField(max_length=200, help_text="Such as Senior.")
    order = models.PositiveIntegerField(default=0, help_text="Ascending: the first level is 0.")
    summary = models.TextField(blank=True)
    signals = models.JSONField(
        default=list,
        blank=True,
        help_text="Concrete signals you have made the transition to this level: a list of texts.",
    )
    holds_back = models.JSONField(
        default=list,
        blank=True,
        help_text="What holds people back from this level: a list of texts.",
    )

    objects = LevelQuerySet.as_manager()

    class Meta:
        ordering = ["track", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["track", "code"], name="level_code_unique_in_track")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def label(self) -> str:
        return f"{self.name} ({self.code})"

    def clean(self) -> None:
        errors = {}
        for field in ("signals", "holds_back"):
            problem = _texts_error(getattr(self, field))
            if problem:
                errors[field] = problem
        if errors:
            raise ValidationError(errors)

    def expectation_for(self, dimension: Dimension) -> Expectation | None:
        """This level's expectation on a dimension; uses prefetched expectations when present."""
        for expectation in self.expectations.all():
            if expectation.dimension_id == dimension.pk:
                return expectation
        return None


class Dimension(models.Model):
    ladder = models.ForeignKey(Ladder, on_delete=models.CASCADE, related_name="dimensions")
    key = models.CharField(max_length=50, validators=[validate_key])
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["ladder", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["ladder", "key"], name="dimension_key_unique_in_ladder")
        ]

    def __str__(self) -> str:
        return self.name


class Expectation(models.Model):
    """What a level asks on one dimension: a one-line summary (the level map's cell), and
    optionally the criteria that spell it out."""

    level = models.ForeignKey(Level, on_delete=models.CASCADE, related_name="expectations")
    dimension = models.ForeignKey(Dimension, on_delete=models.CASCADE, related_name="expectations")
    summary = models.TextField()

    class Meta:
        ordering = ["level", "dimension__order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["level", "dimension"], name="one_expectation_per_level_and_dimension"
            )
        ]

    def __str__(self) -> str:
        return f"{self.level.code} · {self.dimension.name}"

    def clean(self) -> None:
        if (
            self.level_id
            and self.dimension_id
            and self.dimension.ladder_id != self.level.track.ladder_id
        ):
            raise ValidationError({"dimension": "Pick a dimension of this level's ladder."})


class Criterion(models.Model):
    expectation = models.ForeignKey(Expectation, on_delete=models.CASCADE, related_name="criteria")
    text = models.TextField()
    examples = models.JSONField(default=list, blank=True, help_text="A list of texts.")
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["expectation", "order", "pk"]
        verbose_name_plural = "criteria"

    def __str__(self) -> str:
        return self.text

    def clean(self) -> None:
        problem = _texts_error(self.examples)
        if problem:
            raise ValidationError({"examples": problem})
