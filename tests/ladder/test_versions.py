"""Ladder versions: every change of content makes one, the same content makes none, a version
never changes, and any version exports to careerladder/v1 and imports back as the same content."""

import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ladder.ladder_file import parse_ladder, spec_to_yaml
from ladder.models import Expectation, Ladder, LadderVersion, Level, VersionSource
from ladder.services import export_ladder_yaml, import_ladder_text, ladder_to_spec, make_default
from ladder.spec import LadderFileError

FRAMEWORKS = Path(__file__).resolve().parents[1] / "fixtures" / "frameworks"
SAMPLES = [
    FRAMEWORKS / "monzo" / "backend.md",
    FRAMEWORKS / "monzo" / "web.md",
    FRAMEWORKS / "financial-times" / "engineering.yml",
]


def renamed(ladder: Ladder, name: str) -> str:
    return re.sub(r"^name: .*$", f"name: {name}", export_ladder_yaml(ladder), count=1, flags=re.M)


def reworded(ladder: Ladder, old: str, new: str) -> str:
    text = export_ladder_yaml(ladder)
    assert old in text
    return text.replace(old, new)


def test_the_default_ladder_starts_at_version_1(default_ladder):
    version = default_ladder.versions.get()

    assert version.number == 1
    assert version.source == VersionSource.DEFAULT
    assert version.counts == {
        "dimensions": 6,
        "tracks": 2,
        "levels": 9,
        "expectations": 30,
        "criteria": 0,
    }
    assert version.spec == ladder_to_spec(default_ladder)


def test_re_importing_the_same_content_makes_no_version(default_ladder):
    imported = import_ladder_text(
        export_ladder_yaml(default_ladder), "engineering.yaml", replace=True
    )

    assert imported.version is None
    assert default_ladder.versions.count() == 1


def test_a_change_makes_the_next_version_with_who_and_from_what(default_ladder, cast):
    text = reworded(default_ladder, "Entire system / service", "A whole service")

    imported = import_ladder_text(
        text, "uploads/engineering.yaml", replace=True, by=cast.staff, via=VersionSource.UPLOAD
    )

    version = imported.version
    assert (version.number, version.created_by, version.source) == (2, cast.staff, "upload")
    assert (version.source_format, version.source_name) == ("careerladder/v1", "engineering.yaml")
    assert version.source_label == "engineering.yaml (careerladder/v1) through the import page"
    l4 = version.spec.track("ic").level("L4")
    assert l4.expectations["scope"].summary == "A whole service"
    first = default_ladder.versions.get(number=1).spec.track("ic").level("L4")
    assert first.expectations["scope"].summary == "Entire system / service"


def test_a_version_never_changes_once_recorded(default_ladder):
    version = default_ladder.versions.get()
    version.content = {}

    with pytest.raises(ValueError, match="never changes"):
        version.save()


def test_every_version_exports_to_v1_and_reads_back_as_the_same_content(default_ladder):
    for n in range(3):
        import_ladder_text(renamed(default_ladder, f"Engineering {n}"), "e.yaml", replace=True)
    assert default_ladder.versions.count() == 4

    for version in default_ladder.versions.all():
        again = parse_ladder(spec_to_yaml(version.spec), "export.yaml")
        assert again == version.spec
        assert again.content_hash() == version.content_hash


def test_importing_an_old_versions_export_brings_its_content_back_as_a_new_version(
    client, default_ladder, cast
):
    text = reworded(default_ladder, "Entire system / service", "A whole service")
    import_ladder_text(text, "engineering.yaml", replace=True)
    client.force_login(cast.staff)
    first = client.get("/ladder/engineering/export.yaml?version=1").content.decode()

    imported = import_ladder_text(first, "engineering-v1.yaml", replace=True)

    assert imported.version.number == 3
    assert imported.version.content_hash == default_ladder.versions.get(number=1).content_hash
    assert Expectation.objects.filter(summary="Entire system / service").exists()


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda path: path.name)
def test_a_public_framework_round_trips_through_v1(default_ladder, sample):
    imported = import_ladder_text(sample.read_text(encoding="utf-8"), sample.name)
    exported = export_ladder_yaml(imported.ladder)

    again = import_ladder_text(exported, "exported.yaml", replace=True)

    assert again.format == "careerladder/v1"
    assert again.version is None  # the same content: no new version
    assert imported.ladder.versions.count() == 1
    assert parse_ladder(exported, "exported.yaml") == imported.version.spec


