"""What the Django admin may show staff. Imports no app.

Staff administer people, teams, ladders and cycles; they do not read reviews. The admin prints
objects by their `__str__` wherever it lists them: the related objects a delete would take
along, the protected objects that stop it, history entries, autocomplete answers. A brag
entry's `__str__` is its title, a goal's its text, a rating's its level. So every ModelAdmin
shows only the models in `READABLE_BY_STAFF` by name; any other model it meets is counted
("Brag entries: 12"), never named. The list is an allow-list on purpose: a model added later is
counted until someone decides staff may read it.
"""

from collections.abc import Iterable, Sequence
from typing import Any, cast

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import NestedObjects, quote
from django.db import models, router
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


def deleted_objects_for_staff(
    objs: Sequence[models.Model], request: HttpRequest, admin_site: admin.AdminSite
) -> tuple[list[Any], dict[str, int], set[str], list[Any]]:
    """Django's `get_deleted_objects`, except that objects staff may not read are counted per
    model instead of named, both among what a delete takes along and among what stops it."""
    if not len(objs):
        return [], {}, set(), []
    collector = NestedObjects(using=router.db_for_write(objs[0]._meta.model), origin=objs)
    collector.collect(objs)
    # django-stubs types these as strings; they hold model instances and classes.
    edges = cast(dict[models.Model | None, list[models.Model]], collector.edges)
    model_objs = cast(dict[type[models.Model], set[models.Model]], collector.model_objs)
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
    to_delete += sorted(
        count_line(model, len(objects))
        for model, objects in model_objs.items()
        if not readable_by_staff(model)
    )
    protected = [named(obj) for obj in collector.protected if readable_by_staff(type(obj))]
    protected += counted(obj for obj in collector.protected if not readable_by_staff(type(obj)))
    model_count = {
        str(model._meta.verbose_name_plural): len(objects) for model, objects in model_objs.items()
    }
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
