"""GET /settings/data/my-data.json: everything a person may read about themselves, and nothing
of anyone else's beyond names."""

import datetime as dt
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from brag.models import Visibility
from reviews.packet_services import share_summary
from reviews.services import share

from ..factories import BragEntryFactory

URL = "/settings/data/my-data.json"

PLANTED = [
    "planted-teammate-private",
    "planted-teammate-team",
    "planted-outsider-entry",
    "planted-teammate-goal",
    "planted-manager-assessment-comment",
    "planted-teammate-self-comment",
    "planted-private-note",
    "planted-private-body",
    "planted-teammate-note",
    "planted-unshared-summary",
    "planted-teammate-packet",
]


def download(client, user) -> dict:
    client.force_login(user)
    response = client.get(URL)
    assert response.status_code == 200
    return response.json()


def test_the_url_is_named():
    assert reverse("portability:my_data") == URL


def test_owner_downloads_a_json_attachment_in_the_documented_format(client, cast, world):
    client.force_login(cast.owner)
    response = client.get(URL)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith('attachment; filename="careerladder-my-data-')
    assert "no-store" in response["Cache-Control"]
    data = response.json()
    assert data["format"] == "careerladder-personal/v1"
    assert list(data) == [
        "format",
        "exported_at",
        "person",
        "brag_entries",
        "goals",
        "assessments",
        "review_notes",
        "promotion_packets",
        "level_changes",
    ]


def test_it_holds_the_profile_without_the_password_hash(client, cast, world):
    data = download(client, cast.owner)

    person = data["person"]
    assert person["email"] == "owner@example.org"
    assert person["current_level"] == cast.owner.current_level.label
    assert person["teams"] == [{"team": "Platform", "role": "engineer"}]
    assert "password" not in person
    assert cast.owner.password not in json.dumps(data)


def test_it_holds_every_entry_private_and_deleted_included_with_tags_and_recognition(
    client, cast, world
):
    data = download(client, cast.owner)

    entries = {entry["title"]: entry for entry in data["brag_entries"]}
    assert set(entries) == {"Owner private win", "Owner deleted win", "Owner onboarding"}
    assert entries["Owner private win"]["visibility"] == Visibility.PRIVATE
    assert entries["Owner private win"]["dimensions"] == [{"key": "scope", "name": "Scope"}]
    assert entries["Owner deleted win"]["deleted_at"] is not None
    assert entries["Owner private win"]["deleted_at"] is None
    glue = entries["Owner onboarding"]
    assert glue["glue_kind"] == "onboarding"
    assert [(r["by"], r["comment"]) for r in glue["recognitions"]] == [
        ("Manager", "Seen, thank you")
    ]


def test_it_holds_goals_deleted_ones_included(client, cast, world):
    data = download(client, cast.owner)

    goals = {goal["text"]: goal for goal in data["goals"]}
    assert set(goals) == {"Owner goal: lead the migration", "Owner dropped goal"}
    assert goals["Owner dropped goal"]["deleted_at"] is not None


def test_it_holds_the_self_assessment_with_ratings_and_evidence(client, cast, world):
    data = download(client, cast.owner)

    [assessment] = data["assessments"]  # the manager's is not shared yet
    assert assessment["kind"] == "self"
    assert assessment["author"] == "Owner"
    ratings = assessment["ratings"]
    assert {rating["comment"] for rating in ratings} == {"Owner self comment"}
    assert all(rating["level"].endswith("(L4)") for rating in ratings)
    assert [world.private_entry.pk] in [rating["evidence"] for rating in ratings]


def test_a_shared_manager_assessment_is_in_it(client, cast, world):
    share(world.manager_assessment)

    data = download(client, cast.owner)

    kinds = {a["kind"]: a for a in data["assessments"]}
    assert kinds["manager"]["author"] == "Manager"
    assert "planted-manager-assessment-comment" in json.dumps(data)


def test_only_notes_shared_with_the_person_are_in_it(client, cast, world):
    data = download(client, cast.owner)

    assert [(n["title"], n["body"], n["author"]) for n in data["review_notes"]] == [
        ("Shared note", "Shared body", "Manager")
    ]


def test_the_packet_is_in_it_without_the_unshared_summary(client, cast, world):
    data = download(client, cast.owner)

    [packet] = data["promotion_packets"]
    assert packet["id"] == world.packet.pk
    assert packet["influence"] == "Owner influence"
    assert packet["manager_summary"] is None
    assert packet["recommendation"] is None
    assert packet["target_level"].endswith("(L4)")
    assert len(packet["matrix"]) == 6


