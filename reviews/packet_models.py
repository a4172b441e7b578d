"""Promotion packets and the promotion round that decides on them."""

from __future__ import annotations

from functools import cached_property
from typing import Self

from django.db import models
from django.db.models import Q
from django.urls import reverse

from brag.models import BragEntry
from ladder.models import LadderVersion, Level, Track
from ladder.spec import LevelSpec, TrackSpec
from people.models import User

MIN_PROJECTS, MAX_PROJECTS = 3, 5


class PacketStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    DECIDED = "decided", "Decided"


class Archetype(models.TextChoices):
    # The guide's Staff+ archetypes.
    TECH_LEAD = "tech_lead", "Tech Lead"
    ARCHITECT = "architect", "Architect"
    SOLVER = "solver", "Solver"
    RIGHT_HAND = "right_hand", "Right Hand"


class Recommendation(models.TextChoices):
    PROMOTE = "promote", "Promote"
    NOT_YET = "not_yet", "Not yet"


class MatrixStatus(models.TextChoices):
    MET = "met", "Met"
    GAP = "gap", "Gap"
    NOT_APPLICABLE = "na", "Not applicable"


class Outcome(models.TextChoices):
    PROMOTED = "promoted", "Promoted"
    NOT_YET = "not_yet", "Not yet"


class PromotionRound(models.Model):
    """A cycle's promotion round: its deciders read the submitted packets side by side."""

    cycle = models.OneToOneField(
        "reviews.ReviewCycle", on_delete=models.CASCADE, related_name="promotion_round"
    )
    deciders = models.ManyToManyField(User, blank=True, related_name="decider_rounds")
    created = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Promotion round · {self.cycle}"


class PromotionPacketQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> Self:
        """Who reads a packet, in one place: its subject and their managers; the cycle's
        deciders once it is submitted. Not teammates, not staff."""
        if not user.is_authenticated:
            return self.none()
        reports = User.objects.reports_of(user).values("pk")
        return self.filter(
            Q(subject=user)
            | Q(subject__in=reports)
            | Q(
                status__in=[PacketStatus.SUBMITTED, PacketStatus.DECIDED],
                cycle__promotion_round__deciders=user,
            )
        ).distinct()

    def decidable_by(self, user: User) -> Self:
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            status=PacketStatus.SUBMITTED, cycle__promotion_round__deciders=user
        ).distinct()


class PromotionPacket(models.Model):
    """The case for one person's promotion in one cycle: the guide's packet outline, with an
    evidence matrix that ties each expectation of the target level to its evidence."""

    subject = models.ForeignKey(User, on_delete=models.CASCADE, related_name="packets")
    cycle = models.ForeignKey(
        "reviews.ReviewCycle", on_delete=models.PROTECT, related_name="packets"
    )
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="+", editable=False
    )
    track = models.ForeignKey(Track, on_delete=models.PROTECT, related_name="+")
    track_key = models.CharField(max_length=50, editable=False)
    current_level = models.ForeignKey(
        Level, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    target_level = models.ForeignKey(
        Level, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    current_level_code = models.CharField(max_length=20, blank=True, editable=False)
    target_level_code = models.CharField(max_length=20, editable=False)
    # The ladder version the packet is read against: its texts and level names.
    ladder_version = models.ForeignKey(
        LadderVersion, on_delete=models.PROTECT, related_name="+", editable=False
    )
    status = models.CharField(
        max_length=10, choices=PacketStatus.choices, default=PacketStatus.DRAFT, editable=False
    )
    # The engineer's sections.
    influence = models.TextField("influence beyond the team", max_length=10000, blank=True)
    mentoring = models.TextField("mentoring and multiplier effects", max_length=10000, blank=True)
    glue_notes = models.TextField("glue work", max_length=10000, blank=True)
    growth = models.TextField(
        "areas of growth and how they were addressed", max_length=10000, blank=True
    )
    archetype = models.CharField(max_length=20, choices=Archetype.choices, blank=True)
    # The manager's sections: the engineer reads them once shared.
    summary = models.TextField("manager's summary", max_length=10000, blank=True)
    recommendation = models.CharField(max_length=10, choices=Recommendation.choices, blank=True)
    manager_shared_at = models.DateTimeField(null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    submitted_at = models.DateTimeField(null=True, blank=True, editable=False)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = PromotionPacketQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["subject", "cycle"], name="one_packet_per_cycle")
        ]
        indexes = [models.Index(fields=["cycle", "status"], name="packet_cycle_status")]

    def __str__(self) -> str:
        return f"Promotion packet {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("reviews:packet", args=[self.pk])

    @cached_property
    def frozen_track(self) -> TrackSpec:
        return self.ladder_version.spec.track(self.track_key) or TrackSpec(self.track_key, "")

    @property
    def current(self) -> LevelSpec | None:
        return self.frozen_track.level(self.current_level_code)

    @property
    def target(self) -> LevelSpec | None:
        return self.frozen_track.level(self.target_level_code)

    @property
    def is_draft(self) -> bool:
        return self.status == PacketStatus.DRAFT


class PacketProject(models.Model):
    """One of the 3-5 projects: a brag entry of the subject, with the guide's impact audit."""

    packet = models.ForeignKey(PromotionPacket, on_delete=models.CASCADE, related_name="projects")
    # RESTRICT: the entry stays while the packet does, but goes with its owner and the packet.
    entry = models.ForeignKey(BragEntry, on_delete=models.RESTRICT, related_name="+")
    order = models.PositiveIntegerField(default=0)
    measurable_impact = models.TextField("measurable impact", max_length=4000, blank=True)
    who_benefited = models.TextField("who benefited besides you", max_length=4000, blank=True)
    learned = models.TextField("what you learned", max_length=4000, blank=True)
    differently = models.TextField("what you would do differently", max_length=4000, blank=True)

    class Meta:
        ordering = ["packet", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["packet", "entry"], name="one_project_per_entry")
        ]

    def __str__(self) -> str:
        return f"Project {self.pk} of packet {self.packet_id}"


class MatrixRow(models.Model):
    """The evidence matrix: one row per dimension of the packet's ladder version."""

    packet = models.ForeignKey(PromotionPacket, on_delete=models.CASCADE, related_name="matrix")
    dimension_key = models.CharField(max_length=50)
    status = models.CharField(max_length=5, choices=MatrixStatus.choices, blank=True)
    reason = models.TextField(max_length=2000, blank=True)
    evidence = models.ManyToManyField(BragEntry, blank=True, related_name="+")

    class Meta:
        ordering = ["packet", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["packet", "dimension_key"], name="one_matrix_row_per_dimension"
            )
        ]

    def __str__(self) -> str:
        return f"Matrix row {self.dimension_key} of packet {self.packet_id}"


class PacketEdit(models.Model):
    """Who last changed what: one row per save of a section."""

    packet = models.ForeignKey(PromotionPacket, on_delete=models.CASCADE, related_name="edits")
    section = models.CharField(max_length=50)
    by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.section} of packet {self.packet_id}"


class PromotionDecision(models.Model):
    packet = models.OneToOneField(
        PromotionPacket, on_delete=models.CASCADE, related_name="decision"
    )
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    reason = models.TextField(max_length=10000)
    # For "not yet": [{"dimension_key", "dimension_name", "to_close"}], at least one.
    gaps = models.JSONField(default=list, blank=True)
    decided_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)
    effective = models.DateField()

    def __str__(self) -> str:
        return f"Decision on packet {self.packet_id}"
