"""Rating a dimension: autosave, evidence, and every bad input refused with nothing changed."""

import pytest

from brag.models import Visibility
from ladder.models import Level
from reviews.models import Rating

from ..factories import BragEntryFactory, LevelFactory

HTMX = {"HX-Request": "true"}


def url(rating: Rating) -> str:
    return f"/reviews/assessments/{rating.assessment_id}/ratings/{rating.pk}/"


def post(client, rating: Rating, **data):
    prefix = f"r{rating.pk}"
    return client.post(url(rating), {f"{prefix}-{k}": v for k, v in data.items()}, headers=HTMX)


@pytest.fixture
def rating(self_assessment) -> Rating:
    return self_assessment.ratings.get(dimension__key="scope")


def test_autosave_keeps_level_comment_and_evidence(client, cast, rating):
    level = Level.objects.get(track=cast.owner.track, code="L4")
    entry = BragEntryFactory(owner=cast.owner, visibility=Visibility.PRIVATE)
    client.force_login(cast.owner)

    response = post(
        client, rating, level=str(level.pk), comment="Owns billing", evidence=[entry.pk]
    )

    assert response.status_code == 200
    assert "Saved" in response.text
    assert '<strong id="rated-count" hx-swap-oob="true">1</strong>' in response.text
    rating.refresh_from_db()
    assert (rating.level, rating.comment) == (level, "Owns billing")
    assert list(rating.evidence.all()) == [entry]


def test_below_the_first_level_is_a_rating(client, cast, rating):
    client.force_login(cast.owner)

    post(client, rating, level="below")

    rating.refresh_from_db()
    assert rating.below_first_level and rating.level is None and rating.is_rated


def test_a_level_of_another_track_is_refused(client, cast, rating):
    other = Level.objects.get(code="EM")  # the management track
    client.force_login(cast.owner)

    response = post(client, rating, level=str(other.pk))

    assert response.status_code == 422
    assert "Pick a level of the Individual contributor track." in response.text
    rating.refresh_from_db()
    assert rating.level is None


def test_a_level_of_another_ladder_is_refused(client, cast, rating):
    foreign = LevelFactory()
    client.force_login(cast.owner)

    response = post(client, rating, level=str(foreign.pk))

    assert "Pick a level of the Individual contributor track." in response.text
    assert Rating.objects.get(pk=rating.pk).level is None


def test_someone_elses_private_entry_is_not_evidence(client, cast, rating):
    theirs = BragEntryFactory(owner=cast.teammate, visibility=Visibility.PRIVATE)
    client.force_login(cast.owner)

    response = post(client, rating, evidence=[theirs.pk])

    assert response.status_code == 422
    assert "Attach only entries of Owner that you can read." in response.text
    assert not Rating.objects.get(pk=rating.pk).evidence.exists()


def test_a_manager_cannot_attach_an_entry_they_cannot_read(client, cast, manager_assessment):
    rating = manager_assessment.ratings.get(dimension__key="scope")
    private = BragEntryFactory(owner=cast.owner, visibility=Visibility.PRIVATE)
    shared = BragEntryFactory(owner=cast.owner, visibility=Visibility.MANAGERS)
    client.force_login(cast.manager)

    refused = post(client, rating, evidence=[private.pk])
    accepted = post(client, rating, evidence=[shared.pk])

    assert refused.status_code == 422
    assert accepted.status_code == 200
    assert list(Rating.objects.get(pk=rating.pk).evidence.all()) == [shared]


def test_a_comment_over_its_limit_is_refused(client, cast, rating):
    client.force_login(cast.owner)

    response = post(client, rating, comment="x" * 2001)

    assert "Ensure this value has at most 2000 characters (it has 2001)." in response.text
    assert Rating.objects.get(pk=rating.pk).comment == ""


