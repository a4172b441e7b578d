"""The reviews page: my assessments per cycle, and my reports' for managers."""

import pytest

from reviews.services import submit

from .conftest import rate_all


@pytest.mark.parametrize("role", ["owner", "teammate", "outsider"])
def test_engineers_see_their_own_cycle_and_a_start_button(client, cast, cycle, role):
    client.force_login(getattr(cast, role))

    text = client.get("/reviews/").text

    assert "Review Q4 2026" in text
    assert "Start my self-assessment" in text
    assert "People I manage" not in text


def test_a_manager_sees_each_report_and_only_whether_they_submitted(client, cast, self_assessment):
    submit(rate_all(self_assessment))
    client.force_login(cast.manager)

    text = client.get("/reviews/").text

    assert "People I manage" in text
    assert "Assess Owner" in text and "Assess Teammate" in text
    assert "Submitted" in text
    assert "Mid (L3)" not in text


def test_no_cycle_yet_says_how_to_open_one(client, cast):
    client.force_login(cast.owner)

    assert "No review cycles yet." in client.get("/reviews/").text


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    assert client.get("/reviews/")["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("role", ["staff", "manager"])
def test_someone_without_a_track_is_told_why_instead_of_a_start_that_fails(
    client, cast, cycle, role
):
    client.force_login(getattr(cast, role))

    text = client.get("/reviews/").text

    assert "Start my self-assessment" not in text
    assert "An admin has not placed you on a track yet" in text


def test_a_report_without_a_track_cannot_be_assessed_yet(client, cast, cycle):
    cast.teammate.track = None
    cast.teammate.save()
    client.force_login(cast.manager)

    text = client.get("/reviews/").text

    assert "Assess Owner" in text and "Assess Teammate" not in text
    assert "Not on a track yet: an admin places Teammate on one first." in text


def test_the_managers_table_scrolls_in_its_own_labelled_region(client, cast, cycle):
    client.force_login(cast.manager)

    text = client.get("/reviews/").text

    assert (
        '<div class="table-scroll" role="region" '
        'aria-label="People I manage in Review Q4 2026" tabindex="0">'
    ) in text
