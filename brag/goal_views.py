"""Goals, "What I want to do next": one list per quarter, edited in place with HTMX. Each answer
says what happened (careerladder.feedback) and where keyboard focus goes: the goal added,
toggled or restored, the Undo button after a removal, the text box after a refusal."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from careerladder.feedback import announce
from careerladder.typing import AuthenticatedRequest

from .forms import GoalForm
from .models import Goal
from .quarters import Quarter

LIST = "brag/list.html"


def _goals(request: AuthenticatedRequest, form: GoalForm | None = None, **extra: object) -> dict:
    quarter = Quarter.of(request.user.local_today())
    return {
        "goals": Goal.objects.for_quarter(request.user, quarter),
        "goal_quarter": quarter,
        "goal_form": form or GoalForm(),
        "is_owner": True,
        **extra,
    }


def _respond(
    request: AuthenticatedRequest, context: dict, message: str, status: int = 200
) -> HttpResponse:
    if request.htmx:
        return announce(render(request, f"{LIST}#goals", context, status=status), message)
    return redirect("brag:list")


@require_POST
def goal_add(request: AuthenticatedRequest) -> HttpResponse:
    form = GoalForm(request.POST)
    if not form.is_valid():
        form.fields["text"].widget.attrs["data-focus-here"] = True
        context = _goals(request, form)
        return _respond(request, context, "No goal was added: see the message.", status=422)
    quarter = Quarter.of(request.user.local_today())
    goal = form.save(commit=False)
    goal.owner, goal.year, goal.quarter = request.user, quarter.year, quarter.number
    goal.save()
    return _respond(request, _goals(request, focus_goal_id=goal.pk), f"Added “{goal.text}”.")


@require_POST
def goal_toggle(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    goal = get_object_or_404(Goal.objects.alive().filter(owner=request.user), pk=pk)
    goal.done = not goal.done
    goal.save(update_fields=["done"])
    state = "done" if goal.done else "not done"
    context = _goals(request, focus_toggle_id=goal.pk)
    return _respond(request, context, f"Marked “{goal.text}” as {state}.")


@require_POST
def goal_delete(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    goal = get_object_or_404(Goal.objects.alive().filter(owner=request.user), pk=pk)
    goal.deleted_at = timezone.now()
    goal.save(update_fields=["deleted_at"])
    return _respond(request, _goals(request, deleted_goal=goal), f"Removed “{goal.text}”.")


@require_POST
def goal_undo(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    goal = get_object_or_404(
        Goal.objects.filter(owner=request.user, deleted_at__isnull=False), pk=pk
    )
    goal.deleted_at = None
    goal.save(update_fields=["deleted_at"])
    return _respond(request, _goals(request, focus_goal_id=goal.pk), f"Restored “{goal.text}”.")
