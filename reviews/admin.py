from django.contrib import admin

from .models import ReviewCycle


@admin.register(ReviewCycle)
class ReviewCycleAdmin(admin.ModelAdmin):
    """Staff open and close review cycles here. Assessments are not in the admin: they are
    private to their authors and readers (see AssessmentQuerySet.visible_to)."""

    list_display = ["name", "start", "end", "is_open"]
    list_filter = ["is_open"]
