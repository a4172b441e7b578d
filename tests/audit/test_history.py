"""What the trail records: who changed which fields of what, never the private text itself."""

import pytest
from django.urls import reverse

from audit.history import record_update
from ladder.models import Level
from people.models import Membership, User
from reviews.models import Kind, PromotionRound, Rating, ReviewNote
from reviews.note_services import create_note, edit_note, share_note
from reviews.services import start_assessment

from ..factories import BragEntryFactory, MembershipFactory, TeamFactory

COMMENT = "Struggled badly with the migration, lost trust of the team"


@pytest.fixture
def assessment(cast, cycle):
    return start_assessment(cycle, cast.owner, cast.owner, Kind.SELF)


def _post_rating(client, rating, **values):
    data = {f"r{rating.pk}-{name}": value for name, value in values.items()}
    url = reverse("reviews:rating", args=[rating.assessment_id, rating.pk])
    return client.post(url, data, headers={"HX-Request": "true"})


def test_a_rating_saved_in_the_page_records_who_and_which_fields(client, cast, assessment):
    rating = assessment.ratings.first()
    level = Level.objects.get(track=assessment.track, code="L3")
    client.force_login(cast.owner)

    response = _post_rating(client, rating, level=level.pk, comment=COMMENT)

    assert response.status_code == 200
    change = Rating.history.filter(id=rating.pk, history_type="~").get()
    assert change.history_user_id == cast.owner.pk
    assert set(change.changed_fields) == {"level", "level_code", "comment"}
    assert not hasattr(change, "comment")


def test_saving_the_same_values_again_records_nothing(client, cast, assessment):
    rating = assessment.ratings.first()
    client.force_login(cast.owner)
    _post_rating(client, rating, comment=COMMENT)
    recorded = Rating.history.filter(id=rating.pk).count()

    _post_rating(client, rating, comment=COMMENT)

    assert Rating.history.filter(id=rating.pk).count() == recorded


def test_attaching_evidence_is_recorded_by_name(client, cast, assessment):
    rating = assessment.ratings.first()
    entry = BragEntryFactory(owner=cast.owner)
    client.force_login(cast.owner)

    _post_rating(client, rating, evidence=entry.pk)

    last = Rating.history.filter(id=rating.pk).first()
    assert last.changed_fields == ["evidence"]
    assert list(last.evidence.values_list("bragentry_id", flat=True)) == [entry.pk]


def test_a_note_records_its_title_and_body_by_name_only(client, cast):
    client.force_login(cast.manager)

    client.post(
        reverse("reviews:notes", args=[cast.owner.pk]),
        {"title": "Worries about Q3", "body": COMMENT, "cycle": ""},
    )

    note = ReviewNote.objects.get()
    created = ReviewNote.history.get(id=note.pk)
    assert created.history_type == "+"
    assert created.history_user_id == cast.manager.pk
    assert {"title", "body", "subject", "author"} <= set(created.changed_fields)
    assert not any(hasattr(created, name) for name in ("title", "body", "body_html"))


def test_signing_in_touches_no_history_of_the_person(client, cast):
    before = User.history.filter(id=cast.owner.pk).count()

    client.post("/accounts/login/", {"login": cast.owner.email, "password": "x" * 3})
    cast.owner.save(update_fields=["last_login"])

    assert User.history.filter(id=cast.owner.pk).count() == before


def test_a_level_change_of_a_person_is_recorded_with_its_fields(cast):
    cast.owner.current_level = Level.objects.get(track=cast.owner.track, code="L4")
    cast.owner.name = "Renamed"
    cast.owner.save()

    change = User.history.filter(id=cast.owner.pk).first()
    assert set(change.changed_fields) == {"current_level", "name"}
    assert not hasattr(change, "name") and not hasattr(change, "password")


def test_a_membership_change_is_recorded(cast):
    membership = MembershipFactory(team=TeamFactory(), user=cast.teammate)
    membership.role = Membership.Role.MANAGER
    membership.save()
    pk = membership.pk
    membership.delete()

    kinds = list(Membership.history.filter(id=pk).values_list("history_type", flat=True))
    assert kinds == ["-", "~", "+"]
    assert Membership.history.filter(id=pk, history_type="~").get().changed_fields == ["role"]


def test_naming_a_decider_from_either_side_is_recorded(cast, cycle):
    promotion_round = PromotionRound.objects.create(cycle=cycle)

    promotion_round.deciders.add(cast.staff)
    cast.teammate.decider_rounds.add(promotion_round)

    changes = PromotionRound.history.filter(id=promotion_round.pk, history_type="~")
    assert [change.changed_fields for change in changes] == [["deciders"], ["deciders"]]
    latest = changes.first()
    assert set(latest.deciders.values_list("user_id", flat=True)) == {
        cast.staff.pk,
        cast.teammate.pk,
    }


def test_record_update_names_only_the_followed_fields_written(cast):
    note = create_note(cast.owner, cast.manager, title="T", body="B")
    ReviewNote.objects.filter(pk=note.pk).update(version=5)

    record_update(note, ["version", "updated"], by=cast.manager)
    assert ReviewNote.history.filter(id=note.pk).count() == 1  # nothing followed: no row

    record_update(note, ["shared_at", "version"], by=cast.manager)
    change = ReviewNote.history.filter(id=note.pk).first()
    assert change.changed_fields == ["shared_at"]
    assert change.history_user_id == cast.manager.pk


def test_editing_a_note_through_its_service_is_recorded(cast):
    note = create_note(cast.owner, cast.manager, title="T", body="B")

    edit_note(note, cast.manager, note.version, title="T2", body="B2", cycle=None)

    change = ReviewNote.history.filter(id=note.pk).first()
    assert change.history_type == "~"
    assert set(change.changed_fields) >= {"title", "body"}


def test_sharing_a_note_is_recorded(cast):
    note = create_note(cast.owner, cast.manager, title="T", body="B")

    share_note(note, cast.manager)

    assert ReviewNote.history.filter(id=note.pk).first().changed_fields == ["shared_at"]
