"""export_instance and import_instance: the whole instance as JSON with natural keys, into an
empty database and back out, the same document."""

import json
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.core.management.base import CommandError

from brag.models import BragEntry
from ladder.models import Dimension, Ladder, LadderVersion, Level
from ladder.services import record_version
from people.models import Membership, Team, User
from reviews.models import Assessment, Rating

from ..factories import DimensionFactory, LadderFactory, LevelFactory, TeamFactory, TrackFactory


def export() -> str:
    out = StringIO()
    call_command("export_instance", stdout=out)
    return out.getvalue()


def build_varied_instance() -> None:
    """The demo organisation, a default ladder with several versions (assessments pinned to
    older ones, a dimension that left the ladder), a second ladder, a group, an address."""
    call_command("seed_demo", stdout=StringIO())
    ladder = Ladder.objects.get(slug="engineering")
    Level.objects.filter(track__ladder=ladder, code="L4").update(name="Senior engineer")
    record_version(ladder, via="admin")
    writing = Dimension.objects.create(ladder=ladder, key="writing", name="Writing", order=9)
    BragEntry.objects.filter(owner__email="priya@example.com").first().dimensions.add(writing)
    record_version(ladder, via="admin")
    Dimension.objects.get(ladder=ladder, key="failure-impact").delete()
    record_version(ladder, via="admin")

    other = LadderFactory(slug="design", name="Design")
    level = LevelFactory(track=TrackFactory(ladder=other, key="ic"), code="D1")
    DimensionFactory(ladder=other, key="craft")
    record_version(other, via="admin")
    team = TeamFactory(name="Design", slug="design", ladder=other)
    designer = User.objects.create_user("dana@example.com", "pw", name="Dana")
    designer.track, designer.current_level = level.track, level
    designer.save()
    Membership.objects.create(team=team, user=designer)

    group = Group.objects.create(name="Ladder editors")
    group.permissions.set(Permission.objects.filter(content_type__app_label="ladder")[:3])
    User.objects.get(email="admin@example.com").groups.add(group)
    EmailAddress.objects.create(user=designer, email=designer.email, verified=True, primary=True)


@pytest.mark.django_db(transaction=True)
def test_export_import_into_an_empty_database_export_again_gives_the_same_document(tmp_path):
    build_varied_instance()
    first = export()
    counts = {
        model: model.objects.count()
        for model in (User, Team, Ladder, LadderVersion, BragEntry, Assessment, Rating, Group)
    }
    assert counts[LadderVersion] >= 5

    # A fresh, migrated database: flush empties every table, then migrate's signal makes the
    # content types and permissions again (with new ids: the file names them by natural key).
    call_command("flush", interactive=False, verbosity=0)
    assert not User.objects.exists()
    path = tmp_path / "instance.json"
    path.write_text(first, encoding="utf-8")
    out = StringIO()
    call_command("import_instance", str(path), stdout=out)

    assert "Imported" in out.getvalue()
    assert export() == first
    assert {model: model.objects.count() for model in counts} == counts
    # The data works as before: a submitted assessment still reads its pinned version.
    pinned = Assessment.objects.filter(state="submitted").exclude(ladder_version=None).first()
    assert (
        pinned.ladder_version.number
        < LadderVersion.objects.filter(ladder__slug="engineering").count()
    )
    admin = User.objects.get(email="admin@example.com")
    assert admin.has_perm(
        f"ladder.{Permission.objects.filter(content_type__app_label='ladder').first().codename}"
    )


def test_rows_with_natural_keys_carry_none_of_the_database_ids(cast):
    rows = json.loads(export())

    by_model: dict[str, list[dict]] = {}
    for row in rows:
        by_model.setdefault(row["model"], []).append(row)
    for model in (
        "ladder.ladder",
        "ladder.track",
        "ladder.level",
        "ladder.dimension",
        "ladder.ladderversion",
        "people.user",
        "people.team",
    ):
        assert by_model[model], model
        assert all("pk" not in row for row in by_model[model]), model
    owner = next(r for r in by_model["people.user"] if r["fields"]["email"] == "owner@example.org")
    assert owner["fields"]["track"] == ["engineering", "ic"]
    assert owner["fields"]["current_level"] == ["engineering", "ic", "L3"]
    membership = by_model["people.membership"][0]
    assert isinstance(membership["pk"], int)
    assert isinstance(membership["fields"]["user"], list)
    assert by_model["ladder.ladderversion"][0]["fields"]["ladder"] == ["engineering"]


