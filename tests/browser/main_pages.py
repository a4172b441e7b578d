"""The main pages of Careerladder, per persona, in a realistic world: the demo organisation.

The axe and phone-width tests visit every page listed here; the journeys sign in as the same
people. URLs are resolved from the world (objects and `reverse`), never typed with ids, so the
list survives any change to the demo's data.

    engineer  priya@example.com  Platform, Senior (L4); her self-assessment submitted this quarter
    manager   maya@example.com   manages Platform; decides this quarter's round too
    decider   sam@example.com    manages Payments; decides both rounds
    staff     admin@example.com  staff and superuser, on no track and in no team
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.apps import apps
from django.core import serializers
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Model
from django.urls import reverse
from playwright.sync_api import Browser, Page, ViewportSize

from ladder.models import Expectation, Ladder
from ladder.services import export_ladder_yaml, import_ladder_text
from people.demo import DEMO_PASSWORD
from people.models import Team, User
from reviews.models import Assessment, Kind, ReviewCycle, State
from reviews.note_models import ReviewNote
from reviews.packet_models import PacketStatus, PromotionPacket
from reviews.services import start_assessment

from .conftest import open_page
from .journeys import sign_in

PASSWORD = DEMO_PASSWORD

PERSONAS = {
    "engineer": "priya@example.com",
    "manager": "maya@example.com",
    "decider": "sam@example.com",
    "staff": "admin@example.com",
}


@dataclass(frozen=True)
class MainPage:
    """`name` is stable and file-name safe: it names the screenshot and the failure."""

    name: str
    path: str


# Apps whose rows are the world. Left out: what every flushed database gets back by itself
# (content types, permissions) and what no world has yet (sessions, the admin's log).
WORLD_APPS = {
    "account", "mfa", "django_tasks_database", "careerladder", "ladder", "people", "brag",
    "reviews", "audit", "portability",
}  # fmt: skip
_snapshot: str | None = None


def build_world() -> None:
    """The demo organisation, plus what the demo leaves out and a main page needs: a second
    version of the ladder (for the version diff) and a manager's assessment in draft (Maya's
    of Leo, whose own self-assessment is a draft too).

    Seeding takes seconds, and every live-server test starts from a flushed database: the
    first test of the session seeds and keeps a copy of the rows; the others load the copy."""
    global _snapshot
    if _snapshot is None:
        _seed()
        _snapshot = serializers.serialize("json", _world_rows())
    else:
        _restore(_snapshot)


def _world_models() -> list[type[Model]]:
    return [
        model
        for config in apps.get_app_configs()
        if config.label in WORLD_APPS
        for model in config.get_models()
        if model._meta.managed and not model._meta.proxy
    ]


def _world_rows() -> Iterator[Model]:
    for model in _world_models():
        yield from model._base_manager.order_by(model._meta.pk.name).iterator()


def _restore(snapshot: str) -> None:
    """Rows go back with their ids, as loaddata writes them (raw: no history rows, no signals).
    Many-to-many links are written straight into their tables, since setting them would send
    m2m_changed and the audit trail would record the restore. Then PostgreSQL's sequences move
    past the ids, so that what a test creates gets an id of its own."""
    with transaction.atomic(), connection.constraint_checks_disabled():
        for row in serializers.deserialize("json", snapshot):
            row.object.save_base(raw=True)
            for name, pks in (row.m2m_data or {}).items():
                field = row.object._meta.get_field(name)
                through = field.remote_field.through  # type: ignore[union-attr]
                source, target = field.m2m_field_name(), field.m2m_reverse_field_name()  # type: ignore[union-attr]
                through._base_manager.bulk_create(
                    through(**{f"{source}_id": row.object.pk, f"{target}_id": pk}) for pk in pks
                )
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), _world_models()):
            cursor.execute(statement)


def _seed() -> None:
    call_command("load_default_ladder", verbosity=0)
    call_command("seed_demo", verbosity=0)
    ladder = Ladder.objects.get(slug="engineering")
    staff = User.objects.get(email=PERSONAS["staff"])
    scope = Expectation.objects.get(
        level__track__ladder=ladder,
        level__track__key="ic",
        level__code="L3",
        dimension__key="scope",
    )
    text = export_ladder_yaml(ladder)
    reworded = text.replace(f"scope: {scope.summary}\n", "scope: A feature or a small service\n")
    assert reworded != text, "the demo ladder's L3 scope text is not where the world expects it"
    import_ladder_text(reworded, "engineering.yaml", replace=True, by=staff)
    cycle = ReviewCycle.objects.filter(is_open=True).latest("start")
    maya, leo = (
        User.objects.get(email=PERSONAS["manager"]),
        User.objects.get(email="leo@example.com"),
    )
    start_assessment(cycle, leo, maya, Kind.MANAGER)


def main_pages() -> dict[str, list[MainPage]]:
    """Every persona's main pages, anonymous visitors included, resolved from the world that
    `build_world` made."""
    people = {email.split("@")[0]: user for email, user in _people().items()}
    priya, leo, maya = people["priya"], people["leo"], people["maya"]
    ladder = Ladder.objects.get(slug="engineering")
    open_cycle = ReviewCycle.objects.filter(is_open=True).latest("start")
    platform = Team.objects.get(slug="platform")
    versions = list(ladder.versions.order_by("-number").values_list("number", flat=True))
    own_submitted = Assessment.objects.get(
        cycle=open_cycle, subject=priya, kind=Kind.SELF, state=State.SUBMITTED
    )
    managers_draft = Assessment.objects.get(
        cycle=open_cycle, subject=leo, author=maya, state=State.DRAFT
    )
    note = ReviewNote.objects.filter(subject=priya, title="Calibration prep").get()
    submitted_packet = PromotionPacket.objects.get(
        subject=priya, cycle=open_cycle, status=PacketStatus.SUBMITTED
    )
    draft_packet = PromotionPacket.objects.get(subject=leo, cycle=open_cycle)
    level_map = reverse("ladder:map", args=[ladder.slug, priya.track.key])  # type: ignore[union-attr]
    version_diff = reverse("ladder:version_diff", args=[ladder.slug])
    return {
        "anonymous": [MainPage("sign-in", reverse("account_login"))],
        "engineer": [
            MainPage("home", reverse("home")),
            MainPage("brag", reverse("brag:list")),
            MainPage("teammate-brag", reverse("brag:person", args=[leo.pk])),
            MainPage("level-map", level_map),
            MainPage(
                "level-diff",
                reverse("ladder:diff", args=[ladder.slug, "ic"]) + "?from_level=L4&to_level=L5",
            ),
            MainPage("ladder-history", reverse("ladder:history", args=[ladder.slug])),
            MainPage("version-diff", f"{version_diff}?from={versions[1]}&to={versions[0]}"),
            MainPage("reviews", reverse("reviews:home")),
            MainPage("assessment-submitted", own_submitted.get_absolute_url()),
            MainPage("where-i-stand", reverse("reviews:standing", args=[priya.pk])),
            MainPage("my-packet", submitted_packet.get_absolute_url()),
            MainPage("settings", reverse("settings")),
        ],
        "manager": [
            MainPage("home", reverse("home")),
            MainPage("reviews", reverse("reviews:home")),
            MainPage("dashboard", reverse("reviews:dashboard")),
            MainPage("assessment-draft", managers_draft.get_absolute_url()),
            MainPage("compare", reverse("reviews:standing", args=[priya.pk])),
            MainPage("notes", reverse("reviews:notes", args=[priya.pk])),
            MainPage("note", note.get_absolute_url()),
            MainPage("packet", draft_packet.get_absolute_url()),
            MainPage("team", reverse("teams:team", args=[platform.pk])),
            MainPage("brag", reverse("brag:list")),
        ],
        "decider": [
            MainPage("home", reverse("home")),
            MainPage("round", reverse("reviews:round", args=[open_cycle.pk])),
            MainPage("packet-to-decide", submitted_packet.get_absolute_url()),
        ],
        "staff": [
            MainPage("home", reverse("home")),
            MainPage("reviews", reverse("reviews:home")),
            MainPage("import", reverse("ladder:upload")),
            MainPage("ladder-format", reverse("ladder:format")),
            MainPage("audit", reverse("audit:trail")),
            MainPage("settings", reverse("settings")),
        ],
    }


def _people() -> dict[str, User]:
    emails = [*PERSONAS.values(), "leo@example.com"]
    return {user.email: user for user in User.objects.filter(email__in=emails)}


def visit_main_pages(
    browser: Browser,
    base_url: str,
    viewport: ViewportSize,
    console_errors: list[str],
    check: Callable[[Page, MainPage], list[str]],
) -> tuple[int, list[str]]:
    """Open every main page as its persona (signed in through the form, one browser context
    each) and run `check` on it once loaded. Returns how many pages were checked and the
    problems, each page's under a line naming it."""
    report: list[str] = []
    checked = 0
    for persona, pages in main_pages().items():
        context, page = open_page(browser, base_url, viewport, console_errors)
        try:
            email = PERSONAS.get(persona)
            if email:
                sign_in(page, email, PASSWORD)
            for main_page in pages:
                response = page.goto(main_page.path)
                if response is None or response.status >= 400:
                    problems = [f"  answered {response.status if response else 'nothing'}"]
                else:
                    problems = check(page, main_page)
                checked += 1
                if problems:
                    report.append(f"[{persona}] {main_page.name} {main_page.path}")
                    report += problems
        finally:
            context.close()
    return checked, report
