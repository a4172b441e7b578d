"""Recognition of glue work: a manager acknowledges a report's glue entry ("the work was
seen"), optionally with a comment. The rule of who may acknowledge what lives here alone."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from people.models import User

from .models import BragEntry, BragEntryQuerySet, GlueRecognition


class NotGlueWork(Exception):
    """Only glue work is acknowledged; the refusal says why, and nothing changes."""

    message = "Only glue work can be acknowledged: this entry has no glue kind."


def recognisable_by(user: User) -> BragEntryQuerySet:
    """Entries `user` may acknowledge, glue or not: those they may read whose owner is one of
    their reports. Anything else answers 404, as if it did not exist. Whether the entry is
    glue work is checked by `recognise`, which refuses with a message."""
    if not user.is_authenticated:
        return BragEntry.objects.none()
    return BragEntry.objects.visible_to(user).filter(
        owner__in=User.objects.reports_of(user).values("pk")
    )


def may_recognise(user: User, person: User) -> bool:
    """Whether `user` acknowledges glue work in `person`'s document: `person` is their report."""
    return user.is_authenticated and User.objects.reports_of(user).filter(pk=person.pk).exists()


def recognise(entry: BragEntry, by: User, comment: str = "") -> tuple[GlueRecognition, bool]:
    """Acknowledge `entry` as `by`; return the recognition and whether it is new.

    Idempotent: a manager acknowledges an entry once. A second call keeps the first
    recognition as it was, comment included, and changes nothing."""
    if not recognisable_by(by).filter(pk=entry.pk).exists():
        raise PermissionDenied
    if not entry.glue_kind:
        raise NotGlueWork(NotGlueWork.message)
    existing = GlueRecognition.objects.filter(entry=entry, by=by).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            return GlueRecognition.objects.create(entry=entry, by=by, comment=comment), True
    except IntegrityError:  # the same manager, twice at once: the first one stands
        return GlueRecognition.objects.get(entry=entry, by=by), False


def with_recognitions[Entries: QuerySet](entries: Entries, viewer: User) -> Entries:
    """Entries with who recognised them (one query for the page, whatever its length) and
    `recognised_by_viewer`, so a manager's button knows it was already pressed."""
    return entries.prefetch_related(
        Prefetch("recognitions", queryset=GlueRecognition.objects.select_related("by"))
    ).annotate(
        recognised_by_viewer=Exists(
            GlueRecognition.objects.filter(entry=OuterRef("pk"), by_id=viewer.pk)
        )
    )
