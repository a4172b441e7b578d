"""The admin is no back door: staff administer people and ladders, they do not read reviews.

Private texts are planted (a private and a deleted brag entry, goals, self- and manager
ratings, a review note, a packet, a decision, a recognition, an authenticator's secrets); then a
superuser walks every URL of the admin site, built from `admin.site.get_urls()` and each
ModelAdmin's `get_urls()`, so that a model registered later is walked too, and a URL the walk
does not know how to fill fails the test instead of being skipped."""

import datetime as dt
import re
from dataclasses import dataclass, field

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.test import Client
from django.urls import URLPattern, URLResolver, reverse

from brag.models import BragEntry, GlueRecognition
from careerladder.admin_privacy import READABLE_BY_STAFF, unguarded_admins
from ladder.models import Ladder, Level
from people.models import User
from reviews.models import Kind, PromotionRound, ReviewCycle
from reviews.note_services import create_note
from reviews.packet_models import MatrixRow, PacketProject, PromotionDecision
from reviews.packet_services import start_packet
from reviews.services import start_assessment, submit

from ..factories import BragEntryFactory, GoalFactory, UserFactory

PREFIX = "PLANTED"
PARAM = re.compile(r"<(?:\w+:)?(\w+)>")
QUERY_LINK = re.compile(r'href="(\?[^"#]*)"')
FILTERS = re.compile(r'<(nav|search) id="changelist-filter".*?</\1>', re.DOTALL)


def planted(what: str) -> str:
    return f"{PREFIX}-{what}"


@dataclass
class Secrets:
    texts: list[str]
    private_objects: list[models.Model]
    # Registered models whose objects are worth walking besides the first few: the ones the
    # private records point at (their delete confirmation meets the private records).
    near: dict[type[models.Model], set[object]] = field(default_factory=dict)


@pytest.fixture
def secrets(cast) -> Secrets:
    owner, manager = cast.owner, cast.manager
    l3 = Level.objects.get(track__key="ic", code="L3")
    cycle = ReviewCycle.objects.create(
        name="Review Q4 2026", start=dt.date(2026, 10, 1), end=dt.date(2026, 12, 31)
    )
    decider = UserFactory(email="decider@example.org", name="Decider")
    PromotionRound.objects.create(cycle=cycle).deciders.add(decider)

    private = BragEntryFactory(
        owner=owner,
        visibility="private",
        title=planted("private-entry-title"),
        impact=planted("private-entry-impact"),
        role=planted("private-entry-role"),
        skills=planted("private-entry-skills"),
    )
    deleted = BragEntryFactory(owner=owner, title=planted("deleted-entry-title"))
    deleted.soft_delete()
    glue = BragEntryFactory(owner=owner, title=planted("glue-entry-title"), glue_kind="onboarding")
    recognition = GlueRecognition.objects.create(
        entry=glue, by=manager, comment=planted("recognition-comment")
    )
    goal = GoalFactory(owner=owner, text=planted("goal-text"))
    GoalFactory(owner=owner, text=planted("deleted-goal-text"), deleted_at=dt.datetime.now(dt.UTC))

    mine = start_assessment(cycle, owner, owner, Kind.SELF)
    mine.ratings.update(level=l3, comment=planted("self-rating-comment"))
    mine.ratings.first().evidence.add(private)
    submit(mine)
    theirs = start_assessment(cycle, owner, manager, Kind.MANAGER)
    theirs.ratings.update(level=l3, comment=planted("manager-rating-comment"))

    note = create_note(
        owner, manager, title=planted("note-title"), body=planted("note-body"), cycle=cycle
    )

    packet = start_packet(owner, cycle, manager)
    type(packet).objects.filter(pk=packet.pk).update(
        influence=planted("packet-influence"),
        mentoring=planted("packet-mentoring"),
        glue_notes=planted("packet-glue"),
        growth=planted("packet-growth"),
        summary=planted("packet-summary"),
    )
    MatrixRow.objects.filter(packet=packet).update(reason=planted("matrix-reason"))
    PacketProject.objects.create(
        packet=packet, entry=glue, measurable_impact=planted("project-impact")
    )
    decision = PromotionDecision.objects.create(
        packet=packet,
        outcome="not_yet",
        reason=planted("decision-reason"),
        gaps=[{"dimension_key": "scope", "dimension_name": "Scope", "to_close": planted("gap")}],
        decided_by=decider,
        effective=dt.date(2026, 12, 31),
    )

    totp = Authenticator.objects.create(
        user=owner, type=Authenticator.Type.TOTP, data={"secret": planted("totp-secret")}
    )
    codes = Authenticator.objects.create(
        user=owner,
        type=Authenticator.Type.RECOVERY_CODES,
        data={"seed": planted("recovery-seed"), "used_mask": 0},
    )
    EmailAddress.objects.create(user=owner, email=owner.email, primary=True, verified=True)
    Group.objects.create(name="Ladder editors")

    texts = [
        *(
            value
            for obj in [private, deleted, glue, recognition, goal, note, packet, decision]
            for value in vars(type(obj).objects.get(pk=obj.pk)).values()
            if isinstance(value, str) and value.startswith(PREFIX)
        ),
        planted("deleted-goal-text"),
        planted("self-rating-comment"),
        planted("manager-rating-comment"),
        planted("matrix-reason"),
        planted("project-impact"),
        planted("gap"),
        planted("totp-secret"),
        planted("recovery-seed"),
        # What the related-objects list used to print: the assessments and their levels.
        *(str(obj) for obj in [mine, theirs, *mine.ratings.all(), *theirs.ratings.all()]),
    ]
    near = {
        User: {owner.pk, manager.pk, decider.pk},
        type(cycle): {cycle.pk},
        Authenticator: {totp.pk, codes.pk},
        type(owner.track.ladder): {owner.track.ladder_id},
        type(owner.track): {owner.track_id},
        Level: {l3.pk, owner.target_level_id},
        type(l3.expectations.first()): {l3.expectations.first().pk},
    }
    return Secrets(
        texts=texts,
        private_objects=[private, deleted, goal, mine, note, packet, decision, recognition, totp],
        near=near,
    )


