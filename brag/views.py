"""My brag document: list, quick add, inline edit, delete with undo, and someone else's
document read through the access rules."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from careerladder.feedback import announce
from careerladder.ids import parse_id
from careerladder.typing import AuthenticatedRequest
from people.models import User

from .balance import balance_of
from .document import group_entries, logged_this_week, quarter_tally
from .forms import BragEntryForm, BragFilterForm, GoalForm
from .models import BragEntry, Goal, brag_owners_visible_to
from .quantify import HINT, is_quantified
from .quarters import Quarter
from .recognition import may_recognise, with_recognitions

# Twenty entries is five weeks for most people; older ones are a page away. Fifty made the
# page cost several times the budget (a rendered partial per entry).
PAGE_SIZE = 20
LIST = "brag/list.html"


def _page(
    request: AuthenticatedRequest, person: User, params: QueryDict | None = None
) -> dict[str, Any]:
    """Everything the entries section shows: filtered, paginated, grouped."""
    params = request.GET if params is None else params
    filters = BragFilterForm(params, owner=person, viewer=request.user)
    entries = BragEntry.objects.visible_to(request.user).filter(owner=person).with_tags()
    entries = filters.apply(with_recognitions(entries, request.user))
    page = Paginator(entries.newest_first(), PAGE_SIZE).get_page(params.get("page"))
    query = params.copy()
    query.pop("page", None)
    return {
        "person": person,
        "is_owner": person.pk == request.user.pk,
        "can_recognise": person.pk != request.user.pk and may_recognise(request.user, person),
        "filters": filters,
        "page": page,
        "groups": group_entries(page.object_list),
        "filter_query": query.urlencode(),
    }


def _owner_context(request: AuthenticatedRequest) -> dict[str, Any]:
    user = request.user
    quarter = Quarter.of(user.local_today())
    return {
        "tally": quarter_tally(user),
        "goals": Goal.objects.for_quarter(user, quarter),
        "goal_quarter": quarter,
        "goal_form": GoalForm(),
        "nudge": not logged_this_week(user),
        "balance": balance_of(user),
    }


def _wants_entries_only(request: AuthenticatedRequest) -> bool:
    """The filters swap only the entries; a history restore (Back) needs the whole page."""
    htmx = request.htmx
    return bool(htmx) and htmx.target == "entries" and not htmx.history_restore_request


@require_GET
@vary_on_headers("HX-Request")
def brag_list(request: AuthenticatedRequest) -> HttpResponse:
    context = _page(request, request.user)
    if _wants_entries_only(request):
        return render(request, f"{LIST}#filtered", context)
    context |= _owner_context(request)
    context["form"] = BragEntryForm(owner=request.user)
    context["undo_entry"] = _undoable(request)
    return render(request, LIST, context)


def _undoable(request: AuthenticatedRequest) -> BragEntry | None:
    """After a delete without JavaScript, the list offers to undo it."""
    pk = parse_id(request.GET.get("undo", ""))
    if pk is None:
        return None
    return (
        BragEntry.objects.editable_by(request.user).filter(pk=pk, deleted_at__isnull=False).first()
    )


@require_GET
@vary_on_headers("HX-Request")
def person_brag(request: AuthenticatedRequest, person_id: int) -> HttpResponse:
    """Someone else's brag document, as far as the access rules let me read it."""
    person = get_object_or_404(brag_owners_visible_to(request.user), pk=person_id)
    if person.pk == request.user.pk:
        return redirect("brag:list")
    context = _page(request, person)
    if _wants_entries_only(request):
        return render(request, f"{LIST}#filtered", context)
    return render(request, LIST, context)


@require_POST
def brag_add(request: AuthenticatedRequest) -> HttpResponse:
    form = BragEntryForm(request.POST, owner=request.user)
    if not form.is_valid():
        if request.htmx:
            form.focus()
            response = render(request, f"{LIST}#quick_add", {"form": form}, status=422)
            response["HX-Retarget"] = "#quick-add"
            response["HX-Reswap"] = "outerHTML"
            return announce(response, "Nothing was added: see the fields marked.")
        return render(
            request,
            LIST,
            {**_page(request, request.user), **_owner_context(request), "form": form},
            status=422,
        )
    entry = form.save(commit=False)
    entry.owner = request.user
    entry.save()
    form.save_m2m()
    if request.htmx:
        # Re-render the list as the page shows it: with the filters in the browser's URL.
        current = urlsplit(request.htmx.current_url or "").query
        context = _page(request, request.user, QueryDict(current)) | {
            "form": BragEntryForm(owner=request.user),
            "tally": quarter_tally(request.user),
            "new_entry_id": entry.pk,
            "focus_entry_id": entry.pk,
            "form_oob": True,
        }
        hidden = entry not in context["page"].object_list
        context["added_but_hidden"] = entry if hidden else None
        message = f"Added “{entry.title}”." + (" Your filters hide it." if hidden else "")
        return announce(render(request, f"{LIST}#added", context), message)
    messages.success(request, f"Added “{entry.title}”.")
    return redirect("brag:list")


