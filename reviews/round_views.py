"""The promotion round of a cycle: its deciders read the submitted packets side by side, a page
at a time, and record a decision on each, opening its form on the card they decide."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import dateformat
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers

from careerladder.feedback import announce
from careerladder.ids import id_or_404
from careerladder.typing import AuthenticatedRequest

from .form_focus import focus_first_error
from .models import ReviewCycle
from .packet_models import Outcome, PromotionDecision, PromotionPacket
from .round_forms import DecisionForm
from .round_services import (
    DecisionError,
    cards,
    decide,
    packet_of_round,
    round_order,
    rounds_decided_by,
)

PAGE = "reviews/round.html"


def _page(
    request: AuthenticatedRequest,
    cycle: ReviewCycle,
    *,
    opened: PromotionPacket | None = None,
    form: DecisionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """One page of the round: the page holding `opened` with its decision form open (`form`
    when it was refused), else the page asked for. The counts are the whole round's."""
    order = round_order(request.user, cycle)
    number = order.page_of(opened.pk) if opened is not None else None
    page = order.page(number or request.GET.get("page"))
    forms = {opened.pk: form} if opened is not None and form is not None else None
    board = cards(
        order.packets(page.object_list),
        request.user,
        forms,
        opened=[opened.pk] if opened is not None else (),
    )
    context = {
        "cycle": cycle,
        "cards": board,
        "page": page,
        "waiting": order.waiting,
        "total": len(order.keys),
        "round_url": reverse("reviews:round", args=[cycle.pk]),
    }
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
    """One packet's card with its decision form open, for htmx to swap in place. Keyboard
    focus goes to the form's first field (or its first in error), or to the decision."""
    forms = {packet.pk: form} if form is not None else None
    card = cards([packet], request.user, forms, opened=[packet.pk])[0]
    if card.form is not None:
        focus_first_error(card.form, default="outcome")
    context = {"card": card, "focus_decision": card.decision is not None}
    return render(request, f"{PAGE}#packet_card", context, status=status)


def _decided(decision: PromotionDecision) -> str:
    name = decision.packet.subject.display_name
    if decision.outcome == Outcome.PROMOTED:
        when = dateformat.format(decision.effective, "j M Y")
        return f"Decided: {name} is promoted, from {when}."
    return f"Decided: not yet for {name}. They and their managers read why."


def _round_url(request: AuthenticatedRequest, packet: PromotionPacket) -> str:
    """The round's page that holds the packet now, at its card."""
    number = round_order(request.user, packet.cycle).page_of(packet.pk)
    query = f"?page={number}" if number and number > 1 else ""
    return f"{reverse('reviews:round', args=[packet.cycle_id])}{query}#packet-{packet.pk}"


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def packet_decide(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """GET opens the decision form on the packet's card (htmx swaps the card; without it, the
    round's page holding the card, form open). POST records the decision. Refused input
    changes nothing and answers with the errors: 422 to htmx (which swaps the card), 400 to a
    plain form post (the round's page)."""
    packet = packet_of_round(request.user, pk)
    if packet is None:
        raise Http404
    if request.method == "GET":
        if request.htmx:
            return _card(request, packet)
        return _page(request, packet.cycle, opened=packet)
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
            refused = _card(request, fresh, form=form, status=422)
            return announce(refused, "Nothing was saved: see the fields marked.")
        return _page(request, packet.cycle, opened=fresh, form=form, status=400)
    decided = packet_of_round(request.user, pk)
    if request.htmx and decided is not None:
        return announce(_card(request, decided), _decided(decision))  # the card shows it now
    messages.success(request, _decided(decision))
    return redirect(_round_url(request, packet))