def objects_to_walk(model: type[models.Model], secrets: Secrets) -> list[object]:
    """The first few objects of each model, and those the private records point at or hang
    from: theirs are the pages that meet private records (a delete confirmation's list)."""
    pks = model._default_manager.order_by("pk").values_list("pk", flat=True)[:2]
    return sorted(set(pks) | secrets.near.get(model, set()))


@dataclass
class Walk:
    client: Client
    secrets: Secrets
    failures: list[str] = field(default_factory=list)
    requests: int = 0
    filter_choices: int = 0

    def check(self, method: str, url: str, expected: set[int], data: dict | None = None) -> str:
        response = self.client.post(url, data or {}) if method == "POST" else self.client.get(url)
        self.requests += 1
        body = response.content.decode(errors="replace") + response.get("Location", "")
        if response.status_code not in expected:
            self.failures.append(f"{method} {url}: {response.status_code}, not {expected}")
        for text in self.secrets.texts:
            if text in body:
                self.failures.append(f"{method} {url} shows {text!r}")
        return body


def walk_model_admin(walk: Walk, model: type[models.Model], model_admin: admin.ModelAdmin) -> None:
    opts = model._meta
    request = walk.client.get(reverse("admin:index")).wsgi_request
    base = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    pks = objects_to_walk(model, walk.secrets)
    for pattern in model_admin.get_urls():
        route = str(pattern.pattern)
        params = set(PARAM.findall(route))
        if not params:
            expected = {200}
            if route == "add/" and not model_admin.has_add_permission(request):
                expected = {403}
            walk.check("GET", base + route, expected)
            continue
        if not params <= {"object_id", "id"}:
            walk.failures.append(f"the walk cannot fill {opts.label} {route}: teach it")
            continue
        for pk in pks:
            url = base + PARAM.sub(str(pk), route)
            walk.check("GET", url, {302} if route == "<path:object_id>/" else {200})

    changelist = walk.check("GET", base, {200})
    # Every choice of every filter the list offers.
    filters = "".join(match.group(0) for match in FILTERS.finditer(changelist))
    queries = sorted(set(QUERY_LINK.findall(filters)))
    walk.filter_choices += len(queries)
    for query in queries:
        walk.check("GET", base + query.replace("&amp;", "&"), {200})
    walk.check("GET", base + "?_popup=1", {200})
    if model_admin.get_search_fields(request):
        for term in [PREFIX, "private"]:
            walk.check("GET", f"{base}?q={term}", {200})
    if pks and "delete_selected" in model_admin.get_actions(request):
        walk.check(
            "POST",
            base,
            {200},
            {"action": "delete_selected", "_selected_action": [str(pk) for pk in pks]},
        )
    for owner_admin in [model_admin, *model_admin.get_inline_instances(request)]:
        source = owner_admin.model._meta
        for name in owner_admin.get_autocomplete_fields(request):
            for term in ["", PREFIX]:
                walk.check(
                    "GET",
                    f"{reverse('admin:autocomplete')}?app_label={source.app_label}"
                    f"&model_name={source.model_name}&field_name={name}&term={term}",
                    {200},
                )


def view_on_site(obj: models.Model) -> str:
    content_type = ContentType.objects.get_for_model(obj)
    return reverse("admin:view_on_site", args=[content_type.pk, obj.pk])


