from collections.abc import Iterable
from typing import Any, cast

from django import forms
from django.contrib import admin
from django.db import models, transaction
from django.db.models import QuerySet
from django.http import HttpRequest

from careerladder.admin_privacy import NamesForm, StaffAdmin

from .models import Criterion, Dimension, Expectation, Ladder, Level, Track, VersionSource
from .services import make_default, record_version


class RecordsVersions(StaffAdmin):
    """Every admin save or delete that changes a ladder's content records a new version of it
    (none when the content is the same)."""

    form = NamesForm

    # The parent a saved object hangs from: moving it to another ladder would take its
    # content out of one ladder's history unseen, so it is fixed once saved.
    parent_field = ""

    def ladder_of(self, obj: Any) -> Ladder:
        raise NotImplementedError

    def get_readonly_fields(self, request: Any, obj: Any = None) -> Any:
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and self.parent_field:
            fields.append(self.parent_field)
        return fields

    def save_related(self, request: Any, form: Any, formsets: Any, change: bool) -> None:
        with transaction.atomic():
            super().save_related(request, form, formsets, change)
            record_version(self.ladder_of(form.instance), by=request.user, via=VersionSource.ADMIN)

    def delete_model(self, request: Any, obj: Any) -> None:
        ladder = self.ladder_of(obj)
        with transaction.atomic():
            super().delete_model(request, obj)
            if Ladder.objects.filter(pk=ladder.pk).exists():
                record_version(ladder, by=request.user, via=VersionSource.ADMIN)

    def delete_queryset(self, request: Any, queryset: Any) -> None:
        ladders = {self.ladder_of(obj).pk: self.ladder_of(obj) for obj in queryset}
        with transaction.atomic():
            super().delete_queryset(request, queryset)
            for ladder in ladders.values():
                if Ladder.objects.filter(pk=ladder.pk).exists():
                    record_version(ladder, by=request.user, via=VersionSource.ADMIN)


class TrackInline(admin.TabularInline):
    form = NamesForm
    model = Track
    extra = 0
    fields = ["key", "name", "order"]
    show_change_link = True


class DimensionInline(admin.TabularInline):
    form = NamesForm
    model = Dimension
    extra = 0
    fields = ["key", "name", "description", "order"]


@admin.register(Ladder)
class LadderAdmin(RecordsVersions):
    list_display = ["name", "slug", "is_default", "source_format", "updated"]
    readonly_fields = ["source_format", "source_name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [DimensionInline, TrackInline]

    def ladder_of(self, obj: Ladder) -> Ladder:
        return obj

    def save_model(self, request: Any, obj: Ladder, form: Any, change: bool) -> None:
        # Exactly one ladder is the default: ticking the box moves the flag here; unticking
        # it on the default ladder does nothing, since another must take it over.
        wants_default = obj.is_default
        was_default = change and Ladder.objects.filter(pk=obj.pk, is_default=True).exists()
        obj.is_default = was_default
        super().save_model(request, obj, form, change)
        if was_default and not wants_default:
            self.message_user(
                request,
                "One ladder is always the default: make another ladder the default instead.",
                level="warning",
            )
        if wants_default or not Ladder.objects.filter(is_default=True).exists():
            make_default(obj)

    def delete_model(self, request: Any, obj: Ladder) -> None:
        super().delete_model(request, obj)
        _keep_a_default()

    def delete_queryset(self, request: Any, queryset: Any) -> None:
        super().delete_queryset(request, queryset)
        _keep_a_default()


def _keep_a_default() -> None:
    """The default ladder was deleted: the oldest one left takes the flag."""
    if not Ladder.objects.filter(is_default=True).exists():
        oldest = Ladder.objects.order_by("pk").first()
        if oldest is not None:
            make_default(oldest)


class LevelInline(admin.TabularInline):
    form = NamesForm
    model = Level
    extra = 0
    fields = ["code", "name", "order"]
    show_change_link = True


@admin.register(Track)
class TrackAdmin(RecordsVersions):
    list_display = ["name", "key", "ladder", "order"]
    list_filter = ["ladder"]
    inlines = [LevelInline]
    parent_field = "ladder"

    def ladder_of(self, obj: Track) -> Ladder:
        return obj.ladder


class ExpectationInline(admin.StackedInline):
    form = NamesForm
    model = Expectation
    extra = 0
    fields = ["dimension", "summary"]
    show_change_link = True

    def get_queryset(self, request: HttpRequest) -> QuerySet[Expectation]:
        return super().get_queryset(request).select_related("level", "dimension")

    def formfield_for_foreignkey(
        self, db_field: models.ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> forms.ModelChoiceField | None:
        if db_field.name != "dimension":
            return super().formfield_for_foreignkey(db_field, request, **kwargs)
        match = request.resolver_match
        level = None
        if match and "object_id" in match.kwargs:
            level = (
                Level.objects.select_related("track").filter(pk=match.kwargs["object_id"]).first()
            )
        if level:
            kwargs["queryset"] = Dimension.objects.filter(ladder_id=level.track.ladder_id)
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is None:
            return None
        # Every inline form offers the same dimensions: list them once per request.
        if not hasattr(request, "_dimension_choices"):
            choices = cast(Iterable[Any], field.choices)
            setattr(request, "_dimension_choices", list(choices))  # noqa: B010
        field.choices = getattr(request, "_dimension_choices")  # noqa: B009
        return field


@admin.register(Level)
class LevelAdmin(RecordsVersions):
    list_display = ["code", "name", "track", "order"]
    list_filter = ["track__ladder", "track"]
    list_select_related = ["track__ladder"]
    fields = ["track", "code", "name", "order", "summary", "signals", "holds_back"]
    inlines = [ExpectationInline]
    parent_field = "track"

    def ladder_of(self, obj: Level) -> Ladder:
        return obj.track.ladder


class CriterionInline(admin.TabularInline):
    form = NamesForm
    model = Criterion
    extra = 0
    fields = ["text", "examples", "ref", "proficiency", "order"]


@admin.register(Expectation)
class ExpectationAdmin(RecordsVersions):
    list_display = ["level", "dimension", "summary"]
    list_filter = ["level__track__ladder", "dimension"]
    list_select_related = ["level", "dimension"]
    inlines = [CriterionInline]
    parent_field = "level"

    def ladder_of(self, obj: Expectation) -> Ladder:
        return obj.level.track.ladder
