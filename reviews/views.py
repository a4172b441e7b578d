"""Assessments: start one, rate each dimension with autosave and evidence, submit, share."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib import messages
from django.db import transaction
from django.db.models import Prefetch, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from brag.models import BragEntry
from careerladder.feedback import announce
from careerladder.ids import parse_id
from careerladder.typing import AuthenticatedRequest
from people.models import User

from .evidence import count_hidden_evidence, evidence_choices
from .forms import RatingForm, track_texts
from .models import (
    Assessment,
    Kind,
    PromotionPacket,
    PromotionRound,
    Rating,
    ReviewCycle,
    State,
)
from .services import (
    AssessmentError,
    can_share,
    ensure_ratings,
    share,
    start_assessment,
    submit,
)
from .standing import ratings_for, sheet_rows

PAGE = "reviews/assessment.html"


@require_GET
def reviews_home(request: AuthenticatedRequest) -> HttpResponse:
    """My assessments per cycle and, for managers, where each report is."""
    user = request.user
    cycles = list(ReviewCycle.objects.all())
    visible = (
        Assessment.objects.visible_to(user)
        .filter(Q(subject=user) | Q(author=user))
        .select_related("cycle", "subject", "author")
    )
    mine = {(a.cycle_id, a.kind, a.author_id): a for a in visible}
    reports = list(User.objects.reports_of(user).select_related("current_level"))
    by_me = {
        (a.cycle_id, a.subject_id): a
        for a in Assessment.objects.filter(author=user, kind=Kind.MANAGER)
    }
    self_states = {
        (cycle_id, subject_id): state
        for cycle_id, subject_id, state in Assessment.objects.filter(
            kind=Kind.SELF, subject__in=reports
        ).values_list("cycle_id", "subject_id", "state")
    }
    my_packets = {p.cycle_id: p for p in PromotionPacket.objects.filter(subject=user)}
    can_start_packet = bool(user.track_id and user.current_level_id and user.target_level_id)
    # start_assessment refuses anyone without a track: offer only what can succeed.
    can_self_assess = user.track_id is not None
    rows = [
        {
            "cycle": cycle,
            "packet": my_packets.get(cycle.pk),
            "can_start_packet": can_start_packet and cycle.is_open,
            "self": mine.get((cycle.pk, Kind.SELF, user.pk)),
            "can_self_assess": can_self_assess and cycle.is_open,
            "from_managers": [
                a
                for (cycle_id, kind, author_id), a in mine.items()
                if cycle_id == cycle.pk and kind == Kind.MANAGER and a.subject_id == user.pk
            ],
            "reports": [
                {
                    "person": report,
                    "mine": by_me.get((cycle.pk, report.pk)),
                    "can_assess": cycle.is_open and report.track_id is not None,
                    # Only whether it is submitted: its content stays hidden until I submit.
                    "self_submitted": self_states.get((cycle.pk, report.pk)) == State.SUBMITTED,
                }
                for report in reports
            ],
        }
        for cycle in cycles
    ]
    rounds = PromotionRound.objects.filter(deciders=user).select_related("cycle")
    return render(
        request,
        "reviews/home.html",
        {"rows": rows, "has_reports": bool(reports), "rounds": rounds},
    )


@require_POST
def assessment_start(request: AuthenticatedRequest, cycle_id: int) -> HttpResponse:
    cycle = get_object_or_404(ReviewCycle, pk=cycle_id)
    subject_id = request.POST.get("subject", "")
    if subject_id:
        # An id outside the database's range (or "²", which isdigit() accepts) is a 404, not a 500.
        subject = get_object_or_404(
            User.objects.reports_of(request.user), pk=parse_id(subject_id) or 0
        )
        kind = Kind.MANAGER
    else:
        subject, kind = request.user, Kind.SELF
    try:
        assessment = start_assessment(cycle, subject, request.user, kind)
    except AssessmentError as error:
        messages.error(request, str(error))
        return redirect("reviews:home")
    return redirect(assessment)


def _assessment(request: AuthenticatedRequest, pk: int) -> Assessment:
    return get_object_or_404(
        Assessment.objects.visible_to(request.user)
        .select_related(
            "cycle",
            "subject",
            "author",
            "track",
            "current_level",
            "target_level",
            "ladder_version",
        )
        .prefetch_related(ratings_for(request.user)),
        pk=pk,
    )


@require_GET
def assessment_page(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    draft = (
        Assessment.objects.editable_by(request.user)
        .filter(pk=pk, state=State.DRAFT)
        .select_related("track__ladder")
        .first()
    )
    if draft is not None:
        ensure_ratings(draft)
    assessment = _assessment(request, pk)
    count_hidden_evidence(assessment.ratings.all(), assessment, request.user)
    editable = draft is not None and assessment.cycle.is_open
    # A draft is rated against the live ladder: every level's text, each shown beside its choice.
    live = {} if assessment.is_submitted else track_texts(assessment)
    rows = sheet_rows(assessment, live)
    if editable:
        for row in rows:
            row.form = RatingForm(rating=row.rating)
    signals: list[str] = []
    if assessment.frozen_track is not None:
        frozen_target = assessment.frozen_level(assessment.target_level_code)
        signals = frozen_target.signals if frozen_target else []
    elif assessment.target_level is not None:
        signals = assessment.target_level.signals
    return render(
        request,
        PAGE,
        {
            "assessment": assessment,
            "rows": rows,
            "editable": editable,
            "signals": signals,
            "rated": sum(1 for row in rows if row.rating.is_rated),
            "can_share": can_share(assessment, request.user),
            # Without JavaScript, "Submit…" reloads the page with the confirmation open.
            "confirming": editable and request.GET.get("confirm") == "submit",
        },
    )


def _editable_rating(
    request: AuthenticatedRequest, pk: int, rating_id: int, *, lock: bool = False
) -> Rating | HttpResponse:
    """The rating, if its assessment is this person's to change now; otherwise the answer that
    says why (404 for anyone else's, a message in the save line for a closed or submitted one)."""
    assessments = Assessment.objects.editable_by(request.user)
    if lock:
        assessments = assessments.select_for_update(of=("self",))
    assessment = get_object_or_404(
        assessments.select_related("track", "subject", "author", "cycle"), pk=pk
    )
    rating = get_object_or_404(
        assessment.ratings.select_related("dimension", "level").prefetch_related(
            # Only what the author may still read: an entry made private since stays hidden.
            Prefetch("evidence", queryset=BragEntry.objects.visible_to(request.user))
        ),
        pk=rating_id,
    )
    rating.assessment = assessment
    problem = None
    if assessment.is_submitted:
        problem = "Not saved: this assessment is submitted and can no longer change."
    elif not assessment.cycle.is_open:
        problem = f"Not saved: {assessment.cycle.name} is closed."
    if problem:
        response = render(
            request, f"{PAGE}#save_state", {"rating": rating, "problem": problem}, status=422
        )
        return announce(response, problem)
    count_hidden_evidence([rating], assessment, request.user)
    return rating


@require_POST
def rating_save(request: AuthenticatedRequest, pk: int, rating_id: int) -> HttpResponse:
    """Autosave of one dimension: every change posts here; the "saved" line answers."""
    with transaction.atomic():
        # Locked, so that a submit in another tab cannot slip between the check and the save.
        rating = _editable_rating(request, pk, rating_id, lock=True)
        if isinstance(rating, HttpResponse):
            return rating
        before = {entry.pk: entry for entry in rating.evidence.all()}
        form = RatingForm(request.POST, rating=rating)
        if not form.is_valid():
            response = render(
                request, f"{PAGE}#rating", {"form": form, "rating": rating}, status=422
            )
            response["HX-Retarget"] = f"#rating-{rating.pk}"
            response["HX-Reswap"] = "outerHTML"
            return announce(response, "Not saved: see the message on the field.")
        form.save()
    if request.htmx:
        # Only the "saved" line changes: swapping the inputs would eat what is being typed,
        # and keyboard focus stays on the control just changed.
        rated = sum(1 for r in rating.assessment.ratings.all() if r.is_rated)
        response = render(
            request, f"{PAGE}#saved", {"rating": rating, "saved": True, "rated": rated}
        )
        return announce(response, _what_changed(before, form.cleaned_data["evidence"]))
    return redirect(rating.assessment)


def _what_changed(before: dict[int, BragEntry], chosen: Iterable[BragEntry]) -> str:
    """What a save did, in words: attaching or removing evidence is named, the rest is saved."""
    after = {entry.pk: entry for entry in chosen}
    added = [after[pk].title for pk in after.keys() - before.keys()]
    removed = [before[pk].title for pk in before.keys() - after.keys()]
    if added and not removed:
        return "Attached as evidence: " + ", ".join(f"“{title}”" for title in added) + "."
    if removed and not added:
        return "Removed from the evidence: " + ", ".join(f"“{title}”" for title in removed) + "."
    return "Saved"


@require_GET
def evidence_picker(request: AuthenticatedRequest, pk: int, rating_id: int) -> HttpResponse:
    """The subject's entries the author may attach, those tagged with this dimension first.
    Attached entries the author can no longer see are neither listed nor dropped."""
    rating = _editable_rating(request, pk, rating_id)
    if isinstance(rating, HttpResponse):
        return rating
    attached = set(rating.evidence.values_list("pk", flat=True))
    entries = list(
        evidence_choices(rating.assessment)
        .exclude(pk__in=attached)
        .prefetch_related("dimensions")
        .order_by("-date", "-pk")
    )
    tagged = [e for e in entries if any(d.pk == rating.dimension_id for d in e.dimensions.all())]
    tagged_ids = {e.pk for e in tagged}
    others = [e for e in entries if e.pk not in tagged_ids]
    form = RatingForm(rating=rating)
    return render(
        request,
        f"{PAGE}#picker",
        {
            "rating": rating,
            "tagged": tagged,
            "others": others,
            "total": len(entries),
            "form": form,
        },
    )


@require_POST
def assessment_submit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    assessment = get_object_or_404(Assessment.objects.editable_by(request.user), pk=pk)
    try:
        submit(assessment)
    except AssessmentError as error:
        messages.error(request, str(error))
        return _go(request, assessment.get_absolute_url())
    messages.success(request, "Submitted. It is read-only from now on.")
    compare = reverse("reviews:standing", args=[assessment.subject_id])
    return _go(request, f"{compare}?cycle={assessment.cycle_id}")


def _go(request: AuthenticatedRequest, url: str) -> HttpResponse:
    """A redirect, told to htmx as a full page load (the submit button waits for autosaves)."""
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


@require_POST
def assessment_share(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    assessment = get_object_or_404(
        Assessment.objects.editable_by(request.user).filter(kind=Kind.MANAGER), pk=pk
    )
    try:
        share(assessment)
    except AssessmentError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, f"Shared with {assessment.subject.display_name}: they can read it now."
        )
    if request.POST.get("back") == "compare":  # a keyword, never a URL: no open redirect
        compare = reverse("reviews:standing", args=[assessment.subject_id])
        return redirect(f"{compare}?cycle={assessment.cycle_id}")
    return redirect(assessment)