def walk_site(walk: Walk) -> None:
    registry = admin.site._registry
    by_prefix = {f"{m._meta.app_label}/{m._meta.model_name}/": m for m in registry}
    for pattern in admin.site.get_urls():
        route = str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            model = by_prefix[route]
            walk_model_admin(walk, model, registry[model])
            continue
        assert isinstance(pattern, URLPattern)
        if pattern.name == "logout":
            continue  # POST only, and it would end the walk's session
        if pattern.name == "autocomplete":
            continue  # walked per autocomplete field with each ModelAdmin
        if pattern.name == "view_on_site":
            # Not even which private records exist.
            for obj in walk.secrets.private_objects:
                walk.check("GET", view_on_site(obj), {404})
            walk.check("GET", view_on_site(Ladder.objects.first()), {302})
            continue
        if pattern.name == "app_list":
            for app_label in {m._meta.app_label for m in registry}:
                walk.check("GET", reverse("admin:app_list", args=[app_label]), {200})
            continue
        if pattern.name is None and route.startswith("(?P<url>"):
            # The catch-all: the private models have no admin pages to find.
            for private in walk.secrets.private_objects:
                opts = private._meta
                if private.__class__ not in registry:
                    walk.check("GET", f"/admin/{opts.app_label}/{opts.model_name}/", {404})
            continue
        if PARAM.search(route) or pattern.name is None:
            walk.failures.append(f"the walk cannot fill the admin URL {route!r}: teach it")
            continue
        walk.check("GET", reverse(f"admin:{pattern.name}"), {200, 302})


def test_every_registered_admin_names_only_what_staff_may_read():
    assert unguarded_admins(admin.site) == []


def test_no_admin_page_shows_a_private_text(client, admin_user, secrets):
    client.force_login(admin_user)
    walk = Walk(client, secrets)

    walk_site(walk)

    assert walk.failures == []
    # The walk did reach the model pages and their filters.
    assert walk.requests > 100
    assert walk.filter_choices > 10


def test_deleting_a_person_counts_their_records_and_names_none(client, admin_user, cast, secrets):
    client.force_login(admin_user)
    url = reverse("admin:people_user_delete", args=[cast.owner.pk])

    page = client.get(url).text

    assert "Brag entries: 3" in page
    assert "Assessments: 2" in page
    assert "Review notes: 1" in page
    assert f'User: <a href="/admin/people/user/{cast.owner.pk}/change/">Owner</a>' in page
    assert not [text for text in secrets.texts if text in page]


def test_a_cycle_that_reviews_protect_counts_them_instead_of_naming_them(
    client, admin_user, secrets
):
    client.force_login(admin_user)
    cycle = ReviewCycle.objects.get()

    page = client.get(reverse("admin:reviews_reviewcycle_delete", args=[cycle.pk])).text

    assert "protected related objects" in page
    assert "Assessments: 2" in page
    assert "Promotion packets: 1" in page
    assert not [text for text in secrets.texts if text in page]


def test_after_a_person_is_deleted_the_history_names_only_them(client, admin_user, cast, secrets):
    client.force_login(admin_user)
    owner_pk = cast.owner.pk

    done = client.post(reverse("admin:people_user_delete", args=[owner_pk]), {"post": "yes"})

    assert done.status_code == 302
    assert not User.objects.filter(pk=owner_pk).exists()
    assert not BragEntry.objects.filter(owner_id=owner_pk).exists()
    assert LogEntry.objects.get(object_id=str(owner_pk)).object_repr == "Owner"
    index = client.get(reverse("admin:index")).text
    assert "Owner" in index  # the recent actions list
    assert not [text for text in secrets.texts if text in index]


def test_an_authenticator_shows_its_kind_and_never_its_secret(client, admin_user, secrets):
    client.force_login(admin_user)
    totp = Authenticator.objects.get(type=Authenticator.Type.TOTP)

    page = client.get(reverse("admin:mfa_authenticator_change", args=[totp.pk])).text

    assert "TOTP" in page
    assert planted("totp-secret") not in page
    assert 'name="data"' not in page
    assert client.get(reverse("admin:mfa_authenticator_add")).status_code == 403


def test_view_on_site_answers_only_for_what_staff_may_read(client, admin_user, secrets):
    client.force_login(admin_user)
    entry = BragEntry.objects.filter(title=planted("private-entry-title")).get()
    missing = BragEntry(pk=entry.pk + 1000)
    ladder = Ladder.objects.first()

    assert client.get(view_on_site(entry)).status_code == 404
    assert client.get(view_on_site(missing)).status_code == 404  # the same answer
    assert client.get(view_on_site(ladder))["Location"].endswith(ladder.get_absolute_url())


@pytest.mark.parametrize("content_type", ["%C2%B2", "9" * 30, "abc"])
def test_view_on_site_with_a_content_type_that_is_no_id_is_404(client, admin_user, content_type):
    client.force_login(admin_user)
    client.raise_request_exception = False

    assert client.get(f"/admin/r/{content_type}/1/").status_code == 404


def test_the_allow_list_names_real_models():
    from django.apps import apps

    labels = {model._meta.label_lower for model in apps.get_models()}

    assert READABLE_BY_STAFF - labels == set()
