"""The assessment sheet as a person works through it: each level's expectation beside its
choice, what a save did said out loud, a searchable evidence picker, and a submit that asks
first and says it cannot be undone."""

import json

import pytest

from brag.models import Visibility
from ladder.models import Level
from reviews.models import Assessment, Rating, State

from ..factories import BragEntryFactory

HTMX = {"HX-Request": "true"}


def rating_url(rating: Rating) -> str:
    return f"/reviews/assessments/{rating.assessment_id}/ratings/{rating.pk}/"


def autosave(client, rating: Rating, **data):
    prefix = f"r{rating.pk}"
    return client.post(
        rating_url(rating), {f"{prefix}-{k}": v for k, v in data.items()}, headers=HTMX
    )


def announced(response) -> str:
    return json.loads(response["HX-Trigger-After-Settle"])["announce"]["message"]


@pytest.fixture
def rating(self_assessment) -> Rating:
    return self_assessment.ratings.get(dimension__key="scope")


def test_each_level_is_a_labelled_radio_with_its_expectation(client, cast, rating):
    staff_level = Level.objects.get(track=cast.owner.track, code="L5")
    client.force_login(cast.owner)

    text = client.get(rating.assessment.get_absolute_url()).text

    option = f'type="radio" name="r{rating.pk}-level"'
    assert text.count(option) == 2 + cast.owner.track.levels.count()  # not rated, below, levels
    assert f'value="{staff_level.pk}"' in text
    assert "<legend>Level that fits best</legend>" in text
    # Staff (L5) on Scope, read from the live ladder, described to the radio it belongs to.
    staff = text[text.index(f'value="{staff_level.pk}"') :]
    described = staff[staff.index('aria-describedby="') + 18 :].split('"')[0]
    assert f'id="{described}">Multiple systems / cross-team<' in text
    assert "<select" not in text.split('id="sheet"')[1]


def test_without_javascript_the_form_still_posts(client, cast, rating):
    level = Level.objects.get(track=cast.owner.track, code="L4")
    client.force_login(cast.owner)

    response = client.post(rating_url(rating), {f"r{rating.pk}-level": str(level.pk)})

    assert response["Location"] == rating.assessment.get_absolute_url()
    assert Rating.objects.get(pk=rating.pk).level == level


def test_a_save_says_saved(client, cast, rating):
    client.force_login(cast.owner)

    response = autosave(client, rating, level="below")

    assert response.status_code == 200
    assert announced(response) == "Saved"


def test_attaching_and_removing_evidence_says_which_entry(client, cast, rating):
    entry = BragEntryFactory(owner=cast.owner, title="Led the billing rewrite")
    client.force_login(cast.owner)

    attached = autosave(client, rating, evidence=[entry.pk])
    removed = autosave(client, rating)

    assert announced(attached) == "Attached as evidence: “Led the billing rewrite”."
    assert announced(removed) == "Removed from the evidence: “Led the billing rewrite”."
    assert not Rating.objects.get(pk=rating.pk).evidence.exists()


def test_a_refused_save_says_so_and_keeps_the_level_texts(client, cast, rating):
    client.force_login(cast.owner)

    response = autosave(client, rating, level="999999")

    assert response.status_code == 422
    assert announced(response) == "Not saved: see the message on the field."
    assert "Pick a level of the Individual contributor track." in response.text
    assert "Multiple systems / cross-team" in response.text
    assert not Rating.objects.get(pk=rating.pk).is_rated


def test_the_picker_takes_focus_and_can_be_searched_by_title_and_impact(client, cast, rating):
    BragEntryFactory(owner=cast.owner, title="Billing rewrite", impact="Saved 3 teams a week")
    client.force_login(cast.owner)

    text = client.get(rating_url(rating) + "evidence/", headers=HTMX).text

    assert "data-focus-here" in text
    assert 'type="search"' in text and "Search my entries" in text
    assert 'data-search="billing rewrite saved 3 teams a week"' in text


def test_a_manager_searches_the_subjects_entries_they_may_read(client, cast, manager_assessment):
    rating = manager_assessment.ratings.get(dimension__key="scope")
    BragEntryFactory(owner=cast.owner, title="Shared win", visibility=Visibility.MANAGERS)
    BragEntryFactory(owner=cast.owner, title="Private win", visibility=Visibility.PRIVATE)
    client.force_login(cast.manager)

    text = client.get(rating_url(rating) + "evidence/", headers=HTMX).text

    assert "Search Owner’s entries" in text
    assert "Shared win" in text and "Private win" not in text


def test_submit_asks_first_and_says_it_cannot_be_undone(client, cast, self_assessment):
    client.force_login(cast.owner)

    page = client.get(self_assessment.get_absolute_url()).text
    without_js = client.get(self_assessment.get_absolute_url(), {"confirm": "submit"}).text

    assert "Submit…" in page and "This cannot be undone" in page
    assert 'class="confirm-dialog" aria-labelledby="confirm-submit-title"' in page
    assert 'aria-describedby="confirm-submit-text">' in page  # closed until asked
    assert 'aria-describedby="confirm-submit-text" open>' in without_js
    assert Assessment.objects.get(pk=self_assessment.pk).state == State.DRAFT


def test_an_incomplete_sheet_is_refused_from_the_confirmation_too(client, cast, self_assessment):
    client.force_login(cast.owner)

    response = client.post(f"/reviews/assessments/{self_assessment.pk}/submit/", headers=HTMX)
    page = client.get(response["HX-Redirect"]).text

    assert response["HX-Redirect"] == self_assessment.get_absolute_url()
    assert "Rate every dimension before you submit." in page
    assert Assessment.objects.get(pk=self_assessment.pk).state == State.DRAFT


def test_a_submitted_sheet_has_no_submit_and_no_confirmation(client, cast, submitted_self):
    client.force_login(cast.owner)

    text = client.get(submitted_self.get_absolute_url(), {"confirm": "submit"}).text

    assert "confirm-submit" not in text and "sheet.js" not in text


def test_the_sheet_runs_as_many_queries_with_many_levels_and_entries(
    client, cast, self_assessment, django_assert_max_num_queries
):
    client.force_login(cast.owner)
    client.get(self_assessment.get_absolute_url())
    for n in range(20):
        BragEntryFactory(owner=cast.owner, title=f"Win {n}")

    with django_assert_max_num_queries(15):
        client.get(self_assessment.get_absolute_url())


def test_a_save_on_a_submitted_sheet_says_why_it_was_not_saved(client, cast, submitted_self):
    rating = submitted_self.ratings.get(dimension__key="scope")
    client.force_login(cast.owner)

    response = autosave(client, rating, level="below")

    assert response.status_code == 422
    assert announced(response) == (
        "Not saved: this assessment is submitted and can no longer change."
    )
    assert not Rating.objects.get(pk=rating.pk).below_first_level
