"""Starting assessments: one self-assessment per cycle, and only of people I manage."""

import pytest

from reviews.models import Assessment, Kind

START = "/reviews/cycles/{}/start/"


def test_an_engineer_starts_their_self_assessment_with_every_dimension(client, cast, cycle):
    client.force_login(cast.owner)

    response = client.post(START.format(cycle.pk))

    assessment = Assessment.objects.get()
    assert response["Location"] == assessment.get_absolute_url()
    assert (assessment.kind, assessment.author, assessment.subject) == (
        Kind.SELF,
        cast.owner,
        cast.owner,
    )
    assert assessment.current_level.code == "L3" and assessment.target_level.code == "L4"
    assert assessment.ratings.count() == 6


def test_a_second_self_assessment_for_the_cycle_is_refused(client, cast, cycle):
    client.force_login(cast.owner)
    client.post(START.format(cycle.pk))

    response = client.post(START.format(cycle.pk), follow=True)

    assert "You have a self-assessment for Review Q4 2026 already." in response.text
    assert Assessment.objects.count() == 1


def test_a_manager_starts_an_assessment_of_a_report(client, cast, cycle):
    client.force_login(cast.manager)

    client.post(START.format(cycle.pk), {"subject": cast.owner.pk})

    assessment = Assessment.objects.get()
    assert (assessment.kind, assessment.author, assessment.subject) == (
        Kind.MANAGER,
        cast.manager,
        cast.owner,
    )


@pytest.mark.parametrize("role", ["owner", "teammate", "outsider", "staff"])
def test_assessing_someone_you_do_not_manage_is_404(client, cast, cycle, role):
    client.force_login(getattr(cast, role))

    response = client.post(START.format(cycle.pk), {"subject": cast.teammate.pk})

    assert response.status_code == 404
    assert not Assessment.objects.exists()


@pytest.mark.parametrize("subject", ["²", "abc", "-1", str(2**64), "1.0"])
def test_a_subject_that_is_no_id_is_404_and_starts_nothing(client, cast, cycle, subject):
    client.force_login(cast.manager)

    response = client.post(START.format(cycle.pk), {"subject": subject})

    assert response.status_code == 404
    assert not Assessment.objects.exists()


def test_a_closed_cycle_takes_no_new_assessment(client, cast, cycle):
    cycle.is_open = False
    cycle.save()
    client.force_login(cast.owner)

    response = client.post(START.format(cycle.pk), follow=True)

    assert "Review Q4 2026 is closed: no new assessments." in response.text
    assert not Assessment.objects.exists()


def test_someone_without_a_track_is_told_why(client, cast, cycle):
    client.force_login(cast.manager)  # a manager with no track of their own

    response = client.post(START.format(cycle.pk), follow=True)

    assert "is not placed on a track yet" in response.text
    assert not Assessment.objects.exists()


def test_the_database_refuses_a_second_self_assessment_too(cast, cycle, self_assessment):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        Assessment.objects.create(
            cycle=cycle,
            subject=cast.owner,
            author=cast.owner,
            kind=Kind.SELF,
            track=cast.owner.track,
        )
