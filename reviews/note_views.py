"""Review notes: a person's notes (list and write), one note (read and edit, with the conflict
view when someone saved first), share, delete with undo, and the history of versions with a
word diff. Who sees what is asked of ReviewNote.objects, never decided here."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect, reswap, retarget

from careerladder.feedback import announce
from careerladder.ids import parse_id
from careerladder.typing import AuthenticatedRequest
from ladder.version_diff import word_diff
from people.models import User

from .form_focus import focus_first_error
from .note_forms import NoteFilterForm, ReviewNoteForm, VersionPairForm
from .note_models import ReviewNote, ReviewNoteQuerySet
from .note_services import (
    StaleEdit,
    create_note,
    delete_note,
    edit_note,
    notes_shareable_by,
    restore_note,
    share_note,
    unshare_note,
)

LIST = "reviews/notes.html"
PAGE = "reviews/note.html"
HISTORY = "reviews/note_history.html"
REFUSED = "Nothing was saved: see the fields marked."


def _is_fragment(request: AuthenticatedRequest) -> bool:
    return bool(request.htmx) and not request.htmx.history_restore_request


def _listed(user: User) -> ReviewNoteQuerySet:
    """Notes as a list shows them: readable, not deleted, with what every card needs."""
    return (
        ReviewNote.objects.visible_to(user)
        .alive()
        .select_related("subject", "author", "updated_by", "cycle")
        .annotate(version_count=Count("versions"))
    )


def _with_permissions(user: User, notes: list[ReviewNote], *, is_manager: bool) -> list[ReviewNote]:
    """Each note knows whether this user may change it and share it (the answers come from
    the access querysets: a manager of the subject edits; only the author shares)."""
    shareable = (
        set(
            notes_shareable_by(user)
            .filter(pk__in=[n.pk for n in notes])
            .values_list("pk", flat=True)
        )
        if is_manager and notes
        else set()
    )
    for note in notes:
        note.can_edit = is_manager  # type: ignore[attr-defined]
        note.can_share = note.pk in shareable  # type: ignore[attr-defined]
    return notes


def _list_context(
    request: AuthenticatedRequest, person: User, *, is_manager: bool
) -> dict[str, Any]:
    # Its own ids: the form for writing a note is on the same page, with a cycle field too.
    filters = NoteFilterForm(request.GET, auto_id="id_filter_%s")
    notes = filters.apply(_listed(request.user).filter(subject=person))
    return {
        "person": person,
        "is_manager": is_manager,
        "is_subject": person.pk == request.user.pk,
        "filters": filters,
        "notes": _with_permissions(request.user, list(notes), is_manager=is_manager),
    }


def _undoable(request: AuthenticatedRequest, person: User) -> ReviewNote | None:
    """After a delete without JavaScript, the list offers to undo it."""
    pk = parse_id(request.GET.get("undo", ""))
    if pk is None:
        return None
    return (
        ReviewNote.objects.editable_by(request.user)
        .filter(subject=person, pk=pk, deleted_at__isnull=False)
        .first()
    )


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def note_list(request: AuthenticatedRequest, person_id: int) -> HttpResponse:
    """A person's notes: all of them for their managers, the shared ones for the person."""
    user = request.user
    managed = User.objects.reports_of(user).values("pk")
    person = get_object_or_404(User.objects.filter(Q(pk=user.pk) | Q(pk__in=managed)), pk=person_id)
    is_manager = User.objects.reports_of(user).filter(pk=person.pk).exists()
    if request.method == "POST":
        if not is_manager:
            raise Http404("Only the person's managers write notes about them.")
        return _create(request, person)
    context = _list_context(request, person, is_manager=is_manager)
    if _is_fragment(request) and request.htmx.target == "notes":
        count = len(context["notes"])
        said = f"{count} note{'' if count == 1 else 's'} listed." if count else "No notes listed."
        return announce(render(request, f"{LIST}#notes", context), said)
    if is_manager:
        context["form"] = ReviewNoteForm()
        context["undo_note"] = _undoable(request, person)
    return render(request, LIST, context)