def test_a_submitted_assessment_cannot_change(client, cast, submitted_self):
    rating = submitted_self.ratings.get(dimension__key="scope")
    before = rating.level_id
    client.force_login(cast.owner)

    response = post(client, rating, level="below")

    assert response.status_code == 422
    assert "Not saved: this assessment is submitted and can no longer change." in response.text
    assert Rating.objects.get(pk=rating.pk).level_id == before


@pytest.mark.parametrize("role", ["manager", "teammate", "outsider", "staff"])
def test_nobody_else_rates_my_self_assessment(client, cast, rating, role):
    client.force_login(getattr(cast, role))

    assert post(client, rating, level="below").status_code == 404
    assert client.get(url(rating) + "evidence/").status_code == 404
    assert not Rating.objects.get(pk=rating.pk).is_rated


def test_the_picker_lists_entries_tagged_with_the_dimension_first(client, cast, rating):
    scope = rating.dimension
    BragEntryFactory(owner=cast.owner, title="Untagged win")
    BragEntryFactory(owner=cast.owner, title="Scope win", dimensions=[scope])
    BragEntryFactory(owner=cast.teammate, title="Not mine", visibility=Visibility.TEAM)
    client.force_login(cast.owner)

    response = client.get(url(rating) + "evidence/", headers=HTMX)

    text = response.text
    assert text.index("Tagged Scope") < text.index("Scope win") < text.index("Other entries")
    assert text.index("Other entries") < text.index("Untagged win")
    assert "Not mine" not in text


def test_a_closed_cycle_takes_no_more_changes(client, cast, rating):
    rating.assessment.cycle.is_open = False
    rating.assessment.cycle.save()
    client.force_login(cast.owner)

    saved = post(client, rating, level="below")
    submitted = client.post(f"/reviews/assessments/{rating.assessment_id}/submit/", follow=True)

    assert "Not saved: Review Q4 2026 is closed." in saved.text
    assert "Review Q4 2026 is closed: nothing can be submitted." in submitted.text
    assert not Rating.objects.get(pk=rating.pk).is_rated


def test_a_manager_who_no_longer_manages_the_subject_cannot_change_it(
    client, cast, manager_assessment
):
    rating = manager_assessment.ratings.get(dimension__key="scope")
    cast.owner.memberships.all().delete()
    client.force_login(cast.manager)

    assert post(client, rating, level="below").status_code == 404
    assert "can no longer change" in client.get(manager_assessment.get_absolute_url()).text
    assert not Rating.objects.get(pk=rating.pk).is_rated


def test_an_entry_made_private_since_is_not_shown_back_to_the_manager(
    client, cast, manager_assessment
):
    rating = manager_assessment.ratings.get(dimension__key="scope")
    entry = BragEntryFactory(owner=cast.owner, title="SECRET-PLAN", visibility=Visibility.MANAGERS)
    rating.evidence.add(entry)
    entry.visibility = Visibility.PRIVATE
    entry.save()
    client.force_login(cast.manager)

    refused = post(client, rating, level="999999")
    page = client.get(manager_assessment.get_absolute_url())

    assert refused.status_code == 422
    assert "SECRET-PLAN" not in refused.text
    assert "SECRET-PLAN" not in page.text


def test_a_dimension_added_after_the_start_must_be_rated_too(client, cast, self_assessment):
    from ladder.models import Dimension

    from .conftest import rate_all

    rate_all(self_assessment)
    Dimension.objects.create(ladder=cast.owner.track.ladder, key="craft", name="Craft", order=9)
    client.force_login(cast.owner)

    page = client.get(self_assessment.get_absolute_url()).text
    response = client.post(f"/reviews/assessments/{self_assessment.pk}/submit/", follow=True)

    assert 'id="dimension-craft"' in page
    assert "Not rated yet: Craft." in response.text


def test_an_expired_session_sends_htmx_to_sign_in(client, cast, rating):
    response = client.post(url(rating), {}, headers=HTMX)

    assert response.status_code == 204
    assert response["HX-Redirect"].startswith("/accounts/login/?next=")
