# ruff: noqa: E501
# (the matrix is a table: one row per line, its columns aligned)
"""The access matrix: every URL pattern × method × role of the access table (shared DESIGN.md,
docs/architecture.md), with the answer each role gets. One row per line; a pattern with no row
fails `test_every_url_pattern_has_a_row`.

Each row is one test on a fresh world (tests/careerladder/access_world.py); each role's request
runs in a savepoint that is rolled back, so that a POST the owner may make (a delete, a share)
never changes what the next role finds."""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.contrib import admin
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from .access_world import (
    ANON,
    ROLES,
    STAFF,
    World,
    build_world,
    shared,
)

SIGN_IN = "/accounts/login/"
ADMIN_SIGN_IN = "/admin/login/"
# The admin's own pages send anonymous people to its sign-in; the model pages are not exempt
# from LoginRequiredMiddleware, which sends them straight to allauth's.
ADMIN_SIGNS_IN = (ADMIN_SIGN_IN, SIGN_IN)

Value = str | Callable[[World], Any] | int


def const(value: object) -> Callable[[World], object]:
    return lambda world: value


@dataclass(frozen=True)
class Row:
    """One pattern and method: the status per role, in ROLES order (anonymous, subject,
    teammate, manager, other team's manager, decider, staff). URL kwargs are paths into the
    world ("mine.private_entry" gives that entry's pk), callables of it, or plain values."""

    pattern: str  # the URL name ("brag:detail"), or the route of an unnamed pattern
    method: str
    expect: str
    variant: str = ""
    kwargs: dict[str, Value] = field(default_factory=dict)
    data: Callable[[World], dict[str, Any]] | None = None
    path: Callable[[World], str] | None = None  # for unnamed patterns
    # Where an anonymous 302 must lead: the sign-in page unless said otherwise.
    anon_to: str | tuple[str, ...] = SIGN_IN
    # Where a signed-in 302 must not lead: denied people are never sent to sign in again
    # (that would hide a 404 behind a redirect); the admin sends them to its own sign-in.
    signed_in_to_admin_login: bool = False
    # A finding: the code answers differently from the access table. The row keeps the
    # documented answer and fails strictly the day the code is fixed, to be unmarked then.
    xfail: str = ""

    @property
    def expected(self) -> dict[str, int]:
        codes = [int(code) for code in self.expect.split()]
        assert len(codes) == len(ROLES), f"{self.id}: {len(codes)} statuses for {len(ROLES)} roles"
        return dict(zip(ROLES, codes, strict=True))

    @property
    def id(self) -> str:
        return f"{self.method} {self.pattern}" + (f" [{self.variant}]" if self.variant else "")

    def url(self, world: World) -> str:
        if self.path is not None:
            return self.path(world)
        kwargs = {name: _resolve(world, value) for name, value in self.kwargs.items()}
        return reverse(self.pattern, kwargs=kwargs)


def _resolve(world: World, value: Value) -> Any:
    if isinstance(value, str):
        found = operator.attrgetter(value)(world)
        return getattr(found, "pk", found)
    if callable(value):
        return value(world)
    return value


def R(pattern: str, method: str, expect: str, variant: str = "", **kwargs: Value) -> Row:
    return Row(pattern, method, expect, variant, kwargs)


def P(pattern: str, expect: str, variant: str = "", *, data: Any = None, **kwargs: Value) -> Row:
    """A POST row; `data` is a callable of the world giving the body (empty by default)."""
    return Row(pattern, "POST", expect, variant, kwargs, data)


EVERYONE = "302 200 200 200 200 200 200"
NOT_ALLOWED = "302 405 405 405 405 405 405"  # a method the view never takes
DIMENSION = const("scope")

