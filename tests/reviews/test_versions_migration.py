"""The migration to ladder versions: every ladder gets version 1; assessments submitted before
move from their own snapshot to the version holding what they were rated against, and nothing
they show changes."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [
    ("ladder", "0002_keys_follow_the_file_format"),
    ("people", "0002_user_last_reminded_on_user_weekly_reminder"),
    ("brag", "0001_initial"),
    ("reviews", "0001_initial"),
]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def latest_targets():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_snapshots_move_into_versions_and_nothing_shown_changes():
    latest = latest_targets()
    old = migrate(BEFORE)
    Ladder, Track, Level = (old.get_model("ladder", m) for m in ("Ladder", "Track", "Level"))
    Dimension, Expectation = (
        old.get_model("ladder", "Dimension"),
        old.get_model("ladder", "Expectation"),
    )
    User = old.get_model("people", "User")
    Cycle, Assessment, Rating = (
        old.get_model("reviews", m) for m in ("ReviewCycle", "Assessment", "Rating")
    )
    ladder = Ladder.objects.create(name="Engineering", slug="engineering")
    other = Ladder.objects.create(name="Data", slug="data")
    track = Track.objects.create(ladder=ladder, key="ic", name="IC")
    # L3 was renamed "Mid" and recoded L3a after the earlier assessment was submitted.
    mid = Level.objects.create(track=track, code="L3a", name="Mid", order=0)
    senior = Level.objects.create(track=track, code="L4", name="Senior", order=1)
    scope = Dimension.objects.create(ladder=ladder, key="scope", name="Scope")
    Expectation.objects.create(level=mid, dimension=scope, summary="A feature")
    Expectation.objects.create(level=senior, dimension=scope, summary="A whole system")
    person = User.objects.create(email="p@example.org", track=track, current_level=mid)
    cycle = Cycle.objects.create(name="H1", start=dt.date(2026, 1, 1), end=dt.date(2026, 6, 30))
    later = Cycle.objects.create(name="H2", start=dt.date(2026, 7, 1), end=dt.date(2026, 12, 31))
    levels = {
        str(mid.pk): {"code": "L3a", "name": "Mid", "order": 0},
        str(senior.pk): {"code": "L4", "name": "Senior", "order": 1},
    }
    as_now = {
        "track": "IC",
        "levels": levels,
        "expectations": {
            str(scope.pk): {str(mid.pk): "A feature", str(senior.pk): "A whole system"}
        },
        "signals": {str(mid.pk): [], str(senior.pk): []},
    }
    # Submitted before L3 was renamed and the L4 text reworded.
    as_before = {
        **as_now,
        "levels": {**levels, str(mid.pk): {"code": "L3", "name": "Intermediate", "order": 0}},
        "expectations": {str(scope.pk): {str(mid.pk): "A feature", str(senior.pk): "Old text"}},
    }
    common = {"subject": person, "author": person, "kind": "self", "state": "submitted"}
    earlier = Assessment.objects.create(
        cycle=cycle,
        track=track,
        current_level=mid,
        target_level=senior,
        snapshot=as_before,
        submitted_at=timezone.now() - dt.timedelta(days=100),
        **common,
    )
    recent = Assessment.objects.create(
        cycle=later,
        track=track,
        current_level=mid,
        target_level=senior,
        snapshot=as_now,
        submitted_at=timezone.now(),
        **common,
    )
    for assessment in (earlier, recent):
        Rating.objects.create(assessment=assessment, dimension=scope, level=mid)

    migrate(latest)

    from ladder.models import Ladder as LiveLadder
    from ladder.services import record_version
    from reviews.models import Assessment as LiveAssessment

    engineering = LiveLadder.objects.get(slug="engineering")
    assert LiveLadder.objects.default() == engineering
    assert [v.number for v in engineering.versions.order_by("number")] == [1, 2]
    assert LiveLadder.objects.get(slug="data").versions.get().number == 1
    assert other.pk  # a ladder with nothing submitted gets its version 1 too

    earlier = LiveAssessment.objects.get(pk=earlier.pk)
    recent = LiveAssessment.objects.get(pk=recent.pk)
    assert earlier.ladder_version.number == 1
    assert recent.ladder_version.number == 2
    assert earlier.current_label == "Intermediate (L3)"
    assert recent.current_label == "Mid (L3a)"
    assert earlier.track_key == recent.track_key == "ic"
    assert earlier.expectation_text("L4", "scope") == "Old text"
    assert earlier.expectation_text("L3", "scope") == "A feature"
    assert recent.expectation_text("L4", "scope") == "A whole system"
    (rating,) = earlier.ratings.all()
    assert (rating.dimension_key, rating.level_code) == ("scope", "L3")
    assert earlier.rating_label(rating) == "Intermediate (L3)"
    # The newest version holds the live content exactly: nothing new to record.
    assert record_version(engineering, via="admin") is None