def _create(request: AuthenticatedRequest, person: User) -> HttpResponse:
    form = ReviewNoteForm(request.POST)
    if not form.is_valid():
        if request.htmx:
            focus_first_error(form)
            response = render(
                request, f"{LIST}#write", {"form": form, "person": person}, status=422
            )
            return announce(reswap(retarget(response, "#write-note"), "outerHTML"), REFUSED)
        context = _list_context(request, person, is_manager=True) | {"form": form}
        return render(request, LIST, context, status=422)
    note = create_note(
        person,
        request.user,
        title=form.cleaned_data["title"],
        body=form.cleaned_data["body"],
        cycle=form.cleaned_data["cycle"],
    )
    if request.htmx:
        context = _list_context(request, person, is_manager=True) | {
            "form": ReviewNoteForm(),
            "new_note_id": note.pk,
            "focus_note_id": note.pk,
            "form_oob": True,
        }
        said = f"Saved “{note.title}”. It is private until you share it."
        return announce(render(request, f"{LIST}#created", context), said)
    messages.success(request, f"Saved “{note.title}”. It is private until you share it.")
    return redirect("reviews:notes", person.pk)


def _page_context(request: AuthenticatedRequest, note: ReviewNote) -> dict[str, Any]:
    can_edit = ReviewNote.objects.editable_by(request.user).filter(pk=note.pk).exists()
    _with_permissions(request.user, [note], is_manager=can_edit)
    return {"note": note}


