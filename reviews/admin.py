from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest

from careerladder.admin_privacy import NamesForm, StaffAdmin

from .models import PromotionRound, ReviewCycle


@admin.register(ReviewCycle)
class ReviewCycleAdmin(StaffAdmin):
    """Staff open and close review cycles here. Assessments are not in the admin: they are
    private to their authors and readers (see AssessmentQuerySet.visible_to)."""

    form = NamesForm
    list_display = ["name", "start", "end", "is_open"]
    list_filter = ["is_open"]


@admin.register(PromotionRound)
class PromotionRoundAdmin(StaffAdmin):
    """Staff name a cycle's deciders here. Packets, notes and decisions are not in the admin:
    staff administer people and cycles; they do not read reviews."""

    form = NamesForm
    list_display = ["cycle", "decider_count"]
    filter_horizontal = ["deciders"]
    list_select_related = ["cycle"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[PromotionRound]:
        return super().get_queryset(request).annotate(_deciders=Count("deciders"))

    @admin.display(description="deciders")
    def decider_count(self, obj: PromotionRound) -> int:
        return obj._deciders  # type: ignore[attr-defined]
