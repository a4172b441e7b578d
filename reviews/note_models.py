"""Review notes: what a manager writes about a report. Private to the person's managers unless
the author shares it with the person; every save kept as a version."""

from __future__ import annotations

from typing import Self

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from brag.markdown import render_markdown
from people.models import User


class ReviewNoteQuerySet(models.QuerySet):
    def alive(self) -> Self:
        return self.filter(deleted_at__isnull=True)

    def visible_to(self, user: User) -> Self:
        """Who reads a note, in one place: the subject's managers, always; the subject, once
        the author shares it. Nobody else: not teammates, not deciders, not staff."""
        if not user.is_authenticated:
            return self.none()
        reports = User.objects.reports_of(user).values("pk")
        return self.filter(Q(subject__in=reports) | Q(subject=user, shared_at__isnull=False))

    def editable_by(self, user: User) -> Self:
        """Any current manager of the subject writes, shares, deletes and restores."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(subject__in=User.objects.reports_of(user).values("pk"))


class ReviewNote(models.Model):
    subject = models.ForeignKey(User, on_delete=models.CASCADE, related_name="review_notes")
    author = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="review_notes_written"
    )
    cycle = models.ForeignKey(
        "reviews.ReviewCycle",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notes",
    )
    title = models.CharField(max_length=200)
    body = models.TextField("note", max_length=20000, blank=True)
    body_html = models.TextField(blank=True, editable=False)
    shared_at = models.DateTimeField(null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="+", editable=False
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    deleted_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ReviewNoteQuerySet.as_manager()

    class Meta:
        ordering = ["-updated", "-pk"]
        indexes = [models.Index(fields=["subject", "-updated"], name="note_subject_updated")]

    def __str__(self) -> str:
        # Never the text: this is what lists and logs print.
        return f"Review note {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("reviews:note", args=[self.pk])

    @property
    def is_shared(self) -> bool:
        return self.shared_at is not None

    def render(self) -> None:
        self.body_html = render_markdown(self.body)

    def soft_delete(self) -> None:
        self.deleted_at = timezone.now()
        self.save(update_fields=["deleted_at"])


class ReviewNoteVersion(models.Model):
    """One save of a note: who, when, the text. Never changed."""

    note = models.ForeignKey(ReviewNote, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    saved_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    saved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["note", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["note", "number"], name="note_version_unique")
        ]

    def __str__(self) -> str:
        return f"Review note {self.note_id} v{self.number}"