def test_the_import_command_says_what_it_made(default_ladder, tmp_path, capsys):
    path = tmp_path / "engineering.yaml"
    path.write_text(export_ladder_yaml(default_ladder))

    call_command("import_ladder", str(path), "--replace")
    path.write_text(reworded(default_ladder, "Service outage", "Outage"))
    call_command("import_ladder", str(path), "--replace")

    out = capsys.readouterr().out
    assert "no new version: the content is the same as the latest" in out
    assert "6 dimensions, 2 tracks, 9 levels, 30 expectations, 0 criteria; version 2." in out


def test_the_import_command_can_force_a_format(db, tmp_path):
    path = tmp_path / "framework.txt"
    path.write_text((FRAMEWORKS / "monzo" / "web.md").read_text(encoding="utf-8"))

    with pytest.raises(Exception, match="not valid YAML"):
        call_command("import_ladder", str(path), "--format", "ft")
    call_command("import_ladder", str(path), "--format", "monzo")

    assert Ladder.objects.get().source_format == "monzo"


def test_an_admin_save_that_changes_content_records_a_version(admin_client, default_ladder):
    ladder = Ladder.objects.get(pk=default_ladder.pk)
    data = {
        "name": "Engineering ladder",
        "slug": ladder.slug,
        "description": ladder.description,
        "attribution": "",
        "is_default": "on",
        "dimensions-TOTAL_FORMS": 0,
        "dimensions-INITIAL_FORMS": 0,
        "tracks-TOTAL_FORMS": 0,
        "tracks-INITIAL_FORMS": 0,
    }

    admin_client.post(f"/admin/ladder/ladder/{ladder.pk}/change/", data)
    admin_client.post(f"/admin/ladder/ladder/{ladder.pk}/change/", data)

    versions = list(ladder.versions.order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert versions[1].source == VersionSource.ADMIN
    assert versions[1].created_by.is_superuser
    assert versions[1].spec.name == "Engineering ladder"


def test_unticking_the_default_in_the_admin_keeps_one_default(admin_client, default_ladder):
    data = {
        "name": default_ladder.name,
        "slug": default_ladder.slug,
        "description": default_ladder.description,
        "attribution": "",
        "dimensions-TOTAL_FORMS": 0,
        "dimensions-INITIAL_FORMS": 0,
        "tracks-TOTAL_FORMS": 0,
        "tracks-INITIAL_FORMS": 0,
    }

    response = admin_client.post(
        f"/admin/ladder/ladder/{default_ladder.pk}/change/", data, follow=True
    )

    assert "One ladder is always the default" in response.text
    assert Ladder.objects.default() == default_ladder


def test_a_level_removed_in_the_admin_stays_in_the_versions(admin_client, default_ladder):
    level = Level.objects.get(track__key="management", code="VP")

    admin_client.post(f"/admin/ladder/level/{level.pk}/delete/", {"post": "yes"})

    assert not Level.objects.filter(pk=level.pk).exists()
    latest, first = default_ladder.versions.order_by("-number")[:2]
    assert latest.spec.track("management").level("VP") is None
    assert first.spec.track("management").level("VP").name == "VP"


def _versions(ladder: Ladder, count: int) -> None:
    while ladder.versions.count() < count:
        name = f"Engineering {ladder.versions.count()}"
        import_ladder_text(renamed(ladder, name), "engineering.yaml", replace=True)


@pytest.mark.parametrize(
    "url",
    [
        "/ladder/engineering/ic/",
        "/ladder/engineering/ic/?version=2",
        "/ladder/engineering/ic/diff/?from_level=L3&to_level=L4",
        "/ladder/engineering/-/versions/",
        "/ladder/engineering/-/versions/compare/?from=1&to=2",
    ],
)
def test_the_query_count_does_not_grow_with_the_versions(client, cast, default_ladder, url):
    client.force_login(cast.owner)
    _versions(default_ladder, 2)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200

    _versions(default_ladder, 20)
    assert default_ladder.versions.count() == 20
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200

    assert len(many.captured_queries) == len(few.captured_queries)


def test_a_past_version_of_the_map_is_bookmarkable(client, cast, default_ladder):
    import_ladder_text(
        reworded(default_ladder, "Entire system / service", "A whole service"),
        "engineering.yaml",
        replace=True,
    )
    client.force_login(cast.owner)

    old = client.get("/ladder/engineering/ic/?version=1")
    new = client.get("/ladder/engineering/ic/")

    assert "Entire system / service" in old.text and "A whole service" not in old.text
    assert "You are reading version 1 of this ladder" in old.text
    assert "the current one is version 2" in old.text
    assert 'href="/ladder/engineering/management/?version=1"' in old.text
    assert "A whole service" in new.text and "You are reading version" not in new.text


@pytest.mark.parametrize(
    "query",
    [
        "?version=9",
        "?version=abc",
        "?version=-1",
        "?version=" + "9" * 30,
        "?version=²",
        "?version=١",
    ],
)
def test_a_version_that_does_not_exist_is_not_found(client, cast, query):
    client.force_login(cast.owner)

    assert client.get(f"/ladder/engineering/ic/{query}").status_code == 404
    assert client.get(f"/ladder/engineering/export.yaml{query}").status_code == 404


def test_versions_are_kept_per_ladder(default_ladder):
    sample = FRAMEWORKS / "financial-times" / "engineering.yml"
    ft = import_ladder_text(sample.read_text(encoding="utf-8"), sample.name).ladder

    assert ft.versions.get().number == 1
    assert LadderVersion.objects.count() == 2


def test_an_ft_file_that_opens_with_a_document_marker_is_still_read_as_ft(db):
    sample = FRAMEWORKS / "financial-times" / "engineering.yml"

    imported = import_ladder_text("---\n" + sample.read_text(encoding="utf-8"), sample.name)

    assert imported.format == "ft"


def test_deleting_the_default_ladder_hands_the_flag_on(admin_client, default_ladder):
    sample = FRAMEWORKS / "monzo" / "web.md"
    monzo = import_ladder_text(sample.read_text(encoding="utf-8"), sample.name).ladder
    make_default(monzo)

    admin_client.post(f"/admin/ladder/ladder/{monzo.pk}/delete/", {"post": "yes"})

    assert not Ladder.objects.filter(pk=monzo.pk).exists()
    assert Ladder.objects.default() == default_ladder


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        (
            "x.md",
            "---\ntopics:\n  - name: craft\n---\n",
            "x.md, line 2, tracks[0].levels: the track 'engineering' has no levels",
        ),
        ("x.md", "---\nlevels: 2\ntopics: []\n---\n", "topics: must list at least one item"),
    ],
)
def test_a_framework_that_makes_no_usable_ladder_is_refused_whole(db, name, text, message):
    with pytest.raises(LadderFileError, match=re.escape(message)):
        import_ladder_text(text, name)

    assert not Ladder.objects.exists()


def test_an_ft_file_of_manager_levels_only_makes_one_track_that_round_trips(db):
    text = (
        "name: Leads\nthemes:\n  - id: people\n    name: People\n"
        "levels:\n  - id: lead-pm\n    name: Lead (People Manager)\n"
        "competencies:\n  - level: lead-pm\n    theme: people\n    summary: Grows the team\n"
    )

    imported = import_ladder_text(text, "leads.yml")

    assert [t.key for t in imported.version.spec.tracks] == ["management"]
    again = import_ladder_text(export_ladder_yaml(imported.ladder), "leads.yaml", replace=True)
    assert again.version is None


def test_the_export_command_writes_any_version(default_ladder, tmp_path, capsys):
    import_ladder_text(renamed(default_ladder, "Engineering 2"), "e.yaml", replace=True)

    call_command("export_ladder", "engineering", "--ladder-version", "1")
    first = capsys.readouterr().out
    call_command("export_ladder", "engineering")
    latest = capsys.readouterr().out

    assert "name: Engineering\n" in first
    assert "name: Engineering 2\n" in latest
    with pytest.raises(Exception, match=r"engineering has no version 7 \(versions: 2, 1\)"):
        call_command("export_ladder", "engineering", "--ladder-version", "7")
