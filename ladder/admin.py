from django.contrib import admin

from .models import Criterion, Dimension, Expectation, Ladder, Level, Track


class TrackInline(admin.TabularInline):
    model = Track
    extra = 0
    fields = ["key", "name", "order"]
    show_change_link = True


class DimensionInline(admin.TabularInline):
    model = Dimension
    extra = 0
    fields = ["key", "name", "description", "order"]


@admin.register(Ladder)
class LadderAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "updated"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [DimensionInline, TrackInline]


class LevelInline(admin.TabularInline):
    model = Level
    extra = 0
    fields = ["code", "name", "order"]
    show_change_link = True


@admin.register(Track)
class TrackAdmin(admin.ModelAdmin):
    list_display = ["name", "key", "ladder", "order"]
    list_filter = ["ladder"]
    inlines = [LevelInline]


class ExpectationInline(admin.StackedInline):
    model = Expectation
    extra = 0
    fields = ["dimension", "summary"]
    show_change_link = True

    def get_queryset(self, request):  # type: ignore[no-untyped-def]
        return super().get_queryset(request).select_related("level", "dimension")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):  # type: ignore[no-untyped-def]
        if db_field.name != "dimension":
            return super().formfield_for_foreignkey(db_field, request, **kwargs)
        level_id = request.resolver_match.kwargs.get("object_id")
        level = Level.objects.select_related("track").filter(pk=level_id).first()
        if level:
            kwargs["queryset"] = Dimension.objects.filter(ladder_id=level.track.ladder_id)
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        # Every inline form offers the same dimensions: list them once per request.
        if not hasattr(request, "_dimension_choices"):
            request._dimension_choices = list(field.choices)
        field.choices = request._dimension_choices
        return field


@admin.register(Level)
class LevelAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "track", "order"]
    list_filter = ["track__ladder", "track"]
    list_select_related = ["track__ladder"]
    fields = ["track", "code", "name", "order", "summary", "signals", "holds_back"]
    inlines = [ExpectationInline]


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0
    fields = ["text", "examples", "order"]


@admin.register(Expectation)
class ExpectationAdmin(admin.ModelAdmin):
    list_display = ["level", "dimension", "summary"]
    list_filter = ["level__track__ladder", "dimension"]
    list_select_related = ["level", "dimension"]
    inlines = [CriterionInline]