@require_GET
def brag_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(BragEntry.objects.visible_to(request.user).with_tags(), pk=pk)
    if request.htmx:
        # Cancelling an inline edit: back to the Edit link that opened it.
        return render(request, f"{LIST}#entry", {"entry": entry, "focus_edit_id": entry.pk})
    return render(request, "brag/entry.html", {"entry": entry})


@require_http_methods(["GET", "POST"])
def brag_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(BragEntry.objects.editable_by(request.user).alive(), pk=pk)
    if request.method == "GET":
        form = BragEntryForm(instance=entry, owner=request.user)
        if request.htmx:
            form.focus()
        template = f"{LIST}#entry_form" if request.htmx else "brag/entry.html"
        return render(request, template, {"entry": entry, "form": form, "editing": True})

    with transaction.atomic():
        entry = get_object_or_404(
            BragEntry.objects.select_for_update().editable_by(request.user).alive(), pk=pk
        )
        form = BragEntryForm(request.POST, instance=entry, owner=request.user)
        if form.is_valid() and form.is_stale():
            form.add_error(
                None,
                "This entry changed somewhere else (another tab?) since you opened it. "
                "Nothing was saved: copy your text, reload, and apply it again.",
            )
        if form.is_valid():
            entry = form.save(commit=False)
            entry.version += 1
            entry.save()
            form.save_m2m()
    if form.errors:
        context = {"entry": BragEntry.objects.get(pk=pk), "form": form, "editing": True}
        if not request.htmx:
            return render(request, "brag/entry.html", context, status=422)
        form.focus()
        response = render(request, f"{LIST}#entry_form", context, status=422)
        return announce(response, "Nothing was saved: see the fields marked.")
    entry = BragEntry.objects.with_tags().get(pk=pk)
    if request.htmx:
        return announce(_entry_changed(request, entry), f"Saved “{entry.title}”.")
    messages.success(request, f"Saved “{entry.title}”.")
    return redirect("brag:list")


def _entry_changed(
    request: AuthenticatedRequest, entry: BragEntry, *, deleted: bool = False
) -> HttpResponse:
    """The entry (or its undo notice) in place, and this quarter's tally out of band. Focus
    goes to what is there now: the entry, or the Undo button."""
    context = {
        "entry": entry,
        "deleted": deleted,
        "new_entry_id": None if deleted else entry.pk,
        "focus_entry_id": None if deleted else entry.pk,
        "focus_undo": deleted,
        "tally": quarter_tally(request.user),
    }
    return render(request, f"{LIST}#entry_changed", context)


@require_POST
def brag_delete(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(BragEntry.objects.editable_by(request.user).alive(), pk=pk)
    entry.soft_delete()
    if request.htmx:
        return announce(_entry_changed(request, entry, deleted=True), f"Deleted “{entry.title}”.")
    return redirect(f"{reverse('brag:list')}?undo={entry.pk}")


@require_POST
def brag_undo(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(
        BragEntry.objects.editable_by(request.user).filter(deleted_at__isnull=False), pk=pk
    )
    entry.restore()
    if request.htmx:
        restored = _entry_changed(request, BragEntry.objects.with_tags().get(pk=pk))
        return announce(restored, f"Restored “{entry.title}”.")
    messages.success(request, f"Restored “{entry.title}”.")
    return redirect("brag:list")


@require_POST
def quantify_hint(request: AuthenticatedRequest) -> HttpResponse:
    """While the impact is typed: a hint when it holds no number. Never blocks saving."""
    impact = request.POST.get("impact", "")
    show = bool(impact.strip()) and not is_quantified(impact)
    return render(
        request,
        f"{LIST}#impact_hint",
        {"show_hint": show, "hint": HINT, "hint_id": request.POST.get("hint_id", "impact-hint")},
    )