# fmt: off
# Columns:                                        anon subj team mgr  omgr dec  staff
APP_ROWS: list[Row] = [
    R("home", "GET",                                  EVERYONE),
    R("home", "POST",                                 NOT_ALLOWED),
    R("healthz", "GET",                               "200 200 200 200 200 200 200"),
    R("healthz", "POST",                              "405 405 405 405 405 405 405"),
    # The load benchmark's yardstick: any signed-in person.
    R("ping", "GET",                                  EVERYONE),
    R("ping", "POST",                                 NOT_ALLOWED),
    Row("favicon.ico", "GET",                         "301 301 301 301 301 301 301", path=const("/favicon.ico")),
    Row("favicon.ico", "POST",                        "405 405 405 405 405 405 405", path=const("/favicon.ico")),
    # The level map: everyone signed in reads it; only staff import.
    R("ladder:default", "GET",                        EVERYONE),
    R("ladder:default", "POST",                       NOT_ALLOWED),
    R("ladder:upload", "GET",                         "302 403 403 403 403 403 200"),
    P("ladder:upload",                                "302 403 403 403 403 403 400"),
    # The ladder file formats (docs/ladder-format.md): anyone may download a ladder's file.
    R("ladder:format", "GET",                         EVERYONE),
    R("ladder:format", "POST",                        NOT_ALLOWED),
    R("ladder:ladder", "GET",                         EVERYONE, slug="ladder.slug"),
    R("ladder:ladder", "POST",                        NOT_ALLOWED, slug="ladder.slug"),
    R("ladder:export", "GET",                         EVERYONE, slug="ladder.slug"),
    R("ladder:export", "POST",                        NOT_ALLOWED, slug="ladder.slug"),
    R("ladder:history", "GET",                        EVERYONE, slug="ladder.slug"),
    R("ladder:history", "POST",                       NOT_ALLOWED, slug="ladder.slug"),
    R("ladder:version_diff", "GET",                   EVERYONE, slug="ladder.slug"),
    R("ladder:version_diff", "POST",                  NOT_ALLOWED, slug="ladder.slug"),
    R("ladder:map", "GET",                            EVERYONE, slug="ladder.slug", track_key=const("ic")),
    R("ladder:map", "POST",                           NOT_ALLOWED, slug="ladder.slug", track_key=const("ic")),
    R("ladder:diff", "GET",                           EVERYONE, slug="ladder.slug", track_key=const("ic")),
    R("ladder:diff", "POST",                          NOT_ALLOWED, slug="ladder.slug", track_key=const("ic")),
    # My brag document: each person's own.
    R("brag:list", "GET",                             EVERYONE),
    R("brag:list", "POST",                            NOT_ALLOWED),
    R("brag:add", "GET",                              NOT_ALLOWED),
    P("brag:add",                                     "302 422 422 422 422 422 422", "empty: refused"),
    R("brag:quantify", "GET",                         NOT_ALLOWED),
    P("brag:quantify",                                EVERYONE),
    R("brag:export", "GET",                           EVERYONE),
    R("brag:export", "POST",                          NOT_ALLOWED),
    R("brag:print", "GET",                            EVERYONE),
    R("brag:print", "POST",                           NOT_ALLOWED),
    # One entry, by visibility.
    R("brag:detail", "GET",                           "302 200 404 404 404 404 404", "private", pk="mine.private_entry"),
    R("brag:detail", "GET",                           "302 200 404 200 404 404 404", "managers", pk="mine.managers_entry"),
    R("brag:detail", "GET",                           "302 200 200 200 404 404 404", "team", pk="mine.team_entry"),
    R("brag:detail", "GET",                           "302 404 404 404 404 404 404", "deleted", pk="mine.deleted_entry"),
    R("brag:detail", "POST",                          NOT_ALLOWED, "team", pk="mine.team_entry"),
    R("brag:edit", "GET",                             "302 200 404 404 404 404 404", "private", pk="mine.private_entry"),
    R("brag:edit", "GET",                             "302 200 404 404 404 404 404", "team", pk="mine.team_entry"),
    P("brag:edit",                                    "302 422 404 404 404 404 404", "team, empty", pk="mine.team_entry"),
    R("brag:delete", "GET",                           NOT_ALLOWED, pk="mine.team_entry"),
    P("brag:delete",                                  "302 302 404 404 404 404 404", "team", pk="mine.team_entry"),
    R("brag:undo", "GET",                             NOT_ALLOWED, pk="mine.deleted_entry"),
    P("brag:undo",                                    "302 302 404 404 404 404 404", "deleted", pk="mine.deleted_entry"),
    R("brag:recognise", "GET",                        NOT_ALLOWED, pk="mine.glue_entry"),
    P("brag:recognise",                               "302 404 404 302 404 404 404", "glue, team", pk="mine.glue_entry"),
    P("brag:recognise",                               "302 404 404 404 404 404 404", "private", pk="mine.private_entry"),
    # Goals: their owner's alone.
    R("brag:goal_add", "GET",                         NOT_ALLOWED),
    P("brag:goal_add",                                "302 302 302 302 302 302 302", "empty: refused, back to my list"),
    R("brag:goal_toggle", "GET",                      NOT_ALLOWED, pk="mine.goal"),
    P("brag:goal_toggle",                             "302 302 404 404 404 404 404", pk="mine.goal"),
    R("brag:goal_delete", "GET",                      NOT_ALLOWED, pk="mine.goal"),
    P("brag:goal_delete",                             "302 302 404 404 404 404 404", pk="mine.goal"),
    R("brag:goal_undo", "GET",                        NOT_ALLOWED, pk="mine.deleted_goal"),
    P("brag:goal_undo",                               "302 302 404 404 404 404 404", pk="mine.deleted_goal"),
    # Someone's document: their own (sent to "My brag document"), their managers', teammates'.
    R("brag:person", "GET",                           "302 302 200 200 404 404 404", person_id="subject"),
    R("brag:person", "POST",                          NOT_ALLOWED, person_id="subject"),
    R("brag:person_export", "GET",                    "302 200 200 200 404 404 404", person_id="subject"),
    R("brag:person_export", "POST",                   NOT_ALLOWED, person_id="subject"),
    R("brag:person_print", "GET",                     "302 200 200 200 404 404 404", person_id="subject"),
    R("brag:person_print", "POST",                    NOT_ALLOWED, person_id="subject"),
    # The team page: its members only; the per-person CSV: its managers only.
    R("teams:team", "GET",                            "302 200 200 200 404 404 404", team_id="team"),
    R("teams:team", "POST",                           NOT_ALLOWED, team_id="team"),
    R("teams:csv", "GET",                             "302 404 404 200 404 404 404", team_id="team"),
    R("teams:csv", "POST",                            NOT_ALLOWED, team_id="team"),
    # Reviews home and assessments.
    R("reviews:home", "GET",                          EVERYONE),
    R("reviews:home", "POST",                         NOT_ALLOWED),
    R("reviews:start", "GET",                         NOT_ALLOWED, cycle_id="later_cycle"),
    P("reviews:start",                                "302 302 302 302 302 302 302", "self", cycle_id="later_cycle"),
    P("reviews:start",                                "302 404 404 302 404 404 404", "of the subject", cycle_id="later_cycle", data=lambda w: {"subject": w.subject.pk}),
    R("reviews:assessment", "GET",                    "302 200 404 200 404 404 404", "self, submitted", pk="mine.self_assessment"),
    R("reviews:assessment", "GET",                    "302 200 404 200 404 404 404", "manager's, shared", pk="mine.manager_assessment"),
    R("reviews:assessment", "GET",                    "302 200 404 404 404 404 404", "self, draft", pk="mine.draft_self"),
    R("reviews:assessment", "GET",                    "302 404 404 200 404 404 404", "manager's, draft", pk="mine.draft_manager"),
    R("reviews:assessment", "POST",                   NOT_ALLOWED, "self, draft", pk="mine.draft_self"),
    R("reviews:submit", "GET",                        NOT_ALLOWED, pk="mine.draft_self"),
    P("reviews:submit",                               "302 302 404 404 404 404 404", "self, draft", pk="mine.draft_self"),
    P("reviews:submit",                               "302 404 404 302 404 404 404", "manager's, draft", pk="mine.draft_manager"),
    R("reviews:share", "GET",                         NOT_ALLOWED, pk="mine.manager_assessment"),
    P("reviews:share",                                "302 404 404 302 404 404 404", "manager's", pk="mine.manager_assessment"),
    R("reviews:rating", "GET",                        NOT_ALLOWED, pk="mine.draft_self", rating_id="mine.draft_rating"),
    P("reviews:rating",                               "302 302 404 404 404 404 404", "self, draft", pk="mine.draft_self", rating_id="mine.draft_rating"),
    P("reviews:rating",                               "302 404 404 302 404 404 404", "manager's, draft", pk="mine.draft_manager", rating_id="mine.draft_manager_rating"),
    R("reviews:picker", "GET",                        "302 200 404 404 404 404 404", "self, draft", pk="mine.draft_self", rating_id="mine.draft_rating"),
    R("reviews:picker", "POST",                       NOT_ALLOWED, pk="mine.draft_self", rating_id="mine.draft_rating"),
    R("reviews:standing", "GET",                      "302 200 404 200 404 404 404", person_id="subject"),
    R("reviews:standing", "POST",                     NOT_ALLOWED, person_id="subject"),
    R("reviews:dashboard", "GET",                     EVERYONE),
    R("reviews:dashboard", "POST",                    NOT_ALLOWED),
    # Review notes: the subject's managers; the subject reads a shared one.
    R("reviews:notes", "GET",                         "302 200 404 200 404 404 404", person_id="subject"),
    P("reviews:notes",                                "302 404 404 422 404 404 404", "empty: refused", person_id="subject"),
    R("reviews:note", "GET",                          "302 404 404 200 404 404 404", "private", pk="mine.private_note"),
    R("reviews:note", "GET",                          "302 200 404 200 404 404 404", "shared", pk="mine.shared_note"),
    R("reviews:note", "GET",                          "302 404 404 404 404 404 404", "deleted", pk="mine.deleted_note"),
    P("reviews:note",                                 "302 404 404 422 404 404 404", "private, empty", pk="mine.private_note"),
    P("reviews:note",                                 "302 404 404 422 404 404 404", "shared, empty", pk="mine.shared_note"),
    R("reviews:note_share", "GET",                    NOT_ALLOWED, pk="mine.private_note"),
    P("reviews:note_share",                           "302 404 404 302 404 404 404", "private", pk="mine.private_note"),
    R("reviews:note_delete", "GET",                   NOT_ALLOWED, pk="mine.private_note"),
    P("reviews:note_delete",                          "302 404 404 302 404 404 404", "private", pk="mine.private_note"),
    R("reviews:note_undo", "GET",                     NOT_ALLOWED, pk="mine.deleted_note"),
    P("reviews:note_undo",                            "302 404 404 302 404 404 404", "deleted", pk="mine.deleted_note"),
    R("reviews:note_history", "GET",                  "302 404 404 200 404 404 404", "private", pk="mine.private_note"),
    R("reviews:note_history", "GET",                  "302 404 404 200 404 404 404", "shared", pk="mine.shared_note"),
    R("reviews:note_history", "POST",                 NOT_ALLOWED, pk="mine.shared_note"),
    # Promotion packets: subject and managers; the round's deciders once submitted.
    R("reviews:packet_start", "GET",                  NOT_ALLOWED, person_id="subject"),
    P("reviews:packet_start",                         "302 302 404 302 404 404 404", "empty: refused", person_id="subject"),
    R("reviews:packet", "GET",                        "302 200 404 200 404 200 404", "submitted", pk="mine.packet"),
    R("reviews:packet", "GET",                        "302 200 404 200 404 404 404", "draft", pk="mine.draft_packet"),
    R("reviews:packet", "POST",                       NOT_ALLOWED, pk="mine.packet"),
    R("reviews:packet_section", "GET",                NOT_ALLOWED, pk="mine.draft_packet", section=const("influence")),
    P("reviews:packet_section",                       "302 422 404 403 404 404 404", "draft, the subject's", pk="mine.draft_packet", section=const("influence")),
    P("reviews:packet_section",                       "302 403 404 422 404 404 404", "draft, the manager's", pk="mine.draft_packet", section=const("summary")),
    P("reviews:packet_section",                       "302 302 404 403 404 403 404", "submitted", pk="mine.packet", section=const("influence")),
    R("reviews:packet_projects", "GET",               NOT_ALLOWED, pk="mine.draft_packet"),
    P("reviews:packet_projects",                      "302 422 404 403 404 404 404", "draft", pk="mine.draft_packet"),
    R("reviews:packet_matrix", "GET",                 NOT_ALLOWED, pk="mine.draft_packet", dimension_key=DIMENSION),
    P("reviews:packet_matrix",                        "302 422 404 422 404 404 404", "draft", pk="mine.draft_packet", dimension_key=DIMENSION),
    P("reviews:packet_matrix",                        "302 302 404 302 404 403 404", "submitted", pk="mine.packet", dimension_key=DIMENSION),
    R("reviews:packet_draft", "GET",                  NOT_ALLOWED, pk="mine.draft_packet"),
    P("reviews:packet_draft",                         "302 302 404 302 404 404 404", "draft", pk="mine.draft_packet"),
    P("reviews:packet_draft",                         "302 302 404 302 404 403 404", "submitted", pk="mine.packet"),
    R("reviews:packet_share", "GET",                  NOT_ALLOWED, pk="mine.draft_packet"),
    P("reviews:packet_share",                         "302 403 404 302 404 404 404", "draft", pk="mine.draft_packet"),
    R("reviews:packet_submit", "GET",                 NOT_ALLOWED, pk="mine.draft_packet"),
    P("reviews:packet_submit",                        "302 403 404 302 404 404 404", "draft", pk="mine.draft_packet"),
    R("reviews:packet_export", "GET",                 "302 200 404 200 404 200 404", "submitted", pk="mine.packet"),
    R("reviews:packet_export", "GET",                 "302 200 404 200 404 404 404", "draft", pk="mine.draft_packet"),
    R("reviews:packet_export", "POST",                NOT_ALLOWED, pk="mine.packet"),
    R("reviews:packet_print", "GET",                  "302 200 404 200 404 200 404", "submitted", pk="mine.packet"),
    R("reviews:packet_print", "GET",                  "302 200 404 200 404 404 404", "draft", pk="mine.draft_packet"),
    R("reviews:packet_print", "POST",                 NOT_ALLOWED, pk="mine.packet"),
    # The promotion round: its deciders only.
    R("reviews:round", "GET",                         "302 404 404 404 404 200 404", cycle_id="cycle"),
    R("reviews:round", "POST",                        NOT_ALLOWED, cycle_id="cycle"),
    R("reviews:packet_decide", "GET",                 "302 404 404 404 404 200 404", pk="mine.packet"),
    P("reviews:packet_decide",                        "302 404 404 404 404 400 404", "empty: refused", pk="mine.packet"),
    # The audit trail: staff only (who, when, which field; never the text). Like the admin's
    # private models, it answers 404 to others: a page that is not theirs does not exist for them.
    Row("audit:trail", "GET",                         "302 404 404 404 404 404 200"),
    R("audit:trail", "POST",                          NOT_ALLOWED),
    # Each person's own data, and own settings.
    R("portability:my_data", "GET",                   EVERYONE),
    R("portability:my_data", "POST",                  NOT_ALLOWED),
    R("settings", "GET",                              EVERYONE),
    P("settings",                                     "302 422 422 422 422 422 422", "no name: refused", data=lambda w: {"name": ""}),
]
# fmt: on