def _readable(request: AuthenticatedRequest, pk: int) -> ReviewNote:
    return get_object_or_404(
        ReviewNote.objects.visible_to(request.user)
        .alive()
        .select_related("subject", "author", "updated_by", "cycle"),
        pk=pk,
    )


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def note_page(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """One note: its text for every reader; the edit form for the subject's managers."""
    if request.method == "POST":
        return _edit(request, pk)
    note = _readable(request, pk)
    context = _page_context(request, note)
    fragment = _is_fragment(request)
    if note.can_edit and request.GET.get("edit"):  # type: ignore[attr-defined]
        form = ReviewNoteForm(instance=note)
        if fragment:
            focus_first_error(form, default="title")
        context |= {"editing": True, "form": form}
    elif fragment:
        context["focus"] = "edit"  # cancelled: back to the Edit button that opened the form
    template = f"{PAGE}#note" if fragment else PAGE
    return render(request, template, context)


def _edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    note = get_object_or_404(
        ReviewNote.objects.editable_by(request.user)
        .alive()
        .select_related("subject", "author", "updated_by", "cycle"),
        pk=pk,
    )
    form = ReviewNoteForm(request.POST, instance=note)
    conflict = None
    if form.is_valid():
        data = form.cleaned_data
        try:
            edit_note(
                note,
                request.user,
                data["version"],
                title=data["title"],
                body=data["body"],
                cycle=data["cycle"],
            )
        except StaleEdit:
            conflict = data
        else:
            if not request.htmx:
                messages.success(request, f"Saved version {note.version} of “{note.title}”.")
                return redirect(note)
            note = _readable(request, pk)
            context = _page_context(request, note) | {"saved": True, "focus": "note"}
            said = f"Saved version {note.version} of “{note.title}”."
            return announce(render(request, f"{PAGE}#note", context), said)

    # Refused: the note as it is now, and the form again with what they typed.
    note = _readable(request, pk)
    context = _page_context(request, note) | {"editing": True, "form": form}
    status = 422
    if conflict is not None:
        # Nothing overwritten: their text beside the current one, and a form that starts from
        # their text at the current version, so that saving again is a deliberate merge.
        context |= {
            "conflict": {
                "title": conflict["title"],
                "body": conflict["body"],
                "cycle": conflict["cycle"],
                "diff": word_diff(note.body, conflict["body"]),
            },
            "form": ReviewNoteForm(
                instance=note,
                initial={
                    "title": conflict["title"],
                    "body": conflict["body"],
                    "cycle": conflict["cycle"],
                    "version": note.version,
                },
            ),
        }
        status = 422 if request.htmx else 409
    if not request.htmx:
        return render(request, PAGE, context, status=status)
    if conflict is not None:
        context["focus"] = "conflict"
        said = "Nothing was saved: this note changed while you were editing it."
    else:
        focus_first_error(form)
        said = REFUSED
    return announce(render(request, f"{PAGE}#note", context, status=status), said)


@require_POST
def note_share(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The author shares the note with its subject (`shared=1`) or takes it back (`shared=0`).
    Anyone else, another manager included, gets a 404 and sees no button."""
    note = get_object_or_404(notes_shareable_by(request.user).alive(), pk=pk)
    if request.POST.get("shared") == "1":
        share_note(note, request.user)
        done = f"Shared with {note.subject.display_name}: they can read the current text."
    else:
        unshare_note(note, request.user)
        done = f"Private again: {note.subject.display_name} no longer reads it."
    if request.htmx:
        return announce(_changed(request, note, focus="toggle"), done)
    messages.success(request, done)
    return redirect(note)


def _changed(request: AuthenticatedRequest, note: ReviewNote, *, focus: str) -> HttpResponse:
    """After share or undo: the note again where the button was, on its page or in the list,
    with keyboard focus on the share button pressed ("toggle") or on the note ("note")."""
    if request.htmx.target == "note":
        context = _page_context(request, _readable(request, note.pk)) | {"focus": focus}
        return render(request, f"{PAGE}#note", context)
    fresh = get_object_or_404(_listed(request.user), pk=note.pk)
    _with_permissions(request.user, [fresh], is_manager=True)
    context = {"note": fresh, "is_manager": True}
    context["focus_toggle_id" if focus == "toggle" else "focus_note_id"] = fresh.pk
    return render(request, f"{LIST}#card", context)


@require_POST
def note_delete(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    note = get_object_or_404(ReviewNote.objects.editable_by(request.user).alive(), pk=pk)
    delete_note(note, request.user)
    if request.htmx and request.htmx.target != "note":
        deleted = render(request, f"{LIST}#deleted", {"note": note, "focus_undo": True})
        return announce(deleted, f"Deleted “{note.title}”.")
    url = f"{reverse('reviews:notes', args=[note.subject_id])}?undo={note.pk}"
    if request.htmx:
        # Deleted from its own page: that page is gone, the list offers the undo.
        return HttpResponseClientRedirect(url)
    return redirect(url)


@require_POST
def note_undo(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    note = get_object_or_404(
        ReviewNote.objects.editable_by(request.user).filter(deleted_at__isnull=False), pk=pk
    )
    restore_note(note, request.user)
    if request.htmx:
        return announce(_changed(request, note, focus="note"), f"Restored “{note.title}”.")
    messages.success(request, f"Restored “{note.title}”.")
    return redirect(note)


@require_GET
@vary_on_headers("HX-Request")
def note_history(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Every version of a note, and what changed between two of them, word by word. For the
    subject's managers only: a shared note's subject reads its current text, not its drafts."""
    note = get_object_or_404(
        ReviewNote.objects.editable_by(request.user)
        .alive()
        .select_related("subject", "author", "updated_by", "cycle"),
        pk=pk,
    )
    versions = list(note.versions.select_related("saved_by").order_by("-number"))
    numbers = [version.number for version in versions]
    form = VersionPairForm(request.GET or None, numbers=numbers)
    before = after = None
    title_diff = body_diff = None
    if form.is_valid():
        wanted = form.cleaned_data["from"], form.cleaned_data["to"]
        if any(number not in numbers for number in wanted):
            raise Http404("No such version of this note.")
        by_number = {version.number: version for version in versions}
        before, after = by_number[wanted[0]], by_number[wanted[1]]
        title_diff = word_diff(before.title, after.title)
        body_diff = word_diff(before.body, after.body)
    fragment = _is_fragment(request)
    template = f"{HISTORY}#diff" if fragment else HISTORY
    status = (422 if fragment else 400) if form.errors else 200
    context = {
        "note": note,
        "versions": versions,
        "form": form,
        "before": before,
        "after": after,
        "title_diff": title_diff,
        "body_diff": body_diff,
    }
    return render(request, template, context, status=status)
