"""The evidence picker's long tail, on demand: a matrix row shows its attached evidence and the
entries tagged with its dimension; the subject's other entries (a brag document holds hundreds)
load when the editor opens "Other entries", one row at a time, rather than as a checkbox per
entry in every row of every page view."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render

from brag.models import BragEntry
from careerladder.feedback import announce
from careerladder.typing import AuthenticatedRequest

from .packet_models import PromotionPacket
from .packet_services import Side, access_to, closed_reason

PAGE = "reviews/packet.html"


def other_entries(
    request: AuthenticatedRequest, packet: PromotionPacket, dimension_key: str
) -> HttpResponse:
    """The row's picker past its attached and suggested entries, for someone who edits the
    packet (the same rule as the page's forms): others get a 404, as for a row that is not
    in the packet."""
    user = request.user
    access = access_to(packet, user)
    if closed_reason(packet) or access.side == Side.READER:
        raise Http404("Nobody edits this packet's evidence now.")
    row = get_object_or_404(packet.matrix, dimension_key=dimension_key)
    others = list(
        BragEntry.objects.visible_to(user)
        .filter(owner_id=packet.subject_id)
        .exclude(pk__in=row.evidence.values("pk"))
        .exclude(dimensions__key=dimension_key)
        .order_by("-date", "-pk")
        .only("pk", "title", "date", "visibility")
    )
    context = {"others": others, "row": {"checked": set()}, "access": access}
    # Keyboard focus goes to the first of them (the template marks it).
    count = len(others)
    said = (
        f"{count} other entr{'y' if count == 1 else 'ies'} listed."
        if count
        else "No other entries."
    )
    return announce(render(request, f"{PAGE}#evidence_others", context), said)
