"""Submitting: every dimension rated, a snapshot kept, read-only after; sharing."""

import pytest

from ladder.models import Expectation
from ladder.services import export_ladder_yaml, import_ladder_text
from reviews.models import Assessment, State
from reviews.services import start_assessment, submit

from .conftest import rate_all


def test_submitting_with_dimensions_unrated_lists_them_and_changes_nothing(
    client, cast, self_assessment
):
    self_assessment.ratings.exclude(dimension__key__in=["scope", "ambiguity"]).update(
        level=cast.owner.current_level
    )
    client.force_login(cast.owner)

    response = client.post(f"/reviews/assessments/{self_assessment.pk}/submit/", follow=True)

    assert (
        "Rate every dimension before you submit. Not rated yet: Scope, Ambiguity." in response.text
    )
    assert Assessment.objects.get(pk=self_assessment.pk).state == State.DRAFT


def test_submitting_makes_it_read_only_and_opens_where_i_stand(client, cast, self_assessment):
    rate_all(self_assessment)
    client.force_login(cast.owner)

    response = client.post(f"/reviews/assessments/{self_assessment.pk}/submit/")

    assert (
        response["Location"] == f"/reviews/people/{cast.owner.pk}/?cycle={self_assessment.cycle_id}"
    )
    assessment = Assessment.objects.get(pk=self_assessment.pk)
    assert assessment.state == State.SUBMITTED
    page = client.get(assessment.get_absolute_url()).text
    assert "rating-form" not in page
    assert "Submit" not in page.split("</header>")[-1]


@pytest.mark.parametrize("role", ["manager", "teammate", "outsider"])
def test_nobody_else_submits_it(client, cast, self_assessment, role):
    rate_all(self_assessment)
    client.force_login(getattr(cast, role))

    assert client.post(f"/reviews/assessments/{self_assessment.pk}/submit/").status_code == 404
    assert Assessment.objects.get(pk=self_assessment.pk).state == State.DRAFT


def test_the_snapshot_survives_a_ladder_edit(client, cast, self_assessment):
    rate_all(self_assessment)
    submit(self_assessment)
    ladder = cast.owner.track.ladder
    text = export_ladder_yaml(ladder).replace("Entire system / service", "A whole service")
    import_ladder_text(text, "engineering.yaml", replace=True)
    assert Expectation.objects.filter(summary="A whole service").exists()
    client.force_login(cast.owner)

    sheet = client.get(f"/reviews/assessments/{self_assessment.pk}/").text
    standing = client.get(f"/reviews/people/{cast.owner.pk}/").text

    assert "Entire system / service" in sheet  # the target (L4) text it was rated against
    assert "A whole service" not in sheet
    assert "Entire system / service" in standing


def test_a_draft_reads_the_live_ladder(client, cast, self_assessment):
    ladder = cast.owner.track.ladder
    text = export_ladder_yaml(ladder).replace("Entire system / service", "A whole service")
    import_ladder_text(text, "engineering.yaml", replace=True)
    client.force_login(cast.owner)

    assert "A whole service" in client.get(f"/reviews/assessments/{self_assessment.pk}/").text


def test_the_manager_shares_a_submitted_assessment(client, cast, submitted_manager):
    client.force_login(cast.owner)
    assert client.get(submitted_manager.get_absolute_url()).status_code == 404

    client.force_login(cast.manager)
    client.post(f"/reviews/assessments/{submitted_manager.pk}/share/")

    client.force_login(cast.owner)
    assert client.get(submitted_manager.get_absolute_url()).status_code == 200


def test_a_draft_cannot_be_shared(client, cast, manager_assessment):
    client.force_login(cast.manager)

    response = client.post(f"/reviews/assessments/{manager_assessment.pk}/share/", follow=True)

    assert "Submit the assessment before you share it." in response.text
    assert Assessment.objects.get(pk=manager_assessment.pk).shared_at is None


def test_only_its_author_shares_it(client, cast, submitted_manager):
    client.force_login(cast.owner)

    assert client.post(f"/reviews/assessments/{submitted_manager.pk}/share/").status_code == 404
    assert Assessment.objects.get(pk=submitted_manager.pk).shared_at is None


