"""The promotion round of a cycle: its deciders read the submitted packets side by side and
record a decision on each."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import dateformat
from django.views.decorators.http import require_GET, require_POST

from careerladder.ids import id_or_404
from careerladder.typing import AuthenticatedRequest

from .models import ReviewCycle
from .packet_models import Outcome, PromotionPacket
from .round_forms import DecisionForm
from .round_services import (
    DecisionError,
    cards,
    decide,
    packet_of_round,
    packets_of_round,
    rounds_decided_by,
)

PAGE = "reviews/round.html"


def _page(
    request: AuthenticatedRequest,
    cycle: ReviewCycle,
    forms: dict[int, DecisionForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    board = cards(packets_of_round(request.user, cycle), request.user, forms)
    waiting = sum(1 for card in board if card.decision is None)
    context = {"cycle": cycle, "cards": board, "waiting": waiting}
    return render(request, PAGE, context, status=status)


@require_GET
def round_page(request: AuthenticatedRequest, cycle_id: int) -> HttpResponse:
    """Only the cycle's deciders open it; anyone else gets 404, staff and managers included."""
    promotion_round = get_object_or_404(
        rounds_decided_by(request.user).select_related("cycle"), cycle_id=id_or_404(cycle_id)
    )
    return _page(request, promotion_round.cycle)


def _card(
    request: AuthenticatedRequest,
    packet: PromotionPacket,
    form: DecisionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """One packet's card, for htmx to swap in place."""
    card = cards([packet], request.user, {packet.pk: form} if form is not None else None)[0]
    return render(request, f"{PAGE}#packet_card", {"card": card}, status=status)


@require_POST
def packet_decide(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Record the decision on one packet. Refused input changes nothing and answers with the
    errors: 422 to htmx (which swaps the card), 400 to a plain form post (the whole round)."""
    packet = packet_of_round(request.user, pk)
    if packet is None:
        raise Http404
    matrix = {row.dimension_key: row.status for row in packet.matrix.all()}
    form = DecisionForm(request.POST, packet=packet, matrix=matrix)
    if form.is_valid():
        try:
            decision = decide(packet, request.user, **form.decision())
        except DecisionError as error:
            form.add_error(None, str(error))
    if form.errors:
        # What the page shows now, e.g. a decision someone else recorded meanwhile.
        fresh = packet_of_round(request.user, pk) or packet
        if request.htmx:
            return _card(request, fresh, form=form, status=422)
        return _page(request, packet.cycle, {packet.pk: form}, status=400)
    decided = packet_of_round(request.user, pk)
    if request.htmx and decided is not None:
        return _card(request, decided)  # the card now shows the decision
    name = packet.subject.display_name
    if decision.outcome == Outcome.PROMOTED:
        when = dateformat.format(decision.effective, "j M Y")
        messages.success(request, f"Decided: {name} is promoted, from {when}.")
    else:
        messages.success(request, f"Decided: not yet for {name}. They and their managers read why.")
    return redirect(f"{reverse('reviews:round', args=[packet.cycle_id])}#packet-{packet.pk}")
