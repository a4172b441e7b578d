"""Evidence its author can no longer see stays on the rating: an autosave keeps it, the page
says "1 entry you cannot see", and it shows again once its owner shares or restores it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from brag.models import BragEntry, Visibility
from reviews.models import Assessment, Rating
from reviews.services import share, submit

from ..factories import BragEntryFactory
from .conftest import rate_all

HTMX = {"HX-Request": "true"}


def url(rating: Rating) -> str:
    return f"/reviews/assessments/{rating.assessment_id}/ratings/{rating.pk}/"


def autosave(client, rating: Rating, **data):
    """The POST the rating form makes on every change, as the page's inputs name it."""
    prefix = f"r{rating.pk}"
    return client.post(url(rating), {f"{prefix}-{k}": v for k, v in data.items()}, headers=HTMX)


def attached(rating: Rating) -> set[int]:
    return set(Rating.objects.get(pk=rating.pk).evidence.values_list("pk", flat=True))


def make(entry: BragEntry, visibility: str) -> None:
    """The owner changes who reads the entry."""
    entry.visibility = visibility
    entry.save()


@pytest.fixture
def scope(manager_assessment: Assessment) -> Rating:
    return manager_assessment.ratings.get(dimension__key="scope")


@pytest.fixture
def entry(cast) -> BragEntry:
    return BragEntryFactory(owner=cast.owner, title="Led the billing migration", visibility="team")


def test_an_entry_made_private_stays_attached_through_the_next_autosave(client, cast, scope, entry):
    client.force_login(cast.manager)
    assert autosave(client, scope, evidence=[entry.pk]).status_code == 200
    make(entry, Visibility.PRIVATE)

    # The page no longer renders the entry's checkbox, so the next autosave posts without it.
    response = autosave(client, scope, comment="Owns the billing roadmap")

    assert response.status_code == 200
    assert attached(scope) == {entry.pk}
    assert Rating.objects.get(pk=scope.pk).comment == "Owns the billing roadmap"
    page = client.get(scope.assessment.get_absolute_url()).text
    assert "1 entry you cannot see" in page
    assert "Led the billing migration" not in page


def test_it_shows_again_once_its_owner_shares_it_again(client, cast, scope, entry):
    scope.evidence.add(entry)
    make(entry, Visibility.PRIVATE)
    client.force_login(cast.manager)
    autosave(client, scope, comment="Still strong")

    make(entry, Visibility.TEAM)
    page = client.get(scope.assessment.get_absolute_url()).text

    assert "Led the billing migration" in page
    assert f'value="{entry.pk}" checked' in page
    assert "you cannot see" not in page


def test_a_deleted_entry_stays_attached_and_comes_back_with_undo(client, cast, scope, entry):
    scope.evidence.add(entry)
    client.force_login(cast.owner)
    assert client.post(f"/brag/{entry.pk}/delete/").status_code == 302

    client.force_login(cast.manager)
    assert autosave(client, scope, comment="Deleted meanwhile").status_code == 200
    hidden = client.get(scope.assessment.get_absolute_url()).text

    client.force_login(cast.owner)
    assert client.post(f"/brag/{entry.pk}/undo/").status_code == 302
    client.force_login(cast.manager)
    restored = client.get(scope.assessment.get_absolute_url()).text

    assert attached(scope) == {entry.pk}
    assert "1 entry you cannot see" in hidden and "Led the billing migration" not in hidden
    assert "Led the billing migration" in restored and "you cannot see" not in restored


def test_my_own_deleted_entry_stays_on_my_self_assessment(client, cast, self_assessment):
    rating = self_assessment.ratings.get(dimension__key="scope")
    mine = BragEntryFactory(owner=cast.owner, title="Wrote the on-call guide")
    rating.evidence.add(mine)
    mine.soft_delete()
    client.force_login(cast.owner)

    autosave(client, rating, comment="Guides")

    assert attached(rating) == {mine.pk}
    assert "1 entry you cannot see" in client.get(self_assessment.get_absolute_url()).text


