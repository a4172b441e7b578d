"""Who reads an assessment, as the issue and DESIGN.md's access table say."""

import pytest

from reviews.models import Assessment
from reviews.services import share

from ..factories import MembershipFactory, UserFactory


def readers(assessment: Assessment, cast) -> set[str]:
    return {
        role
        for role in ("owner", "manager", "teammate", "outsider", "staff")
        if Assessment.objects.visible_to(getattr(cast, role)).filter(pk=assessment.pk).exists()
    }


def test_a_self_draft_is_the_engineers_alone(cast, self_assessment):
    assert readers(self_assessment, cast) == {"owner"}


def test_a_submitted_self_assessment_stays_hidden_until_the_manager_submits(
    cast, submitted_self, manager_assessment
):
    assert readers(submitted_self, cast) == {"owner"}


def test_once_the_manager_submits_both_are_shown(cast, submitted_self, submitted_manager):
    assert readers(submitted_self, cast) == {"owner", "manager"}
    assert readers(submitted_manager, cast) == {"manager"}


def test_the_subject_reads_the_manager_assessment_once_shared(cast, submitted_manager):
    share(submitted_manager)

    assert readers(submitted_manager, cast) == {"owner", "manager"}


def test_a_manager_draft_is_its_authors_alone(cast, manager_assessment):
    assert readers(manager_assessment, cast) == {"manager"}


@pytest.mark.django_db
def test_another_manager_of_the_subject_reads_the_submitted_manager_assessment(
    cast, submitted_manager
):
    second = UserFactory()
    team = cast.owner.memberships.get().team
    MembershipFactory(team=team, user=second, role="manager")

    assert Assessment.objects.visible_to(second).filter(pk=submitted_manager.pk).exists()


def test_a_manager_of_another_team_reads_nothing(cast, submitted_self, submitted_manager):
    stranger = UserFactory()
    MembershipFactory(team=cast.outsider.memberships.get().team, user=stranger, role="manager")

    assert not Assessment.objects.visible_to(stranger).exists()