def test_the_audit_trail_sessions_and_content_types_are_left_out(cast, client):
    client.force_login(cast.owner)

    models = {row["model"] for row in json.loads(export())}

    assert not models & {
        "sessions.session",
        "contenttypes.contenttype",
        "auth.permission",
        "admin.logentry",
    }
    assert not any(model.startswith("audit.") for model in models)
    assert not any(".historical" in model for model in models)


def test_two_exports_of_the_same_database_are_identical(cast):
    assert export() == export()


def test_export_writes_a_file_with_output(cast, tmp_path):
    path = tmp_path / "out.json"
    err = StringIO()

    call_command("export_instance", "--output", str(path), stderr=err)

    assert path.read_text(encoding="utf-8") == export()
    assert f"to {path}" in err.getvalue()
    assert not list(tmp_path.glob("*.partial"))


def test_import_refuses_a_database_that_is_not_empty_and_changes_nothing(cast, tmp_path):
    path = tmp_path / "instance.json"
    path.write_text(export(), encoding="utf-8")
    people = User.objects.count()

    with pytest.raises(CommandError) as refusal:
        call_command("import_instance", str(path))

    assert "The database is not empty" in str(refusal.value)
    assert "people.user" in str(refusal.value)
    assert User.objects.count() == people


def write(tmp_path, rows) -> str:
    path = tmp_path / "instance.json"
    path.write_text(json.dumps(rows), encoding="utf-8")
    return str(path)


LADDER = {
    "model": "ladder.ladder",
    "fields": {
        "name": "Eng",
        "slug": "eng",
        "is_default": True,
        "created": "2026-01-01T00:00:00Z",
        "updated": "2026-01-01T00:00:00Z",
    },
}


def test_a_row_that_fails_names_itself_and_nothing_is_imported(db, tmp_path):
    broken_track = {
        "model": "ladder.track",
        "fields": {"ladder": ["no-such-ladder"], "key": "ic", "name": "IC", "order": 0},
    }

    with pytest.raises(CommandError) as refusal:
        call_command("import_instance", write(tmp_path, [LADDER, broken_track]))

    message = str(refusal.value)
    assert message.startswith("Nothing was imported.")
    assert "ladder.track" in message
    assert "no-such-ladder" in message
    assert not Ladder.objects.exists()


def test_a_bad_value_names_the_row_and_field(db, tmp_path):
    team = {
        "model": "people.team",
        "fields": {
            "name": "T",
            "slug": "t",
            "glue_share_limit": "lots",
            "unrecognised_after_days": 30,
        },
    }

    with pytest.raises(CommandError) as refusal:
        call_command("import_instance", write(tmp_path, [LADDER, team]))

    assert "people.team" in str(refusal.value)
    assert "lots" in str(refusal.value)
    assert not Ladder.objects.exists() and not Team.objects.exists()


def test_a_row_that_breaks_a_constraint_rolls_everything_back(db, tmp_path):
    second_default = {**LADDER, "fields": {**LADDER["fields"], "slug": "eng-2"}}

    with pytest.raises(CommandError) as refusal:
        call_command("import_instance", write(tmp_path, [LADDER, second_default]))

    assert "ladder.ladder" in str(refusal.value)
    assert not Ladder.objects.exists()


def test_rows_an_export_never_has_are_refused(db, tmp_path):
    session = {
        "model": "sessions.session",
        "pk": "abc",
        "fields": {"session_data": "x", "expire_date": "2030-01-01T00:00:00Z"},
    }

    with pytest.raises(CommandError, match=r"'sessions\.session' row"):
        call_command("import_instance", write(tmp_path, [LADDER, session]))
    assert not Ladder.objects.exists()


def test_a_file_that_is_not_json_is_refused(db, tmp_path):
    path = tmp_path / "instance.json"
    path.write_text("this is not json", encoding="utf-8")

    with pytest.raises(CommandError, match="Could not read the file as JSON"):
        call_command("import_instance", str(path))


def test_a_missing_file_is_refused(db, tmp_path):
    with pytest.raises(CommandError, match="No file"):
        call_command("import_instance", str(tmp_path / "nope.json"))