def test_the_count_is_pluralised(client, cast, scope):
    entries = [BragEntryFactory(owner=cast.owner, visibility="team") for _ in range(3)]
    scope.evidence.add(*entries)
    for hidden in entries:
        make(hidden, Visibility.PRIVATE)
    client.force_login(cast.manager)

    page = client.get(scope.assessment.get_absolute_url()).text

    assert "3 entries you cannot see" in page
    form = page.split(f'id="rating-{scope.pk}"')[1].split("</form>")[0]
    assert "No evidence attached yet." not in form


def test_the_author_still_detaches_an_entry_they_can_see(client, cast, scope, entry):
    kept = BragEntryFactory(owner=cast.owner, title="Kept", visibility="managers")
    dropped = BragEntryFactory(owner=cast.owner, title="Dropped", visibility="managers")
    scope.evidence.add(entry, kept, dropped)
    make(entry, Visibility.PRIVATE)
    client.force_login(cast.manager)

    response = autosave(client, scope, evidence=[kept.pk])

    assert response.status_code == 200
    assert attached(scope) == {entry.pk, kept.pk}
    assert autosave(client, scope).status_code == 200
    assert attached(scope) == {entry.pk}


def test_a_page_opened_before_the_entry_was_hidden_still_saves(client, cast, scope, entry):
    scope.evidence.add(entry)
    client.force_login(cast.manager)
    stale_form = client.get(scope.assessment.get_absolute_url()).text
    assert f'value="{entry.pk}" checked' in stale_form
    make(entry, Visibility.PRIVATE)

    # That page still posts the entry it showed: it is attached already, so nothing changes.
    response = autosave(client, scope, comment="Typed on the old page", evidence=[entry.pk])

    assert response.status_code == 200
    assert attached(scope) == {entry.pk}
    assert "Led the billing migration" not in response.text


def test_the_picker_neither_lists_nor_drops_hidden_entries(client, cast, scope, entry):
    scope.evidence.add(entry)
    make(entry, Visibility.PRIVATE)
    other = BragEntryFactory(owner=cast.owner, title="Ran the design review", visibility="team")
    client.force_login(cast.manager)

    picker = client.get(url(scope) + "evidence/", headers=HTMX)
    picked = autosave(client, scope, evidence=[other.pk])

    assert picker.status_code == 200
    assert "Ran the design review" in picker.text
    assert "Led the billing migration" not in picker.text
    assert f'value="{entry.pk}"' not in picker.text
    assert "1 entry you cannot see" in picker.text
    assert picked.status_code == 200
    assert attached(scope) == {entry.pk, other.pk}


# Who reads what: the count is told to the rating's author only (reviews/evidence.py).


@pytest.fixture
def shared_with_owner(cast, scope, entry) -> Assessment:
    scope.evidence.add(entry)
    submit(rate_all(scope.assessment, "L4"))
    assessment = Assessment.objects.get(pk=scope.assessment_id)
    share(assessment)
    make(entry, Visibility.PRIVATE)
    return assessment


def test_the_author_reads_the_count_on_a_submitted_assessment(client, cast, shared_with_owner):
    client.force_login(cast.manager)

    page = client.get(shared_with_owner.get_absolute_url()).text

    assert "1 entry you cannot see" in page
    assert "Led the billing migration" not in page


def test_the_subject_reads_their_own_entry_on_the_shared_assessment(
    client, cast, shared_with_owner
):
    client.force_login(cast.owner)

    page = client.get(shared_with_owner.get_absolute_url()).text

    assert "Led the billing migration" in page
    assert "you cannot see" not in page


@pytest.mark.parametrize("role", ["teammate", "outsider", "staff"])
def test_nobody_else_opens_the_assessment(client, cast, shared_with_owner, role):
    client.force_login(getattr(cast, role))

    response = client.get(shared_with_owner.get_absolute_url())

    assert response.status_code == 404
    assert "you cannot see" not in response.text


