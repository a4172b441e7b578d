"""Review notes: the one write path. Views validate a form and call one of these; every save of
the text (create and edit) records a ReviewNoteVersion, so nothing a manager wrote is lost."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from brag.markdown import render_markdown
from careerladder.editing import StaleEdit, save_if_current, saved_by_update
from people.models import User

from .models import ReviewCycle
from .note_models import ReviewNote, ReviewNoteQuerySet, ReviewNoteVersion

__all__ = [
    "StaleEdit",
    "create_note",
    "delete_note",
    "edit_note",
    "notes_shareable_by",
    "restore_note",
    "share_note",
    "unshare_note",
]


def notes_shareable_by(user: User) -> ReviewNoteQuerySet:
    """Only the author shares or unshares, and only while they still manage the subject:
    another manager reads and edits the note but does not decide what its subject reads."""
    return ReviewNote.objects.editable_by(user).filter(author=user)


def _check(allowed: ReviewNoteQuerySet, note: ReviewNote) -> None:
    if not allowed.filter(pk=note.pk).exists():
        raise PermissionDenied


def _record(note: ReviewNote, by: User) -> ReviewNoteVersion:
    return ReviewNoteVersion.objects.create(
        note=note,
        number=note.version,
        title=note.title,
        body=note.body,
        saved_by=by,
        saved_at=note.updated,
    )


def create_note(
    subject: User, by: User, *, title: str, body: str, cycle: ReviewCycle | None = None
) -> ReviewNote:
    """A private note about `subject`, written by one of their managers: version 1."""
    if not User.objects.reports_of(by).filter(pk=subject.pk).exists():
        raise PermissionDenied
    note = ReviewNote(
        subject=subject, author=by, updated_by=by, cycle=cycle, title=title, body=body
    )
    note.render()
    with transaction.atomic():
        note.save()
        _record(note, by)
    return note


def edit_note(
    note: ReviewNote,
    by: User,
    expected_version: int,
    *,
    title: str,
    body: str,
    cycle: ReviewCycle | None,
) -> ReviewNote:
    """Save a new text if nobody saved since `expected_version`; else raise StaleEdit and
    write nothing. A deleted note cannot be edited."""
    _check(ReviewNote.objects.editable_by(by).alive(), note)
    with transaction.atomic():
        save_if_current(
            note,
            expected_version,
            title=title,
            body=body,
            body_html=render_markdown(body),
            cycle=cycle,
            updated_by=by,
            # A queryset update skips auto_now: the time of this save is set here.
            updated=timezone.now(),
        )
        _record(note, by)
    return note


def share_note(note: ReviewNote, by: User) -> ReviewNote:
    """The subject reads the note's current text from now on (never its history)."""
    _check(notes_shareable_by(by).alive(), note)
    if note.shared_at is None:
        # A new version number: an edit begun before sharing is refused as stale, so that
        # nobody publishes text to the subject without seeing that it is shared now.
        _set_shared(note, timezone.now())
    return note


def unshare_note(note: ReviewNote, by: User) -> ReviewNote:
    _check(notes_shareable_by(by).alive(), note)
    if note.shared_at is not None:
        _set_shared(note, None)
    return note


def _set_shared(note: ReviewNote, when: Any) -> None:
    ReviewNote.objects.filter(pk=note.pk).update(shared_at=when, version=F("version") + 1)
    note.refresh_from_db(fields=["shared_at", "version"])
    saved_by_update.send(sender=ReviewNote, instance=note, changed=["shared_at"])


def delete_note(note: ReviewNote, by: User) -> ReviewNote:
    """Hidden everywhere until restored; the text and its versions are kept for the undo."""
    _check(ReviewNote.objects.editable_by(by).alive(), note)
    note.soft_delete()
    return note


def restore_note(note: ReviewNote, by: User) -> ReviewNote:
    _check(ReviewNote.objects.editable_by(by).filter(deleted_at__isnull=False), note)
    note.deleted_at = None
    note.save(update_fields=["deleted_at"])
    return note