# The sign-in pages (allauth) and MFA. Signed-in people are sent on from the sign-in page.
# fmt: off
# Columns:                                        anon subj team mgr  omgr dec  staff
ACCOUNT_ROWS: list[Row] = [
    R("account_login", "GET",                         "200 302 302 302 302 302 302"),
    P("account_login",                                "200 302 302 302 302 302 302", "empty"),
    Row("account_logout", "GET",                      "302 200 200 200 200 200 200", anon_to="/"),
    Row("account_logout", "POST",                     "302 302 302 302 302 302 302", anon_to="/"),
    R("account_signup", "GET",                        "404 404 404 404 404 404 404", "closed"),
    P("account_signup",                               "404 404 404 404 404 404 404", "closed"),
    R("account_reauthenticate", "GET",                EVERYONE),
    P("account_reauthenticate",                       EVERYONE, "empty: refused"),
    R("account_change_password", "GET",               EVERYONE),
    P("account_change_password",                      EVERYONE, "empty: refused"),
    R("account_set_password", "GET",                  "302 302 302 302 302 302 302", "has one: to change"),
    P("account_set_password",                         "302 302 302 302 302 302 302", "has one: to change"),
    R("account_reset_password", "GET",                "200 200 200 200 200 200 200"),
    P("account_reset_password",                       "200 200 200 200 200 200 200", "empty: refused"),
    R("account_reset_password_done", "GET",           "200 200 200 200 200 200 200"),
    P("account_reset_password_done",                  "405 405 405 405 405 405 405"),
    R("account_reset_password_from_key", "GET",       "200 200 200 200 200 200 200", "bad key", uidb36=const("zz"), key=const("bad-key")),
    P("account_reset_password_from_key",              "200 200 200 200 200 200 200", "bad key", uidb36=const("zz"), key=const("bad-key")),
    R("account_reset_password_from_key_done", "GET",  "200 200 200 200 200 200 200"),
    P("account_reset_password_from_key_done",         "405 405 405 405 405 405 405"),
    # Email changes: the link from the verification mail, for the signed-in person it names.
    R("settings_confirm_email", "GET",                "302 400 400 400 400 400 400", "bad token", token=const("bogus")),
    P("settings_confirm_email",                       "302 400 400 400 400 400 400", "bad token", token=const("bogus")),
    # MFA: nobody in the world has TOTP; setting it up asks for the password again first.
    R("mfa_index", "GET",                             EVERYONE),
    R("mfa_index", "POST",                            NOT_ALLOWED),
    R("mfa_authenticate", "GET",                      "302 302 302 302 302 302 302", "no sign-in under way"),
    P("mfa_authenticate",                             "302 302 302 302 302 302 302", "no sign-in under way"),
    R("mfa_reauthenticate", "GET",                    "302 302 302 302 302 302 302", "no MFA: password instead"),
    P("mfa_reauthenticate",                           "302 302 302 302 302 302 302", "no MFA: password instead"),
    R("mfa_activate_totp", "GET",                     "302 302 302 302 302 302 302", "reauthenticate first"),
    P("mfa_activate_totp",                            "302 302 302 302 302 302 302", "reauthenticate first"),
    R("mfa_deactivate_totp", "GET",                   "302 404 404 404 404 404 404", "none to remove"),
    P("mfa_deactivate_totp",                          "302 404 404 404 404 404 404", "none to remove"),
    R("mfa_view_recovery_codes", "GET",               "302 404 404 404 404 404 404", "none yet"),
    R("mfa_view_recovery_codes", "POST",              NOT_ALLOWED),
    R("mfa_generate_recovery_codes", "GET",           "302 302 302 302 302 302 302", "reauthenticate first"),
    P("mfa_generate_recovery_codes",                  "302 302 302 302 302 302 302", "reauthenticate first"),
    R("mfa_download_recovery_codes", "GET",           "302 404 404 404 404 404 404", "none yet"),
    P("mfa_download_recovery_codes",                  "302 404 404 404 404 404 404", "none yet"),
]
# fmt: on