def test_the_summary_is_in_it_once_the_manager_shares_it(client, cast, world):
    share_summary(world.packet, cast.manager)

    [packet] = download(client, cast.owner)["promotion_packets"]

    assert packet["manager_summary"] == "planted-unshared-summary"
    assert packet["recommendation"] == "promote"


def test_it_holds_the_level_history(client, cast, world):
    data = download(client, cast.owner)

    assert data["level_changes"] == [
        {
            "from": "Junior (L2)",
            "to": "Mid (L3)",
            "effective": "2026-04-01",
            "reason": "Promoted in the spring round",
            "created": data["level_changes"][0]["created"],
        }
    ]


def test_nothing_private_of_anyone_else_is_in_it(client, cast, world):
    text = json.dumps(download(client, cast.owner))

    for planted in PLANTED:
        assert planted not in text, planted
    # Others by name only: no one else's address.
    for other in (cast.manager, cast.teammate, cast.outsider, cast.staff):
        assert other.email not in text


def test_a_managers_download_holds_nothing_about_their_reports(client, cast, world):
    data = download(client, cast.manager)
    text = json.dumps(data)

    assert data["brag_entries"] == []
    assert data["assessments"] == []
    assert data["review_notes"] == []
    assert data["promotion_packets"] == []
    for planted in [*PLANTED, "Owner private win", "Owner onboarding", "Shared body"]:
        assert planted not in text, planted


@pytest.mark.parametrize("who", ["teammate", "outsider", "staff"])
def test_others_downloads_hold_none_of_the_owners_data(client, cast, world, who):
    text = json.dumps(download(client, getattr(cast, who)))

    for owned in ["Owner private win", "Owner deleted win", "Owner onboarding", "Shared body"]:
        assert owned not in text
    assert "owner@example.org" not in text


def test_a_teammate_gets_their_own_data(client, cast, world):
    data = download(client, cast.teammate)

    assert {e["title"] for e in data["brag_entries"]} == {
        "planted-teammate-private",
        "planted-teammate-team",
    }
    assert [p["id"] for p in data["promotion_packets"]] == [world.teammate_packet.pk]
    assert data["review_notes"] == []  # the note about them is not shared


def test_anonymous_is_sent_to_sign_in(client, db):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_post_is_refused(client, cast):
    client.force_login(cast.owner)

    assert client.post(URL).status_code == 405


def _queries(client, cast, entries: int, dimension) -> int:
    for n in range(entries):
        BragEntryFactory(
            owner=cast.owner,
            title=f"Extra {n}",
            glue_kind="documentation",
            visibility=Visibility.MANAGERS,
            dimensions=[dimension],
        )
    client.force_login(cast.owner)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    return len(queries)


def test_the_query_count_does_not_grow_with_the_entries(
    client, cast, world, django_assert_max_num_queries
):
    from brag.models import BragEntry
    from brag.recognition import recognise
    from ladder.models import Dimension

    dimension = Dimension.objects.get(ladder__slug="engineering", key="autonomy")
    few = _queries(client, cast, 3, dimension)
    for entry in BragEntry.objects.filter(owner=cast.owner, title__startswith="Extra"):
        recognise(entry, cast.manager)
    for n in range(27):
        entry = BragEntryFactory(
            owner=cast.owner, title=f"More {n}", glue_kind="mentoring", dimensions=[dimension]
        )
        recognise(entry, cast.manager)
        world.self_assessment.ratings.first().evidence.add(entry)
        world.packet.matrix.first().evidence.add(entry)

    with django_assert_max_num_queries(few):
        response = client.get(URL)
    assert len(response.json()["brag_entries"]) == 3 + 30


def test_evidence_lists_name_live_entries_newest_first_for_ratings_and_packets(client, cast, world):
    older = BragEntryFactory(owner=cast.owner, title="Older", date=dt.date(2026, 1, 5))
    newer = BragEntryFactory(owner=cast.owner, title="Newer", date=dt.date(2026, 6, 5))
    gone = BragEntryFactory(owner=cast.owner, title="Gone", date=dt.date(2026, 7, 5))
    rating = world.self_assessment.ratings.order_by("pk").first()
    row = world.packet.matrix.order_by("pk").first()
    rating.evidence.set([older, newer, gone])
    row.evidence.set([newer, older, gone])
    gone.soft_delete()

    data = download(client, cast.owner)
    [assessment] = data["assessments"]
    [first_rating] = [
        r for r in assessment["ratings"] if r["dimension"]["key"] == rating.dimension_key
    ]
    assert first_rating["evidence"] == [newer.pk, older.pk]
    [packet] = [p for p in data["promotion_packets"] if p["id"] == world.packet.pk]
    [first_row] = [r for r in packet["matrix"] if r["dimension"] == row.dimension_key]
    assert first_row["evidence"] == sorted([older.pk, newer.pk])
