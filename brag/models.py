"""Brag documents: the wins people log every week, as evidence, and their goals."""

from __future__ import annotations

import datetime as dt
from typing import Any, Self

from django.db import models, transaction
from django.db.models import ProtectedError, Q, RestrictedError
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property

from ladder.models import Dimension
from people.models import User

from .markdown import render_markdown
from .quantify import is_quantified
from .quarters import Quarter

# Soft-deleted entries and goals can be undone for this long, then `purge_deleted` removes them.
UNDO_DAYS = 30


class Category(models.TextChoices):
    """The sections of the guide's brag-document template, in its order."""

    PROJECTS = "projects", "Projects"
    DESIGN = "design", "Design and Architecture"
    MENTORING = "mentoring", "Mentoring and Team Building"
    OPERATIONS = "operations", "Operational Excellence"
    LEARNING = "learning", "Learning and Growth"


class GlueKind(models.TextChoices):
    """Glue work: essential for the team, easy to overlook in a review."""

    ONBOARDING = "onboarding", "Onboarding"
    DOCUMENTATION = "documentation", "Documentation"
    FACILITATION = "facilitation", "Facilitation"
    COORDINATION = "coordination", "Cross-team coordination"
    POSTMORTEMS = "postmortems", "Postmortems"
    DESIGN_REVIEWS = "design_reviews", "Design reviews"
    MENTORING = "mentoring", "Mentoring"
    INTERVIEWING = "interviewing", "Interviewing and hiring"
    OTHER = "other", "Other glue work"


class Visibility(models.TextChoices):
    PRIVATE = "private", "Only me"
    MANAGERS = "managers", "Me and my managers"
    TEAM = "team", "My team and my managers"


class BragEntryQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> Self:
        """Entries this person may read, deleted ones excluded: their own; their reports'
        entries shared with managers or the team; their teammates' entries shared with the
        team. The one place that decides; every view and export goes through it."""
        if not user.is_authenticated:
            return self.none()
        return self.alive().filter(
            Q(owner=user)
            | Q(
                visibility__in=[Visibility.MANAGERS, Visibility.TEAM],
                owner__in=User.objects.reports_of(user).values("pk"),
            )
            | Q(visibility=Visibility.TEAM, owner__in=User.objects.teammates_of(user).values("pk"))
        )

    def editable_by(self, user: User) -> Self:
        """Only the owner writes an entry, deleted or not (so that they can undo)."""
        return self.filter(owner=user) if user.is_authenticated else self.none()

    def alive(self) -> Self:
        return self.filter(deleted_at__isnull=True)

    def in_quarter(self, quarter: Quarter) -> Self:
        return self.filter(date__gte=quarter.start, date__lte=quarter.end)

    def with_tags(self) -> Self:
        return self.select_related("owner").prefetch_related("dimensions")

    def newest_first(self) -> Self:
        return self.order_by("-date", "-created", "-pk")


