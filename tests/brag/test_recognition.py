"""A manager acknowledges a report's glue entry; the engineer sees it on the entry and in the
export. Who may acknowledge what, and what a refusal leaves behind (nothing)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from brag.models import GlueRecognition, Visibility
from brag.recognition import NotGlueWork, recognise
from reviews.models import Kind, ReviewCycle
from reviews.services import start_assessment

from ..factories import BragEntryFactory

HTMX = {"HX-Request": "true", "HX-Target": "entry"}


def url(entry) -> str:
    return f"/brag/{entry.pk}/recognise/"


def person_url(user) -> str:
    return f"/brag/people/{user.pk}/"


@pytest.fixture
def glue(cast):
    return BragEntryFactory(
        owner=cast.owner, glue_kind="onboarding", title="Onboarded two new hires"
    )


@pytest.mark.parametrize("comment", ["", "Thank you: the new hires shipped in week two"])
def test_the_manager_acknowledges_a_reports_glue_entry_and_the_owner_sees_it(
    client, cast, glue, comment
):
    client.force_login(cast.manager)

    response = client.post(url(glue), {"comment": comment}, headers=HTMX)

    assert response.status_code == 200
    assert response.text.lstrip().startswith(f'<article id="entry-{glue.pk}"')
    assert "Recognised by Manager" in response.text
    assert "Acknowledge</button>" not in response.text
    recognition = GlueRecognition.objects.get()
    assert (recognition.entry, recognition.by, recognition.comment) == (glue, cast.manager, comment)

    client.force_login(cast.owner)
    expected = f"Recognised by Manager · {comment}" if comment else "Recognised by Manager"
    assert expected in client.get("/brag/").text
    export = client.get("/brag/export.md").text
    line = f"  - Recognised by Manager: {comment}" if comment else "  - Recognised by Manager\n"
    assert "  - Glue work: Onboarding\n" + line in export


def test_without_javascript_the_manager_is_sent_back_to_the_document(client, cast, glue):
    client.force_login(cast.manager)

    response = client.post(url(glue), {"comment": ""})

    assert response["Location"] == person_url(cast.owner)
    assert GlueRecognition.objects.count() == 1
    assert "Recognised by Manager" in client.get(person_url(cast.owner)).text


def test_acknowledging_twice_keeps_the_first_recognition(client, cast, glue):
    client.force_login(cast.manager)

    client.post(url(glue), {"comment": "First"}, headers=HTMX)
    response = client.post(url(glue), {"comment": "Second"}, headers=HTMX)

    assert response.status_code == 200
    assert "already recognised" in response.text
    assert list(GlueRecognition.objects.values_list("comment", flat=True)) == ["First"]


def test_the_service_is_idempotent_too(cast, glue):
    first, created = recognise(glue, cast.manager, "First")
    again, created_again = recognise(glue, cast.manager, "Second")

    assert (created, created_again) == (True, False)
    assert again == first and again.comment == "First"


def test_an_entry_that_is_not_glue_work_is_refused_with_a_message(client, cast):
    entry = BragEntryFactory(owner=cast.owner, glue_kind="")
    client.force_login(cast.manager)

    response = client.post(url(entry), {"comment": "Nice"}, headers=HTMX)

    assert response.status_code == 422
    assert "Only glue work can be acknowledged" in response.text
    assert not GlueRecognition.objects.exists()
    with pytest.raises(NotGlueWork):
        recognise(entry, cast.manager)


def test_without_javascript_the_refusal_is_a_message(client, cast):
    entry = BragEntryFactory(owner=cast.owner, glue_kind="")
    client.force_login(cast.manager)

    response = client.post(url(entry), follow=True)

    assert "Only glue work can be acknowledged" in response.text
    assert not GlueRecognition.objects.exists()


def test_a_private_entry_answers_404(client, cast):
    entry = BragEntryFactory(
        owner=cast.owner, glue_kind="onboarding", visibility=Visibility.PRIVATE
    )
    client.force_login(cast.manager)

    assert client.post(url(entry), headers=HTMX).status_code == 404
    assert not GlueRecognition.objects.exists()


def test_a_deleted_entry_answers_404(client, cast, glue):
    glue.soft_delete()
    client.force_login(cast.manager)

    assert client.post(url(glue)).status_code == 404
    assert not GlueRecognition.objects.exists()


@pytest.mark.parametrize("role", ["teammate", "outsider", "staff", "owner"])
def test_anyone_but_the_owners_manager_gets_a_404(client, cast, role):
    entry = BragEntryFactory(owner=cast.owner, glue_kind="onboarding", visibility=Visibility.TEAM)
    client.force_login(getattr(cast, role))

    assert client.post(url(entry), headers=HTMX).status_code == 404
    assert not GlueRecognition.objects.exists()


def test_a_manager_cannot_acknowledge_their_own_entry(client, cast):
    entry = BragEntryFactory(owner=cast.manager, glue_kind="onboarding")
    client.force_login(cast.manager)

    assert client.post(url(entry)).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, cast, glue):
    response = client.post(url(glue))

    assert response["Location"].startswith("/accounts/login/")
    assert not GlueRecognition.objects.exists()


def test_only_post_is_answered(client, cast, glue):
    client.force_login(cast.manager)

    assert client.get(url(glue)).status_code == 405


def test_a_comment_over_500_characters_is_a_field_error(client, cast, glue):
    client.force_login(cast.manager)

    response = client.post(url(glue), {"comment": "x" * 501}, headers=HTMX)

    assert response.status_code == 422
    assert "at most 500 characters" in response.text
    assert 'aria-invalid="true"' in response.text
    assert not GlueRecognition.objects.exists()


def test_the_button_shows_only_to_the_manager_on_glue_entries_not_yet_acknowledged(
    client, cast, glue
):
    BragEntryFactory(owner=cast.owner, glue_kind="", visibility=Visibility.TEAM)
    done = BragEntryFactory(owner=cast.owner, glue_kind="postmortems", visibility=Visibility.TEAM)
    recognise(done, cast.manager)

    client.force_login(cast.manager)
    text = client.get(person_url(cast.owner)).text
    assert text.count("Acknowledge</button>") == 1
    assert f'hx-post="{url(glue)}"' in text

    for role in ("owner", "teammate"):
        client.force_login(getattr(cast, role))
        page = client.get("/brag/" if role == "owner" else person_url(cast.owner)).text
        assert "Acknowledge</button>" not in page


def test_the_list_query_counts_do_not_grow_with_recognitions(client, cast):
    def count(viewer, path) -> int:
        client.force_login(viewer)
        client.get(path)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        return len(queries.captured_queries)

    pages = [(cast.owner, "/brag/"), (cast.manager, person_url(cast.owner))]
    for _ in range(3):
        recognise(BragEntryFactory(owner=cast.owner, glue_kind="documentation"), cast.manager)
    before = [count(viewer, path) for viewer, path in pages]
    for _ in range(30):
        recognise(BragEntryFactory(owner=cast.owner, glue_kind="documentation"), cast.manager)

    assert [count(viewer, path) for viewer, path in pages] == before


def test_acknowledged_glue_work_is_marked_in_the_compare_views_evidence(client, cast):
    cycle = ReviewCycle.objects.create(
        name="Review Q4 2026", start=dt.date(2026, 10, 1), end=dt.date(2026, 12, 31)
    )
    assessment = start_assessment(cycle, cast.owner, cast.owner, Kind.SELF)
    seen = BragEntryFactory(owner=cast.owner, glue_kind="onboarding", title="Seen glue")
    unseen = BragEntryFactory(owner=cast.owner, glue_kind="mentoring", title="Unseen glue")
    assessment.ratings.get(dimension__key="scope").evidence.set([seen, unseen])
    recognise(seen, cast.manager)
    client.force_login(cast.owner)

    text = client.get(f"/reviews/people/{cast.owner.pk}/").text

    assert 'Seen glue</a> <span class="badge badge--glue">Glue work · recognised' in text
    assert "Unseen glue</a></li>" in text
