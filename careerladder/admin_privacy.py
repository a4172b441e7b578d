"""What the Django admin may show staff. Imports no app.

Staff administer people, teams, ladders and cycles; they do not read reviews. The admin prints
objects by their `__str__` wherever it lists them: the related objects a delete would take
along, the protected objects that stop it, history entries, autocomplete answers. A brag
entry's `__str__` is its title, a goal's its text, a rating's its level. So every ModelAdmin
shows only the models in `READABLE_BY_STAFF` by name; any other model it meets is counted
("Brag entries: 12"), never named. The list is an allow-list on purpose: a model added later is
counted until someone decides staff may read it.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from functools import reduce
from operator import or_
from typing import Any, cast

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import NestedObjects, quote
from django.db import connections, models, router
from django.db.models import F, Func, Q, QuerySet, Subquery
from django.db.models.deletion import get_candidate_relations_to_delete
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import NoReverseMatch, URLPattern, URLResolver, path, reverse, reverse_lazy
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import capfirst

from .ids import parse_id
from .text import RefuseBidiControls

# Models staff administer (the access table's "people, teams, memberships, cycles" and the
# level map), and Django's and allauth's records about accounts. Labels, lower case, so that
# this module imports no app.
READABLE_BY_STAFF: frozenset[str] = frozenset(
    {
        "auth.group",
        "auth.permission",
        "account.emailaddress",
        # By its kind only ("TOTP"): its admin in people/admin.py never shows the secrets.
        "mfa.authenticator",
        "ladder.ladder",
        "ladder.track",
        "ladder.level",
        "ladder.dimension",
        "ladder.expectation",
        "ladder.criterion",
        "ladder.ladderversion",
        "people.user",
        "people.team",
        "people.membership",
        "reviews.reviewcycle",
        "reviews.promotionround",
    }
)


# What a readable model's `__str__` reads besides its own row: loaded for all of a delete's
# objects of that model at once, not once per object named.
NAMED_WITH: dict[str, tuple[str, ...]] = {
    "auth.permission": ("content_type",),
    "ladder.track": ("ladder",),
    "ladder.expectation": ("level", "dimension"),
    "ladder.ladderversion": ("ladder",),
    "people.membership": ("user", "team"),
    "reviews.promotionround": ("cycle",),
}


def readable_by_staff(model: type[models.Model]) -> bool:
    return model._meta.label_lower in READABLE_BY_STAFF


def count_line(model: type[models.Model], count: int) -> str:
    return f"{capfirst(model._meta.verbose_name_plural)}: {count}"


def counted(objs: Iterable[models.Model]) -> list[str]:
    """One line per model, its objects counted: "Brag entries: 12"."""
    counts: dict[type[models.Model], int] = {}
    for obj in objs:
        counts[type(obj)] = counts.get(type(obj), 0) + 1
    return sorted(count_line(model, count) for model, count in counts.items())


class StaffCollector(NestedObjects):
    """The admin's collector, except that the records staff only count are counted in the
    database rather than loaded one relation at a time, where the real delete would remove
    them without loading them either (Django's "fast delete": a model nothing cascades from,
    with no delete signals). The rest is collected exactly as the admin does."""

    def can_fast_delete(self, objs: Any, from_field: Any = None) -> bool:
        model = objs._meta.model if hasattr(objs, "_meta") else getattr(objs, "model", None)
        if model is None or readable_by_staff(model):
            return False  # named, so loaded
        # The admin collects what the database's own ON DELETE would remove, to list it:
        # only a model with nothing at all hanging from it is left to the count.
        relations: Iterable[Any] = get_candidate_relations_to_delete(model._meta)
        if any(
            relation.field.remote_field.on_delete is not models.DO_NOTHING for relation in relations
        ):
            return False
        # NestedObjects forces collection for the confirmation page; here Django's own rule
        # decides, as it will for the delete itself.
        forced: bool = self.force_collection  # type: ignore[has-type]
        self.force_collection = False
        try:
            return super().can_fast_delete(objs, from_field=from_field)
        finally:
            self.force_collection = forced

    def fast_delete_counts(self) -> dict[type[models.Model], int]:
        """How many rows of each model the fast deletes remove, without counting a row twice
        when two relations reach it: one query for all of them (more only when their ids
        would pass the database's limit on parameters)."""
        by_model: dict[type[models.Model], list[QuerySet[Any]]] = defaultdict(list)
        for queryset in self.fast_deletes:
            by_model[queryset.model].append(queryset)
        model_objs = cast(dict[type[models.Model], set[models.Model]], self.model_objs)
        counts: dict[type[models.Model], int] = {}
        pending: list[tuple[type[models.Model], QuerySet[Any], int]] = []
        for model, querysets in by_model.items():
            rows = model._base_manager.using(self.using).filter(
                reduce(or_, (Q(pk__in=queryset.values("pk")) for queryset in querysets))
            )
            if model_objs.get(model):
                # Also collected through another relation (rare): count the union by ids.
                ids = set(rows.values_list("pk", flat=True))
                counts[model] = len(ids | {obj.pk for obj in model_objs[model]})
                continue
            params = len(rows.query.get_compiler(self.using).as_sql()[1])
            pending.append((model, rows, params))
        limit = connections[self.using].features.max_query_params or 32_000
        while pending:
            batch: list[tuple[type[models.Model], QuerySet[Any]]] = []
            used = 0
            while pending and (not batch or used + pending[0][2] <= limit):
                model, rows, params = pending.pop(0)
                batch.append((model, rows))
                used += params
            counts.update(self._count_in_one_query(batch))
        return {model: count for model, count in counts.items() if count}

    def _count_in_one_query(
        self, batch: list[tuple[type[models.Model], QuerySet[Any]]]
    ) -> dict[type[models.Model], int]:
        # One row with a COUNT subquery per model. SQL needs a table to select the row from:
        # the first object being deleted's, which exists while its confirmation is shown.
        subqueries = {
            f"n{index}": Subquery(
                rows.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
            )
            for index, (_, rows) in enumerate(batch)
        }
        origin = cast(Sequence[models.Model], self.origin)[0]
        anchor = type(origin)._base_manager.using(self.using).filter(pk=origin.pk)
        row = anchor.annotate(**subqueries).values(*subqueries).first()
        if row is None:  # deleted meanwhile: count each model on its own
            return {model: rows.count() for model, rows in batch}
        return {model: row[f"n{index}"] or 0 for index, (model, _) in enumerate(batch)}


def name_readable(objs: Iterable[models.Model]) -> None:
    """Load what the readable objects' names read (NAMED_WITH), once per model."""
    by_model: dict[type[models.Model], list[models.Model]] = defaultdict(list)
    for obj in objs:
        by_model[type(obj)].append(obj)
    for model, instances in by_model.items():
        lookups = NAMED_WITH.get(model._meta.label_lower, ())
        if lookups and readable_by_staff(model):
            models.prefetch_related_objects(instances, *lookups)


def deleted_objects_for_staff(
    objs: Sequence[models.Model], request: HttpRequest, admin_site: admin.AdminSite
) -> tuple[list[Any], dict[str, int], set[str], list[Any]]:
    """Django's `get_deleted_objects`, except that objects staff may not read are counted per
    model instead of named, both among what a delete takes along and among what stops it."""
    if not len(objs):
        return [], {}, set(), []
    collector = StaffCollector(using=router.db_for_write(objs[0]._meta.model), origin=objs)
    collector.collect(objs)
    # django-stubs types these as strings; they hold model instances and classes.
    edges = cast(dict[models.Model | None, list[models.Model]], collector.edges)
    model_objs = cast(dict[type[models.Model], set[models.Model]], collector.model_objs)
    counted_only = {
        model: len(objects) for model, objects in model_objs.items() if not readable_by_staff(model)
    }
    counted_only.update(collector.fast_delete_counts())
    name_readable(obj for objects in model_objs.values() for obj in objects)
    name_readable(collector.protected)
    perms_needed: set[str] = set()

    def named(obj: models.Model) -> str | SafeString:
        opts = obj._meta
        if not admin_site.is_registered(type(obj)):
            return f"{capfirst(opts.verbose_name)}: {obj}"
        if not admin_site.get_model_admin(type(obj)).has_delete_permission(request, obj):
            perms_needed.add(str(opts.verbose_name))
        try:
            url = reverse(
                f"{admin_site.name}:{opts.app_label}_{opts.model_name}_change",
                args=[quote(obj.pk)],
            )
        except NoReverseMatch:
            return f"{capfirst(opts.verbose_name)}: {obj}"
        return format_html('{}: <a href="{}">{}</a>', capfirst(opts.verbose_name), url, str(obj))

    seen: set[models.Model] = set()

    def branch(obj: models.Model) -> list[Any]:
        if obj in seen:
            return []
        seen.add(obj)
        children = [line for child in edges.get(obj, []) for line in branch(child)]
        if not readable_by_staff(type(obj)):
            # Its readable descendants (rare) move up a level; it is counted below.
            return children
        return [named(obj), children] if children else [named(obj)]

    to_delete = [line for root in edges.get(None, []) for line in branch(root)]
    to_delete += sorted(count_line(model, count) for model, count in counted_only.items())
    protected = [named(obj) for obj in collector.protected if readable_by_staff(type(obj))]
    protected += counted(obj for obj in collector.protected if not readable_by_staff(type(obj)))
    model_count = {
        str(model._meta.verbose_name_plural): len(objects) for model, objects in model_objs.items()
    }
    model_count.update(
        (str(model._meta.verbose_name_plural), count) for model, count in counted_only.items()
    )
    return to_delete, model_count, perms_needed, protected


class StaffAdmin(admin.ModelAdmin):
    """The base of every ModelAdmin in the project (third parties' included, see
    people/admin.py): delete confirmations name only what staff may read."""

    def get_deleted_objects(  # type: ignore[override]
        self, objs: Sequence[models.Model], request: HttpRequest
    ) -> tuple[list[Any], dict[str, int], set[str], list[Any]]:
        return deleted_objects_for_staff(objs, request, self.admin_site)


class NamesForm(RefuseBidiControls, forms.ModelForm):
    """An admin form whose text fields refuse bidirectional control characters (names of
    people, teams, ladders, tracks, levels, dimensions, cycles). The admin supplies the Meta."""


def view_on_site_for_staff(
    request: HttpRequest, content_type_id: str, object_id: str
) -> HttpResponse:
    """Django's /admin/r/<content type>/<id>/ redirects to any object's page, so it tells staff
    which brag entries, notes and packets exist. Here it answers only for models staff may read;
    for the others it is 404 before the object is even looked up."""
    # Imported here so that this module can be imported before the apps are ready.
    from django.contrib.contenttypes import views as contenttype_views
    from django.contrib.contenttypes.models import ContentType

    pk = parse_id(content_type_id)
    content_type = ContentType.objects.filter(pk=pk).first() if pk is not None else None
    model = content_type.model_class() if content_type else None
    if model is None or not readable_by_staff(model):
        raise Http404
    return contenttype_views.shortcut(request, content_type_id, object_id)


def guard_view_on_site(site: admin.AdminSite) -> None:
    """Route the site's view_on_site URL to `view_on_site_for_staff`. Call before the site's
    URLs are read."""
    get_urls = site.get_urls

    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return site.admin_view(view_on_site_for_staff)(request, *args, **kwargs)

    # What Django's own wrapper carries: LoginRequiredMiddleware reads login_url.
    wrapped.admin_site = site  # type: ignore[attr-defined]
    wrapped.login_url = reverse_lazy("admin:login", current_app=site.name)  # type: ignore[attr-defined]

    def guarded_urls() -> list[URLPattern | URLResolver]:
        return [
            path(str(url.pattern), wrapped, name="view_on_site")
            if isinstance(url, URLPattern) and url.name == "view_on_site"
            else url
            for url in get_urls()
        ]

    site.get_urls = guarded_urls  # type: ignore[method-assign]


def unguarded_admins(site: admin.AdminSite) -> list[str]:
    """Registered models that staff may not read, or whose admin could name one: the tests
    require this to be empty."""
    problems = []
    for model, model_admin in site._registry.items():
        label = model._meta.label_lower
        if not readable_by_staff(model):
            problems.append(f"{label} is registered but staff may not read it")
        # Inline objects are named in change messages, and so in the history pages.
        for inline in model_admin.inlines:
            if not readable_by_staff(inline.model):
                problems.append(f"{inline.model._meta.label_lower} is inline in {label}")
        if not isinstance(model_admin, StaffAdmin):
            problems.append(f"{label}'s admin does not extend StaffAdmin")
    return problems
