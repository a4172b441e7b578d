"""Where I stand: target, self, manager, gap and evidence per dimension; radar; history."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from brag.models import Visibility
from ladder.models import Level
from reviews.models import ReviewCycle
from reviews.services import share, start_assessment, submit

from ..factories import BragEntryFactory
from .conftest import rate_all


def url(person) -> str:
    return f"/reviews/people/{person.pk}/"


@pytest.mark.parametrize(
    ("role", "status"),
    [("owner", 200), ("manager", 200), ("teammate", 404), ("outsider", 404), ("staff", 404)],
)
def test_who_opens_where_someone_stands(client, cast, submitted_self, role, status):
    client.force_login(getattr(cast, role))

    assert client.get(url(cast.owner)).status_code == status


def test_the_manager_sees_the_self_assessment_only_after_submitting(client, cast, submitted_self):
    client.force_login(cast.manager)

    before = client.get(url(cast.owner)).text
    assert "appears here once you submit yours" in before
    assert "Mid (L3)" not in before.split("<tbody>")[1]

    manager = start_assessment(submitted_self.cycle, cast.owner, cast.manager, "manager")
    submit(rate_all(manager, "L5"))
    after = client.get(url(cast.owner)).text

    assert "Mid (L3)" in after and "Staff (L5)" in after
    assert after.count("serious disconnect") == 6 + 1  # every row, and the banner
    assert "6 dimensions with a serious disconnect" in after


def test_each_row_has_the_target_text_and_says_when_there_is_no_evidence(
    client, cast, self_assessment
):
    scope = self_assessment.ratings.get(dimension__key="scope")
    scope.evidence.set([BragEntryFactory(owner=cast.owner, title="Led the billing rewrite")])
    client.force_login(cast.owner)

    text = client.get(url(cast.owner)).text

    assert "Target (L4)" in text
    assert "Entire system / service" in text
    assert text.count("No evidence yet") == 5
    assert "Led the billing rewrite" in text


def test_private_evidence_stays_private_on_the_managers_page(client, cast, submitted_self):
    scope = submitted_self.ratings.get(dimension__key="scope")
    private = BragEntryFactory(
        owner=cast.owner, title="My private win", visibility=Visibility.PRIVATE
    )
    shared = BragEntryFactory(owner=cast.owner, title="Shared win", visibility=Visibility.MANAGERS)
    scope.evidence.set([private, shared])
    submit(rate_all(start_assessment(submitted_self.cycle, cast.owner, cast.manager, "manager")))
    client.force_login(cast.manager)

    for page in (url(cast.owner), submitted_self.get_absolute_url()):
        text = client.get(page).text
        assert "Shared win" in text
        assert "My private win" not in text


def test_the_radar_has_one_shape_per_series_and_one_vertex_per_dimension(
    client, cast, submitted_self, submitted_manager
):
    client.force_login(cast.manager)

    text = client.get(url(cast.owner)).text

    svg = text.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert "<title" in svg
    series = re.findall(r'<polygon class="radar__series (radar__\w+)" points="([^"]+)"', svg)
    assert [name for name, _ in series] == ["radar__target", "radar__self", "radar__manager"]
    for _, points in series:
        assert len(points.split()) == 6
    assert svg.count("<text") == 6
    assert '<table class="standing-table">' in text  # the same, for screen readers


def test_history_shows_each_cycle(client, cast, submitted_self, submitted_manager):
    share(submitted_manager)
    older = ReviewCycle.objects.create(
        name="Review Q3 2026", start=dt.date(2026, 7, 1), end=dt.date(2026, 9, 30)
    )
    submit(rate_all(start_assessment(older, cast.owner, cast.owner, "self"), "L1-L2"))
    client.force_login(cast.owner)

    text = client.get(url(cast.owner)).text

    history = text.split('<section class="card history">')[1]
    assert history.index("Review Q3 2026") < history.index("Review Q4 2026")
    assert "<td>L1-L2 · —</td>" in history
    assert "<td>L3 · L4</td>" in history


def test_the_query_count_is_the_same_for_2_and_20_evidence_entries(
    client, cast, submitted_self, submitted_manager
):
    client.force_login(cast.manager)

    def attach(count: int) -> None:
        for rating in list(submitted_self.ratings.all()) + list(submitted_manager.ratings.all()):
            entries = [
                BragEntryFactory(owner=cast.owner, visibility=Visibility.MANAGERS)
                for _ in range(count)
            ]
            rating.evidence.add(*entries)

    attach(2)
    client.get(url(cast.owner))
    with CaptureQueriesContext(connection) as two:
        client.get(url(cast.owner))
    attach(18)
    with CaptureQueriesContext(connection) as twenty:
        response = client.get(url(cast.owner))

    assert len(twenty.captured_queries) == len(two.captured_queries)
    assert response.text.count("40 entries") == 6


@pytest.mark.parametrize(
    ("role", "status"),
    [("owner", 200), ("manager", 404), ("teammate", 404), ("outsider", 404)],
)
def test_the_self_assessment_page_follows_the_rules(client, cast, self_assessment, role, status):
    client.force_login(getattr(cast, role))

    assert client.get(self_assessment.get_absolute_url()).status_code == status


def test_the_sheet_shows_current_and_target_side_by_side_with_signals(
    client, cast, self_assessment
):
    client.force_login(cast.owner)

    text = client.get(self_assessment.get_absolute_url()).text

    assert "Concrete signals you have made the transition to L4" in text
    assert "You write the design doc before you write the code" in text
    scope = text.split('id="dimension-scope"')[1].split("</li>")[0]
    assert "Feature / small project" in scope and "Entire system / service" in scope
    assert text.count('class="rating-form"') == 6


def test_the_sheet_query_count_does_not_grow_with_evidence(client, cast, self_assessment):
    client.force_login(cast.owner)
    client.get(self_assessment.get_absolute_url())
    with CaptureQueriesContext(connection) as before:
        client.get(self_assessment.get_absolute_url())
    for rating in self_assessment.ratings.all():
        rating.evidence.add(*[BragEntryFactory(owner=cast.owner) for _ in range(5)])
    with CaptureQueriesContext(connection) as after:
        client.get(self_assessment.get_absolute_url())

    assert len(after.captured_queries) == len(before.captured_queries)


def test_levels_stay_comparable_across_tracks(cast):
    assert Level.objects.filter(track=cast.owner.track).count() == 5


@pytest.mark.parametrize(
    ("role", "status"),
    [("owner", 404), ("manager", 200), ("teammate", 404), ("outsider", 404), ("staff", 404)],
)
def test_the_manager_assessment_page_follows_the_rules(
    client, cast, manager_assessment, role, status
):
    client.force_login(getattr(cast, role))

    assert client.get(manager_assessment.get_absolute_url()).status_code == status


def test_history_keeps_a_dimension_that_left_the_ladder(client, cast, submitted_self):
    from ladder.services import export_ladder_yaml, import_ladder_text

    text = export_ladder_yaml(cast.owner.track.ladder)
    kept = [line for line in text.splitlines() if "failure-impact" not in line]
    kept = "\n".join(line for line in kept if line.strip() != "name: Failure Impact") + "\n"
    import_ladder_text(kept, "engineering.yaml", replace=True)
    later = ReviewCycle.objects.create(
        name="Review Q1 2027", start=dt.date(2027, 1, 1), end=dt.date(2027, 3, 31)
    )
    submit(rate_all(start_assessment(later, cast.owner, cast.owner, "self"), "L4"))
    client.force_login(cast.owner)

    page = client.get(url(cast.owner)).text

    history = page[page.index("Self and manager levels per dimension across cycles") :]
    assert '<th scope="row">Failure Impact</th><td>L3 · —</td><td>— · —</td>' in history
    assert '<th scope="row">Scope</th><td>L3 · —</td><td>L4 · —</td>' in history


def test_a_packet_and_its_decision_show_without_any_assessment(client, cast, packet):
    client.force_login(cast.owner)

    page = client.get(url(cast.owner)).text

    assert packet.get_absolute_url() in page
    assert packet.cycle.name in page


@pytest.mark.parametrize("wanted", ["%C2%B2", "9" * 30, "abc"])
def test_a_cycle_that_is_no_id_shows_the_latest_cycle(client, cast, submitted_self, wanted):
    client.force_login(cast.owner)
    client.raise_request_exception = False

    response = client.get(f"{url(cast.owner)}?cycle={wanted}")

    assert response.status_code == 200
    assert response.context["cycle"] == submitted_self.cycle


def test_the_gap_says_who_rates_higher_and_by_how_much(client, cast, submitted_self):
    manager = start_assessment(submitted_self.cycle, cast.owner, cast.manager, "manager")
    submit(rate_all(manager, "L4"))
    client.force_login(cast.manager)

    text = client.get(url(cast.owner)).text

    assert '<th scope="col">Self vs manager</th>' in text
    assert text.count("Manager rates 1 level higher<") == 6
    assert "serious disconnect" not in text


def test_the_gap_waits_for_both_ratings(client, cast, submitted_self):
    client.force_login(cast.owner)

    assert client.get(url(cast.owner)).text.count("Not both rated yet") == 6


SHARE = 'action="/reviews/assessments/{}/share/"'


def test_after_submitting_the_manager_lands_on_compare_and_can_share(
    client, cast, manager_assessment
):
    rate_all(manager_assessment, "L4")
    client.force_login(cast.manager)

    submitted = client.post(f"/reviews/assessments/{manager_assessment.pk}/submit/", follow=True)

    assert "Where Owner stands" in submitted.text
    assert SHARE.format(manager_assessment.pk) in submitted.text
    assert "Share with Owner" in submitted.text

    shared = client.post(
        f"/reviews/assessments/{manager_assessment.pk}/share/", {"back": "compare"}
    )

    assert shared["Location"] == f"{url(cast.owner)}?cycle={manager_assessment.cycle_id}"
    manager_assessment.refresh_from_db()
    assert manager_assessment.shared_at is not None
    assert "Share with Owner" not in client.get(shared["Location"]).text


def test_share_goes_back_only_to_compare_never_elsewhere(client, cast, submitted_manager):
    client.force_login(cast.manager)

    response = client.post(
        f"/reviews/assessments/{submitted_manager.pk}/share/", {"back": "https://evil.example"}
    )

    assert response["Location"] == submitted_manager.get_absolute_url()


@pytest.mark.parametrize("who", ["owner", "second_manager"])
def test_only_its_author_is_offered_share(client, cast, submitted_manager, second_manager, who):
    client.force_login(second_manager if who == "second_manager" else cast.owner)

    text = client.get(url(cast.owner)).text

    assert SHARE.format(submitted_manager.pk) not in text


def test_a_draft_is_not_offered_share(client, cast, manager_assessment):
    client.force_login(cast.manager)

    assert "Share with" not in client.get(url(cast.owner)).text


def test_a_manager_who_no_longer_manages_them_is_not_offered_share(client, cast, submitted_manager):
    client.force_login(cast.manager)
    assert "Share with Owner" in client.get(submitted_manager.get_absolute_url()).text

    cast.owner.memberships.all().delete()

    assert "Share with Owner" not in client.get(submitted_manager.get_absolute_url()).text