# The Django admin: every page of every registered model, generated from the admin's own
# registry. Staff (a superuser here) open them; everyone else signed in is sent to the admin's
# sign-in, which refuses them (403); nobody but staff ever gets a 200.
STAFF_ONLY = "302 302 302 302 302 302 {staff}"


def _admin_object(model: type) -> Callable[[World], str]:
    def first(world: World) -> str:
        obj = model._default_manager.order_by("pk").first()
        assert obj is not None, f"plant a {model.__name__} in access_world for its admin pages"
        return str(obj.pk)

    return first


# What staff get from each generated admin page, by the name's last part, GET then POST
# (an empty POST: the add and change forms answer with their errors, delete asks again).
ADMIN_ACTIONS = {
    "changelist": (200, 200),
    "add": (200, 200),
    "change": (200, 200),
    "delete": (200, 200),
    "history": (200, 200),
    "password_change": (200, 200),
}


# Pages whose model admin answers staff otherwise: allauth's authenticators are read-only
# (nobody adds one for someone else, nor edits its secrets).
ADMIN_EXCEPTIONS = {
    "admin:mfa_authenticator_add": (403, 403),
    "admin:mfa_authenticator_change": (200, 403),
}


def admin_rows() -> list[Row]:
    rows: list[Row] = []
    for model, model_admin in admin.site._registry.items():
        obj = _admin_object(model)
        for pattern in model_admin.urls:
            route = f"admin/{model._meta.app_label}/{model._meta.model_name}/{pattern.pattern}"
            if pattern.name is None:
                # The old object URL, sent on to the change page.
                path = _path_with_object(route, obj)
                for method in ("GET", "POST"):
                    rows.append(
                        Row(route, method, STAFF_ONLY.format(staff=302), path=path,
                            anon_to=ADMIN_SIGNS_IN, signed_in_to_admin_login=True)
                    )  # fmt: skip
                continue
            name = f"admin:{pattern.name}"
            action = next(a for a in ADMIN_ACTIONS if pattern.name.endswith(a))
            kwargs: dict[str, Value] = {k: obj for k in pattern.pattern.converters}
            answers = ADMIN_EXCEPTIONS.get(name, ADMIN_ACTIONS[action])
            for method, staff in zip(("GET", "POST"), answers, strict=True):
                rows.append(
                    Row(name, method, STAFF_ONLY.format(staff=staff), kwargs=kwargs,
                        anon_to=ADMIN_SIGNS_IN, signed_in_to_admin_login=True)
                )  # fmt: skip
    return rows


