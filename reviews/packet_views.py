"""Promotion packets: start one, read it, draft it from evidence, share the manager's summary,
submit it, export and print it. Writing a section, the projects or a matrix row is in
packet_edit_views; what the page shows, in packet_page.

Reading goes through `PromotionPacket.objects.visible_to` (denied: 404); which sections a reader
writes is `packet_services.access_to`'s answer (the other side's: 403); what they read of it is
`packet_export.build_document`'s."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from careerladder.feedback import announce
from careerladder.text import form_errors_text
from careerladder.typing import AuthenticatedRequest
from people.models import User

from .packet_export import build_document, to_markdown
from .packet_forms import PacketStartForm
from .packet_models import PromotionPacket
from .packet_page import PAGE, packet_for, page_context
from .packet_picker import other_entries
from .packet_services import (
    PacketError,
    draft_from_evidence,
    share_summary,
    start_packet,
    submit_packet,
)


@require_POST
def packet_start(request: AuthenticatedRequest, person_id: int) -> HttpResponse:
    """The subject or one of their managers starts the packet for a cycle (the target level
    defaults to the subject's)."""
    user = request.user
    people = User.objects.filter(
        Q(pk=user.pk) | Q(pk__in=User.objects.reports_of(user).values("pk"))
    ).select_related("track", "current_level", "target_level")
    person = get_object_or_404(people, pk=person_id)
    form = PacketStartForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
        return redirect("reviews:standing", person.pk)
    cycle = form.cleaned_data["cycle"]
    try:
        packet = start_packet(person, cycle, user, form.cleaned_data["target_level"])
    except PacketError as error:
        messages.error(request, str(error))
        existing = PromotionPacket.objects.filter(subject=person, cycle=cycle).first()
        return redirect(existing) if existing else redirect("reviews:standing", person.pk)
    messages.success(request, f"Promotion packet started for {cycle.name}.")
    return redirect(packet)


@require_GET
@vary_on_headers("HX-Request")
def packet_page(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The packet. `?picker=<dimension>` lists that matrix row's other entries: on their own
    for HTMX (loaded when "Other entries" opens), else in the page with the list open."""
    packet = packet_for(request, pk)
    picker = request.GET.get("picker", "")
    if request.htmx and picker:
        return other_entries(request, packet, picker)
    return render(request, PAGE, page_context(request, packet, others_open=picker))


def _whole(
    request: AuthenticatedRequest,
    packet: PromotionPacket,
    message: str,
    *,
    focus: str,
    ok: bool = True,
) -> HttpResponse:
    """After draft, share or submit, which change the page throughout: the page's body again,
    saying what happened, with keyboard focus on what changed (`focus`: "notice", the line
    above the sections; "shared", the summary's "Shared with"; "submitted", the submit bar).
    A plain form post goes back to the page, with the message on top."""
    if not request.htmx:
        (messages.success if ok else messages.error)(request, message)
        anchor = "#section-summary" if focus == "shared" else ""
        return redirect(f"{packet.get_absolute_url()}{anchor}")
    context = page_context(request, packet_for(request, packet.pk)) | {
        "notice": message if focus == "notice" or not ok else "",
        "notice_bad": not ok,
        "focus": focus if ok else "notice",
    }
    return announce(render(request, f"{PAGE}#body", context), message)


@require_POST
def packet_draft(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Fill the empty parts from the evidence; never overwrite what someone wrote."""
    packet = packet_for(request, pk)
    try:
        result = draft_from_evidence(packet, request.user)
    except PacketError as error:
        return _whole(request, packet, str(error), focus="notice", ok=False)
    return _whole(request, packet, result.message, focus="notice")


@require_POST
def packet_share(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A manager shares the summary and recommendation with the subject."""
    packet = packet_for(request, pk)
    try:
        share_summary(packet, request.user)
    except PacketError as error:
        return _whole(request, packet, str(error), focus="notice", ok=False)
    message = (
        f"Shared with {packet.subject.display_name}: they can read the summary and the "
        "recommendation now."
    )
    return _whole(request, packet, message, focus="shared")


@require_POST
def packet_submit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A manager of the subject submits; the packet is read-only from then on."""
    packet = packet_for(request, pk)
    try:
        submit_packet(packet, request.user)
    except PacketError as error:
        return _whole(request, packet, str(error), focus="notice", ok=False)
    message = (
        "Submitted. The packet is read-only now, and the deciders of "
        f"{packet.cycle.name} can read it."
    )
    return _whole(request, packet, message, focus="submitted")


@require_GET
def packet_export(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    document = build_document(packet_for(request, pk), request.user)
    response = HttpResponse(to_markdown(document), content_type="text/markdown; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{document.filename}"'
    return response


@require_GET
def packet_print(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    document = build_document(packet_for(request, pk), request.user)
    return render(request, "reviews/packet_print.html", {"doc": document})