class BragEntry(models.Model):
    owner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="brag_entries")
    date = models.DateField("date of the work", default=timezone.localdate)
    title = models.CharField(max_length=200)
    category = models.CharField(max_length=20, choices=Category.choices)
    role = models.TextField("my role", max_length=2000, blank=True)
    impact = models.TextField(max_length=4000)
    skills = models.TextField("skills demonstrated", max_length=1000, blank=True)
    links = models.JSONField(default=list, blank=True)
    dimensions = models.ManyToManyField(Dimension, blank=True, related_name="brag_entries")
    glue_kind = models.CharField("glue work", max_length=20, choices=GlueKind.choices, blank=True)
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.MANAGERS
    )
    # Markdown rendered and sanitised on save: pages show these, never the raw text as HTML.
    role_html = models.TextField(blank=True, editable=False)
    impact_html = models.TextField(blank=True, editable=False)
    skills_html = models.TextField(blank=True, editable=False)
    # Bumped on every save; an edit form carries the version it started from, so that a
    # concurrent edit is detected instead of silently overwritten.
    version = models.PositiveIntegerField(default=1, editable=False)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    deleted_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = BragEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-created", "-pk"]
        verbose_name_plural = "brag entries"
        # Every page reads live entries (deleted_at IS NULL) of a few owners, so the indexes
        # are partial: the undo bin never bloats them, and PostgreSQL skips the deleted rows.
        indexes = [
            # A brag document newest first: its pages, in the order they show, and its quarters.
            models.Index(
                fields=["owner", "-date", "-created", "-id"],
                condition=Q(deleted_at__isnull=True),
                name="brag_alive_owner_newest",
            ),
            # What others' figures count, read from the index alone (no table rows): the
            # access rule's visibility, the date, glue kind, category, and the key that
            # Count("pk") and joins name. The manager's "last entry", the team's glue figures
            # and signals, the round's glue shares, my balance, and the glue filter.
            models.Index(
                fields=["owner", "visibility", "date", "glue_kind", "category", "id"],
                condition=Q(deleted_at__isnull=True),
                name="brag_alive_owner_figures",
            ),
            # "Logged this week?" on every home and brag page.
            models.Index(
                fields=["owner", "created"],
                condition=Q(deleted_at__isnull=True),
                name="brag_alive_owner_created",
            ),
            # The undo bin and purge_deleted: a few rows, never a whole-table read.
            models.Index(
                fields=["deleted_at"],
                condition=Q(deleted_at__isnull=False),
                name="brag_deleted_at",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.role_html = render_markdown(self.role)
        self.impact_html = render_markdown(self.impact)
        self.skills_html = render_markdown(self.skills)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return self.url

    @cached_property
    def url(self) -> str:
        return reverse("brag:detail", args=[self.pk])

    # A page lists many entries, each with edit and delete buttons: both paths are built from
    # the one reverse() above (brag/urls.py nests them under the entry's own path), which
    # tests/brag/test_list.py checks against reverse().
    @property
    def edit_url(self) -> str:
        return f"{self.url}edit/"

    @property
    def delete_url(self) -> str:
        return f"{self.url}delete/"

    @property
    def date_label(self) -> str:
        """The date as the list shows it ("Fri 20 Nov 2026"), without a template filter per
        entry."""
        return f"{self.date:%a} {self.date.day} {self.date:%b %Y}"

    @property
    def quarter(self) -> Quarter:
        return Quarter.of(self.date)

    @property
    def is_quantified(self) -> bool:
        return is_quantified(self.impact)

    def soft_delete(self) -> None:
        self.deleted_at = timezone.now()
        BragEntry.objects.filter(pk=self.pk).update(deleted_at=self.deleted_at)

    def restore(self) -> None:
        self.deleted_at = None
        BragEntry.objects.filter(pk=self.pk).update(deleted_at=None)


def brag_owners_visible_to(user: User) -> models.QuerySet[User]:
    """Whose brag document `user` may open at all: their own, their reports' and their
    teammates'. Which entries they then see is `BragEntry.objects.visible_to`'s answer."""
    return User.objects.filter(
        Q(pk=user.pk)
        | Q(pk__in=User.objects.reports_of(user).values("pk"))
        | Q(pk__in=User.objects.teammates_of(user).values("pk"))
    )


class GoalQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> Self:
        """Goals are their owner's alone: the access table gives them to nobody else. An
        engineer shares them by exporting their own document."""
        return self.alive().filter(owner=user) if user.is_authenticated else self.none()

    def alive(self) -> Self:
        return self.filter(deleted_at__isnull=True)

    def for_quarter(self, owner: User, quarter: Quarter) -> Self:
        return self.alive().filter(owner=owner, year=quarter.year, quarter=quarter.number)


class Goal(models.Model):
    """One line of "What I want to do next" for a quarter. Goals belong to their owner alone."""

    owner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="brag_goals")
    year = models.PositiveIntegerField()
    quarter = models.PositiveSmallIntegerField(choices=[(n, f"Q{n}") for n in range(1, 5)])
    text = models.CharField(max_length=500)
    text_html = models.TextField(blank=True, editable=False)
    done = models.BooleanField(default=False)
    created = models.DateTimeField(auto_now_add=True)
    deleted_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = GoalQuerySet.as_manager()

    class Meta:
        ordering = ["created", "pk"]

    def __str__(self) -> str:
        return self.text

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.text_html = render_markdown(self.text)
        super().save(*args, **kwargs)

    @property
    def period(self) -> Quarter:
        return Quarter(self.year, self.quarter)


def purge_deleted(now: dt.datetime | None = None) -> tuple[int, int]:
    """Remove entries and goals deleted more than UNDO_DAYS ago, for good. An entry that a
    record which must not change still refers to (a promotion packet's project) is kept,
    deleted, until that record goes."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=UNDO_DAYS)
    entries = 0
    for entry in BragEntry.objects.filter(deleted_at__lt=cutoff).only("pk"):
        try:
            with transaction.atomic():
                entry.delete()
        except (ProtectedError, RestrictedError):
            continue
        entries += 1
    _, goals = Goal.objects.filter(deleted_at__lt=cutoff).delete()
    return entries, goals.get("brag.Goal", 0)


def ladder_dimensions_for(person: User) -> models.QuerySet[Dimension]:
    """The dimensions a person can tag: those of their ladder (their track's, else their team's,
    else the default ladder)."""
    ladder = person.ladder()
    if ladder is None:
        return Dimension.objects.none()
    return Dimension.objects.filter(ladder=ladder).order_by("order", "pk")


class GlueRecognition(models.Model):
    """A manager acknowledges a glue entry: the work was seen. One per manager and entry."""

    entry = models.ForeignKey(BragEntry, on_delete=models.CASCADE, related_name="recognitions")
    by = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    comment = models.CharField(max_length=500, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["entry", "created", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "by"], name="one_recognition_per_manager")
        ]

    def __str__(self) -> str:
        return f"Recognition {self.pk}"