def _path_with_object(route: str, obj: Callable[[World], str]) -> Callable[[World], str]:
    return lambda world: "/" + route.replace("<path:object_id>", obj(world))


def _admin(pattern: str, method: str, expect: str, path: str | None = None, **kwargs: Value) -> Row:
    return Row(
        pattern, method, expect, kwargs=kwargs, anon_to=ADMIN_SIGNS_IN,
        signed_in_to_admin_login=True, path=const(path) if path else None,
    )  # fmt: skip


AUTOCOMPLETE = {
    "app_label": "people",
    "model_name": "membership",
    "field_name": "user",
    "term": "sub",
}


def view_on_site(obj: Any) -> str:
    from django.contrib.contenttypes.models import ContentType

    return f"/admin/r/{ContentType.objects.get_for_model(obj).pk}/{obj.pk}/"


# fmt: off
# Columns:                                        anon subj team mgr  omgr dec  staff
ADMIN_SITE_ROWS: list[Row] = [
    _admin("admin:index", "GET",                      "302 302 302 302 302 302 200"),
    _admin("admin:index", "POST",                     "302 302 302 302 302 302 200"),
    # The admin's sign-in is allauth's; signed-in people who are not staff are refused.
    Row("admin:login", "GET",                         "302 403 403 403 403 403 302"),
    Row("admin:login", "POST",                        "302 403 403 403 403 403 200"),
    _admin("admin:logout", "GET",                     "302 302 302 302 302 302 405"),
    _admin("admin:logout", "POST",                    "302 302 302 302 302 302 200"),
    _admin("admin:password_change", "GET",            "302 302 302 302 302 302 200"),
    _admin("admin:password_change", "POST",           "302 302 302 302 302 302 200"),
    _admin("admin:password_change_done", "GET",       "302 302 302 302 302 302 200"),
    _admin("admin:password_change_done", "POST",      "302 302 302 302 302 302 405"),
    _admin("admin:jsi18n", "GET",                     "302 302 302 302 302 302 200"),
    _admin("admin:jsi18n", "POST",                    "302 302 302 302 302 302 405"),
    _admin("admin:app_list", "GET",                   "302 302 302 302 302 302 200", app_label=const("people")),
    _admin("admin:app_list", "POST",                  "302 302 302 302 302 302 200", app_label=const("people")),
    _admin("admin/(?P<url>.*)$", "GET",               "302 302 302 302 302 302 404", "/admin/nothing/here/"),
    _admin("admin/(?P<url>.*)$", "POST",              "302 302 302 302 302 302 404", "/admin/nothing/here/"),
    # Staff search people to add to a team (the membership inline's autocomplete).
    Row("admin:autocomplete", "GET",                  "302 302 302 302 302 302 200", "people search", anon_to=ADMIN_SIGNS_IN, signed_in_to_admin_login=True, data=const(AUTOCOMPLETE)),
    _admin("admin:autocomplete", "POST",              "302 302 302 302 302 302 405"),
    # The admin's "view on site" redirect must not confirm that a private object exists
    # (careerladder/admin_privacy.py guards it).
    Row("admin:view_on_site", "GET",                  "302 302 302 302 302 302 404", "private entry", anon_to=ADMIN_SIGNS_IN, signed_in_to_admin_login=True, path=lambda w: view_on_site(w.mine.private_entry)),
    Row("admin:view_on_site", "GET",                  "302 302 302 302 302 302 404", "private note", anon_to=ADMIN_SIGNS_IN, signed_in_to_admin_login=True, path=lambda w: view_on_site(w.mine.private_note)),
    Row("admin:view_on_site", "POST",                 "302 302 302 302 302 302 404", "private note", anon_to=ADMIN_SIGNS_IN, signed_in_to_admin_login=True, path=lambda w: view_on_site(w.mine.private_note)),
]
# fmt: on

