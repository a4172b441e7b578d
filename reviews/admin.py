from django.contrib import admin
from django.db.models import Count

from .models import PromotionRound, ReviewCycle


@admin.register(ReviewCycle)
class ReviewCycleAdmin(admin.ModelAdmin):
    """Staff open and close review cycles here. Assessments are not in the admin: they are
    private to their authors and readers (see AssessmentQuerySet.visible_to)."""

    list_display = ["name", "start", "end", "is_open"]
    list_filter = ["is_open"]


@admin.register(PromotionRound)
class PromotionRoundAdmin(admin.ModelAdmin):
    """Staff name a cycle's deciders here. Packets, notes and decisions are not in the admin:
    staff administer people and cycles; they do not read reviews."""

    list_display = ["cycle", "decider_count"]
    filter_horizontal = ["deciders"]
    list_select_related = ["cycle"]

    def get_queryset(self, request):  # type: ignore[no-untyped-def]
        return super().get_queryset(request).annotate(_deciders=Count("deciders"))

    @admin.display(description="deciders")
    def decider_count(self, obj: PromotionRound) -> int:
        return obj._deciders  # type: ignore[attr-defined]
