"""Starting, writing, drafting, submitting and exporting promotion packets: the rules that
span models. Views call these; nothing else writes a packet."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from ladder.models import Level
from ladder.services import latest_version
from people.models import User

from .models import ReviewCycle
from .packet_models import MatrixRow, PromotionPacket


class PacketError(Exception):
    """Something a person asked for that the rules refuse; the message says why."""


def start_packet(
    subject: User, cycle: ReviewCycle, by: User, target_level: Level | None = None
) -> PromotionPacket:
    """A draft packet for `subject` in `cycle`, read against the ladder version in use now,
    with one evidence-matrix row per dimension."""
    if by.pk != subject.pk and not User.objects.reports_of(by).filter(pk=subject.pk).exists():
        raise PacketError(f"You do not manage {subject.display_name}.")
    if not cycle.is_open:
        raise PacketError(f"{cycle.name} is closed: no new packets.")
    if subject.track_id is None or subject.current_level_id is None:
        raise PacketError(
            f"{subject.display_name} has no track and current level yet; an admin sets them first."
        )
    target = target_level or subject.target_level
    if target is None:
        raise PacketError("Pick the level the packet is for.")
    if target.track_id != subject.track_id:
        raise PacketError(f"Pick a level of the {subject.track.name} track.")
    if target.order <= subject.current_level.order:
        raise PacketError(
            f"The target level must be above {subject.display_name}'s current level "
            f"({subject.current_level.label})."
        )
    version = latest_version(subject.track.ladder)
    try:
        with transaction.atomic():
            packet = PromotionPacket.objects.create(
                subject=subject,
                cycle=cycle,
                created_by=by,
                track=subject.track,
                track_key=subject.track.key,
                current_level=subject.current_level,
                current_level_code=subject.current_level.code,
                target_level=target,
                target_level_code=target.code,
                ladder_version=version,
            )
            MatrixRow.objects.bulk_create(
                MatrixRow(packet=packet, dimension_key=dimension.key)
                for dimension in version.spec.dimensions
            )
    except IntegrityError:
        raise PacketError(
            f"{subject.display_name} has a packet for {cycle.name} already."
        ) from None
    return packet
