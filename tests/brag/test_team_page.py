"""The team page and its CSV: access for each role, the range picker, the chart and the query
count, which does not grow with the team."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from people.models import Team

from ..factories import BragEntryFactory, MembershipFactory, UserFactory


@pytest.fixture
def team(cast):
    return Team.objects.get(name="Platform")


def page(client, viewer, team, query=""):
    client.force_login(viewer)
    return client.get(reverse("teams:team", args=[team.pk]) + query)


def csv_of(client, viewer, team, query=""):
    client.force_login(viewer)
    return client.get(reverse("teams:csv", args=[team.pk]) + query)


@pytest.mark.parametrize("who", ["owner", "teammate", "manager"])
def test_members_open_the_team_page(client, cast, team, who):
    response = page(client, getattr(cast, who), team)
    assert response.status_code == 200
    assert "Platform" in response.text
    assert 'role="img"' in response.text


@pytest.mark.parametrize("who", ["outsider", "staff"])
def test_others_get_404(client, cast, team, who):
    assert page(client, getattr(cast, who), team).status_code == 404
    assert csv_of(client, getattr(cast, who), team).status_code == 404


def test_unknown_team_is_404(client, cast):
    assert page(client, cast.manager, Team(pk=99999)).status_code == 404


def test_anonymous_is_sent_to_sign_in(client, team):
    response = client.get(reverse("teams:team", args=[team.pk]))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_manager_sees_per_person_glue_and_signals(client, cast, team):
    BragEntryFactory(owner=cast.owner, glue_kind="onboarding", date=timezone.localdate())
    BragEntryFactory(
        owner=cast.teammate, glue_kind="onboarding", visibility="private", title="Secret"
    )
    text = page(client, cast.manager, team).text
    assert "Carrying the glue: Owner" in text
    assert "Distribute it" in text
    assert "Download CSV" in text
    assert "Secret" not in text


def test_teammate_sees_hidden_aggregates_and_no_signals(client, cast, team):
    BragEntryFactory(owner=cast.owner, glue_kind="onboarding", visibility="team")
    text = page(client, cast.teammate, team).text
    assert "hidden: fewer than 3 people" in text
    assert "Carrying the glue" not in text
    assert "Download CSV" not in text


@pytest.mark.parametrize(
    "query", ["?quarter=2026-Q5", "?quarter=nonsense", "?range=all", "?range=last4&quarter=2026-Q1"]
)
def test_a_bad_range_is_a_field_error_not_a_crash(client, cast, team, query):
    response = page(client, cast.manager, team, query)
    assert response.status_code == 400
    assert 'role="alert"' in response.text or "errorlist" in response.text
    assert csv_of(client, cast.manager, team, query).status_code == 400


def test_a_chosen_quarter_and_the_last_four(client, cast, team):
    assert "Q3 2026" in page(client, cast.manager, team, "?quarter=2026-Q3").text
    text = page(client, cast.manager, team, "?range=last4").text
    assert text.count('<th scope="row">Owner</th><td>Q') == 4  # table rows, one a quarter


def test_csv_for_managers_only(client, cast, team):
    assert csv_of(client, cast.owner, team).status_code == 404
    assert csv_of(client, cast.teammate, team).status_code == 404
    response = csv_of(client, cast.manager, team)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="' in response["Content-Disposition"]
    assert response.text.splitlines()[0].startswith("person,email,quarter,entries,glue entries")


def test_csv_neutralises_formulas_in_names(client, cast, team):
    cast.owner.name = "=HYPERLINK(1)"
    cast.owner.save()
    cast.teammate.name = "@SUM(A1)"
    cast.teammate.save()
    text = csv_of(client, cast.manager, team).text
    assert "'=HYPERLINK(1)" in text
    assert "'@SUM(A1)" in text
    assert "\n=" not in text


def _team_of(size):
    team = Team.objects.create(name=f"Size {size}", slug=f"size-{size}")
    manager = UserFactory()
    MembershipFactory(team=team, user=manager, role="manager")
    for _ in range(size):
        person = UserFactory()
        MembershipFactory(team=team, user=person)
        BragEntryFactory(owner=person, glue_kind="onboarding", date=timezone.localdate())
        BragEntryFactory(owner=person, visibility="team")
    return team, manager


@pytest.mark.parametrize("role", ["manager", "engineer"])
def test_query_count_does_not_grow_with_the_team(client, db, role):
    counts = []
    for size in (5, 50):
        team, manager = _team_of(size)
        viewer = manager if role == "manager" else team.memberships.filter(role="engineer")[0].user
        client.force_login(viewer)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("teams:team", args=[team.pk]) + "?range=last4")
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_members_link_to_the_brag_documents_the_viewer_may_open(client, cast):
    team = cast.owner.memberships.get().team
    client.force_login(cast.manager)
    as_manager = client.get(f"/teams/{team.pk}/").text
    client.force_login(cast.teammate)
    as_teammate = client.get(f"/teams/{team.pk}/").text

    assert f'href="/brag/people/{cast.owner.pk}/"' in as_manager
    assert f'href="/brag/people/{cast.owner.pk}/"' in as_teammate
    assert f'href="/brag/people/{cast.manager.pk}/"' not in as_teammate
    assert f'href="/brag/people/{cast.teammate.pk}/"' not in as_teammate  # themselves


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("glue_share_limit", 0, "greater than or equal to 1"),
        ("glue_share_limit", 101, "less than or equal to 100"),
        ("unrecognised_after_days", 0, "greater than or equal to 1"),
        ("unrecognised_after_days", 366, "less than or equal to 365"),
    ],
)
def test_staff_cannot_set_a_glue_threshold_out_of_range(admin_client, cast, field, value, message):
    team = cast.owner.memberships.get().team
    data = {
        "name": team.name,
        "slug": team.slug,
        "description": team.description,
        "glue_share_limit": team.glue_share_limit,
        "unrecognised_after_days": team.unrecognised_after_days,
        "memberships-TOTAL_FORMS": 0,
        "memberships-INITIAL_FORMS": 0,
        field: value,
    }

    response = admin_client.post(f"/admin/people/team/{team.pk}/change/", data)

    assert response.status_code == 200
    assert message in response.text
    team.refresh_from_db()
    assert getattr(team, field) != value