ROWS: list[Row] = APP_ROWS + ACCOUNT_ROWS + ADMIN_SITE_ROWS + admin_rows()


# The URL patterns, walked from the root resolver.


def url_patterns() -> Iterator[str]:
    """Every pattern as the table keys it: its namespaced name, or its route when unnamed."""

    def walk(patterns: list[Any], prefix: str, namespace: str) -> Iterator[str]:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                inner = namespace
                if entry.namespace:
                    inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
                yield from walk(entry.url_patterns, prefix + str(entry.pattern), inner)
            elif isinstance(entry, URLPattern):
                if entry.name:
                    yield f"{namespace}:{entry.name}" if namespace else entry.name
                else:
                    yield prefix + str(entry.pattern)

    return walk(get_resolver().url_patterns, "", "")


def test_every_url_pattern_has_a_row() -> None:
    covered = {row.pattern for row in ROWS}
    missing = sorted(set(url_patterns()) - covered)
    assert not missing, "URL patterns with no row in the access matrix:\n" + "\n".join(missing)


def test_every_row_names_a_pattern() -> None:
    """A row left behind by a removed URL would test nothing."""
    stale = sorted({row.pattern for row in ROWS} - set(url_patterns()))
    assert not stale, "rows for URL patterns that no longer exist:\n" + "\n".join(stale)