def test_another_manager_is_not_told_of_entries_they_cannot_read(
    client, cast, shared_with_owner, second_manager
):
    client.force_login(second_manager)

    page = client.get(shared_with_owner.get_absolute_url()).text

    assert page.count("Led the billing migration") == 0
    assert "you cannot see" not in page


def test_a_manager_is_not_told_of_private_entries_on_a_self_assessment(
    client, cast, self_assessment, manager_assessment
):
    # The engineer attached a private entry on purpose: its existence is theirs alone.
    private = BragEntryFactory(owner=cast.owner, title="Private plan", visibility="private")
    self_assessment.ratings.get(dimension__key="scope").evidence.add(private)
    submit(rate_all(self_assessment))
    submit(rate_all(manager_assessment, "L4"))
    client.force_login(cast.manager)

    page = client.get(self_assessment.get_absolute_url())

    assert page.status_code == 200
    assert "Private plan" not in page.text
    assert "you cannot see" not in page.text


# Bad input: a message on the field, and nothing changes.


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("private", "Attach only entries of Owner that you can read."),
        ("teammates", "Attach only entries of Owner that you can read."),
        ("managers_own", "Attach only entries of Owner that you can read."),
        ("deleted", "Attach only entries of Owner that you can read."),
        ("abc", "That is not a brag entry."),
        ("-1", "That is not a brag entry."),
        (str(2**64), "That is not a brag entry."),
    ],
)
def test_bad_evidence_is_refused_and_nothing_changes(client, cast, scope, entry, value, message):
    scope.evidence.add(entry)
    hidden = BragEntryFactory(owner=cast.owner, title="Hidden one", visibility="team")
    scope.evidence.add(hidden)
    make(hidden, Visibility.PRIVATE)
    bad = {
        "private": lambda: BragEntryFactory(owner=cast.owner, visibility="private").pk,
        # The manager may read these, but they are not the subject's.
        "teammates": lambda: BragEntryFactory(owner=cast.teammate, visibility="team").pk,
        "managers_own": lambda: BragEntryFactory(owner=cast.manager, visibility="team").pk,
        "deleted": lambda: _deleted(cast.owner).pk,
    }
    posted = bad[value]() if value in bad else value
    client.force_login(cast.manager)

    response = autosave(client, scope, comment="Should not be saved", evidence=[entry.pk, posted])

    assert response.status_code == 422
    assert message in response.text
    assert '<ul class="errorlist"' in response.text
    assert "Hidden one" not in response.text
    assert "1 entry you cannot see" in response.text
    fresh = Rating.objects.get(pk=scope.pk)
    assert fresh.comment == ""
    assert attached(scope) == {entry.pk, hidden.pk}


def _deleted(owner) -> BragEntry:
    entry = BragEntryFactory(owner=owner, visibility="team")
    entry.soft_delete()
    return entry


def test_a_bidi_override_in_the_comment_is_refused(client, cast, scope, entry):
    scope.evidence.add(entry)
    client.force_login(cast.manager)

    response = autosave(client, scope, comment="Shipped \u202eexe.jpg", evidence=[entry.pk])

    assert response.status_code == 422
    assert "Remove the invisible characters" in response.text
    assert Rating.objects.get(pk=scope.pk).comment == ""


# Queries: the count comes from one query for the whole assessment.


def test_the_query_count_does_not_grow_with_evidence(
    client, cast, manager_assessment, django_assert_num_queries
):
    ratings = list(manager_assessment.ratings.all())

    def attach(count: int) -> None:
        for n in range(count):
            entry = BragEntryFactory(owner=cast.owner, visibility="team")
            ratings[n % len(ratings)].evidence.add(entry)
            if n % 2:
                make(entry, Visibility.PRIVATE)

    page = manager_assessment.get_absolute_url()
    client.force_login(cast.manager)
    attach(3)
    client.get(page)  # the first request of a session writes more than the ones after it
    with CaptureQueriesContext(connection) as small:
        assert "you cannot see" in client.get(page).text

    attach(17)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(page)
    assert "entries you cannot see" in response.text
