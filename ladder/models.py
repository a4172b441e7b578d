"""The level map: ladders, their tracks and levels, the dimensions they are read on, and what is
expected at each level on each dimension."""

from __future__ import annotations

from functools import cached_property
from typing import Self, cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import timezone

from .spec import LadderSpec, ParsedSpecs

# A version's content never changes once recorded, so its parsed spec is shared by every request
# of the process (a round of seventy packets reads one version seventy times). A ladder has a
# version per change; this holds far more versions than pages read at once.
PARSED_SPECS = ParsedSpecs(size=256)

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


class LadderQuerySet(models.QuerySet["Ladder"]):
    def default(self) -> Ladder | None:
        """The ladder for a team that names none, and for pages that name none: the one flagged
        as the default (exactly one is, once any ladder exists)."""
        return self.filter(is_default=True).first()

    def get_by_natural_key(self, slug: str) -> Ladder:
        return cast(Ladder, self.get(slug=slug))


class Ladder(models.Model):
    name = models.CharField(max_length=200)
    slug = models.CharField(max_length=100, unique=True, validators=[validate_key])
    description = models.TextField(blank=True)
    attribution = models.TextField(
        blank=True, help_text="Licence or attribution of the framework, shown under the level map."
    )
    is_default = models.BooleanField(
        "default ladder",
        default=False,
        help_text="The ladder of every team that names none. Exactly one ladder is the default.",
    )
    # Where the content last came from: a file's format and name, or the admin.
    source_format = models.CharField(max_length=50, blank=True, editable=False)
    source_name = models.CharField(max_length=255, blank=True, editable=False)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = LadderQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="one_default_ladder"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("ladder:ladder", args=[self.slug])

    # Natural keys: the instance export (portability) names rows by these, so that it does
    # not depend on database ids; they are the keys the ladder file format uses already.
    def natural_key(self) -> tuple[str]:
        return (self.slug,)


class TrackManager(models.Manager["Track"]):
    def get_by_natural_key(self, ladder_slug: str, key: str) -> Track:
        return self.get(ladder__slug=ladder_slug, key=key)


class Track(models.Model):
    ladder = models.ForeignKey(Ladder, on_delete=models.CASCADE, related_name="tracks")
    key = models.CharField(max_length=50, validators=[validate_key])
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    order = models.PositiveIntegerField(default=0)

    objects = TrackManager()

    class Meta:
        ordering = ["ladder", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["ladder", "key"], name="track_key_unique_in_ladder")
        ]

    def __str__(self) -> str:
        return f"{self.ladder.name} · {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("ladder:map", args=[self.ladder.slug, self.key])

    def natural_key(self) -> tuple[str, str]:
        return (self.ladder.slug, self.key)

    natural_key.dependencies = ["ladder.ladder"]  # type: ignore[attr-defined]


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

    def get_by_natural_key(self, ladder_slug: str, track_key: str, code: str) -> Level:
        return cast(
            Level, self.get(track__ladder__slug=ladder_slug, track__key=track_key, code=code)
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

    def natural_key(self) -> tuple[str, str, str]:
        return (*self.track.natural_key(), self.code)

    natural_key.dependencies = ["ladder.track"]  # type: ignore[attr-defined]

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


class DimensionManager(models.Manager["Dimension"]):
    def get_by_natural_key(self, ladder_slug: str, key: str) -> Dimension:
        return self.get(ladder__slug=ladder_slug, key=key)


class Dimension(models.Model):
    ladder = models.ForeignKey(Ladder, on_delete=models.CASCADE, related_name="dimensions")
    key = models.CharField(max_length=50, validators=[validate_key])
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    order = models.PositiveIntegerField(default=0)

    objects = DimensionManager()

    class Meta:
        ordering = ["ladder", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["ladder", "key"], name="dimension_key_unique_in_ladder")
        ]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str, str]:
        return (self.ladder.slug, self.key)

    natural_key.dependencies = ["ladder.ladder"]  # type: ignore[attr-defined]


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
    ref = models.CharField(
        "source id", max_length=200, blank=True, help_text="The framework's own id for it."
    )
    proficiency = models.CharField(max_length=200, blank=True)
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


class VersionSource(models.TextChoices):
    IMPORT = "import", "manage.py import_ladder"
    UPLOAD = "upload", "the import page"
    ADMIN = "admin", "the admin"
    DEFAULT = "default", "the default ladder"
    MIGRATION = "migration", "content before versions were kept"


class LadderVersionManager(models.Manager["LadderVersion"]):
    def get_by_natural_key(self, ladder_slug: str, number: int) -> LadderVersion:
        return self.get(ladder__slug=ladder_slug, number=number)


class LadderVersion(models.Model):
    """An immutable, numbered record of a ladder's whole content, by natural keys (see
    LadderSpec.to_content). Every change of content makes one; what must not change later (a
    submitted assessment, a packet) points at one and reads its texts and names from it."""

    ladder = models.ForeignKey(Ladder, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    content = models.JSONField(editable=False)
    content_hash = models.CharField(max_length=64, editable=False)
    # Figures for the history page, so it need not read every version's content.
    counts = models.JSONField(default=dict, editable=False)
    created = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    source = models.CharField(max_length=20, choices=VersionSource.choices, editable=False)
    source_format = models.CharField(max_length=50, blank=True, editable=False)
    source_name = models.CharField(max_length=255, blank=True, editable=False)

    objects = LadderVersionManager()

    class Meta:
        ordering = ["ladder", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["ladder", "number"], name="version_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.ladder.name} v{self.number}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise ValueError("A ladder version never changes once recorded.")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return f"{self.ladder.get_absolute_url()}?version={self.number}"

    def natural_key(self) -> tuple[str, int]:
        return (self.ladder.slug, self.number)

    natural_key.dependencies = ["ladder.ladder"]  # type: ignore[attr-defined]

    @cached_property
    def spec(self) -> LadderSpec:
        """The content, parsed once per process: shared, so never change what it returns.
        The content is read only when this process has not parsed it yet, so a query may defer
        it (keeping `content_hash`)."""
        if self.pk is None:  # not recorded yet: its content may still change
            return LadderSpec.from_content(self.content)
        # With the hash, an id used again for other content (a rolled-back test) is a miss.
        key = (self._state.db, self.pk, self.content_hash)
        return PARSED_SPECS.get(key, lambda: self.content)

    @property
    def source_label(self) -> str:
        what = self.get_source_display()
        if self.source_name:
            return f"{self.source_name} ({self.source_format}) through {what}"
        return what


def content_counts(spec: LadderSpec) -> dict[str, int]:
    levels = [level for track in spec.tracks for level in track.levels]
    expectations = [e for level in levels for e in level.expectations.values()]
    return {
        "dimensions": len(spec.dimensions),
        "tracks": len(spec.tracks),
        "levels": len(levels),
        "expectations": len(expectations),
        "criteria": sum(len(e.criteria) for e in expectations),
    }