def test_every_pattern_is_asked_with_get_and_post() -> None:
    methods: dict[str, set[str]] = {}
    for row in ROWS:
        methods.setdefault(row.pattern, set()).add(row.method)
    lacking = sorted(p for p, m in methods.items() if m != {"GET", "POST"})
    assert not lacking, "patterns without both a GET and a POST row:\n" + "\n".join(lacking)


# The matrix itself.


def ask(row: Row, world: World, role: str) -> Any:
    """One role's request, in a savepoint rolled back afterwards: nothing it writes stays."""
    client = Client()
    with transaction.atomic():
        if role != ANON:
            client.force_login(world.people[role])
        data = row.data(world) if row.data else {}
        url = row.url(world)
        response = client.post(url, data) if row.method == "POST" else client.get(url, data)
        transaction.set_rollback(True)
    return response


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    with django_db_blocker.unblock(), shared(build_world) as built:
        yield built


def _params(rows: list[Row]) -> list[Any]:
    return [
        pytest.param(row, id=row.id, marks=[pytest.mark.xfail(strict=True, reason=row.xfail)])
        if row.xfail
        else pytest.param(row, id=row.id)
        for row in rows
    ]


@pytest.mark.parametrize("row", _params(ROWS))
def test_access(row: Row, world: World, db: None) -> None:
    responses = {role: ask(row, world, role) for role in ROLES}
    got = {role: response.status_code for role, response in responses.items()}
    wrong = {
        role: (row.expected[role], got[role]) for role in ROLES if got[role] != row.expected[role]
    }
    assert not wrong, f"{row.id} at {row.url(world)}: expected/got {wrong}"
    for role, response in responses.items():
        if response.status_code != 302:
            continue
        location = response["Location"]
        if role == ANON:
            assert location.startswith(row.anon_to), f"{row.id}: anonymous sent to {location}"
        elif row.signed_in_to_admin_login and role != STAFF:
            # To the admin's sign-in (which refuses them), or its index (after "log out").
            assert location.startswith("/admin/"), f"{row.id}: {role} sent to {location}"
        else:
            # A denied person is answered, never sent to sign in again.
            assert not location.startswith(SIGN_IN), f"{row.id}: {role} sent to {location}"