def test_a_dimension_dropped_from_the_ladder_stays_readable_where_it_was_rated(
    client, cast, submitted_self
):
    from ladder.models import Dimension

    text = export_ladder_yaml(cast.owner.track.ladder)
    kept = [line for line in text.splitlines() if "failure-impact" not in line]
    kept = "\n".join(line for line in kept if line.strip() != "name: Failure Impact") + "\n"

    imported = import_ladder_text(kept, "engineering.yaml", replace=True)

    assert imported.version.number == 2
    assert not Dimension.objects.filter(key="failure-impact").exists()
    client.force_login(cast.owner)
    sheet = client.get(submitted_self.get_absolute_url()).text
    standing = client.get(f"/reviews/people/{cast.owner.pk}/").text
    assert "<h2>Failure Impact</h2>" in sheet
    assert "Service outage" in sheet  # the L4 target text on Failure Impact, as rated
    assert sheet.count("<strong>Mid (L3)</strong>") == 6
    assert "Failure Impact" in standing


def test_renaming_a_level_later_does_not_rewrite_a_submitted_assessment(
    client, cast, submitted_self
):
    from ladder.models import Level

    Level.objects.filter(code="L3").update(name="Intermediate", code="L3X")
    client.force_login(cast.owner)

    sheet = client.get(submitted_self.get_absolute_url()).text
    standing = client.get(f"/reviews/people/{cast.owner.pk}/").text

    assert "Mid (L3)" in sheet and "Intermediate" not in sheet
    assert "Mid (L3)" in standing
    assert "<td>L3 · —</td>" in standing


def test_a_level_dropped_from_the_ladder_stays_readable_where_it_was_rated(
    client, cast, submitted_self
):
    from .conftest import rate_all

    manager = start_assessment(submitted_self.cycle, cast.owner, cast.manager, "manager")
    submit(rate_all(manager, "L6+"))
    text = export_ladder_yaml(cast.owner.track.ladder)
    start = text.index("      - code: L6+")
    end = text.index("  - key: management")

    import_ladder_text(text[:start] + text[end:], "engineering.yaml", replace=True)

    assert not cast.owner.track.levels.filter(code="L6+").exists()
    client.force_login(cast.manager)
    sheet = client.get(manager.get_absolute_url()).text
    assert sheet.count("<strong>Principal (L6+)</strong>") == 6


def test_a_submitted_assessment_keeps_its_current_level_when_the_level_leaves_the_ladder(
    client, cast, submitted_self
):
    """The regression from issue 7: a replace that drops a level nobody holds any more and no
    rating uses set the assessment's current level to NULL and showed an empty label."""
    from ladder.models import Level

    for person in (cast.owner, cast.teammate, cast.outsider):
        person.current_level = person.target_level = Level.objects.get(code="L5")
        person.save()
    text = export_ladder_yaml(cast.owner.track.ladder)
    start = text.index("      - code: L3")
    end = text.index("      - code: L4")
    # Rated L3 is gone from the live ladder; the submitted ratings and labels stay.
    import_ladder_text(text[:start] + text[end:], "engineering.yaml", replace=True)

    assessment = Assessment.objects.get(pk=submitted_self.pk)
    assert assessment.current_level is None
    assert assessment.current_label == "Mid (L3)"
    client.force_login(cast.owner)
    sheet = client.get(assessment.get_absolute_url()).text
    assert "now Mid (L3)" in sheet
    assert "Now · Mid (L3)" in sheet


def test_a_draft_follows_dimension_keys_renamed_and_swapped(client, cast, self_assessment):
    from ladder.models import Dimension

    ladder = cast.owner.track.ladder
    Dimension.objects.filter(ladder=ladder, key="scope").update(key="reach")
    Dimension.objects.create(ladder=ladder, key="scope", name="New scope", order=99)
    client.force_login(cast.owner)

    assert client.get(self_assessment.get_absolute_url()).status_code == 200
    keys = sorted(self_assessment.ratings.values_list("dimension_key", flat=True))
    assert keys == sorted([*Dimension.objects.filter(ladder=ladder).values_list("key", flat=True)])

    autonomy = Dimension.objects.get(ladder=ladder, key="autonomy")
    influence = Dimension.objects.get(ladder=ladder, key="influence")
    Dimension.objects.filter(pk=autonomy.pk).update(key="swap")
    Dimension.objects.filter(pk=influence.pk).update(key="autonomy")
    Dimension.objects.filter(pk=autonomy.pk).update(key="influence")
    submit(rate_all(self_assessment))

    rating = self_assessment.ratings.get(dimension=influence)
    assert rating.dimension_key == "autonomy"
