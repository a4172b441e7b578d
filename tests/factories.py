"""Factories for the test cast. Real rows in a real database: nothing here is mocked."""

import factory

from ladder.models import Dimension, Expectation, Ladder, Level, Track
from people.models import Membership, Team, User

PASSWORD = "correct horse battery staple"


class LadderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ladder

    name = factory.Sequence(lambda n: f"Ladder {n}")
    slug = factory.Sequence(lambda n: f"ladder-{n}")


class TrackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Track

    ladder = factory.SubFactory(LadderFactory)
    key = factory.Sequence(lambda n: f"track-{n}")
    name = factory.Sequence(lambda n: f"Track {n}")


class DimensionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dimension

    ladder = factory.SubFactory(LadderFactory)
    key = factory.Sequence(lambda n: f"dimension-{n}")
    name = factory.Sequence(lambda n: f"Dimension {n}")
    order = factory.Sequence(lambda n: n)


class LevelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Level

    track = factory.SubFactory(TrackFactory)
    code = factory.Sequence(lambda n: f"X{n}")
    name = factory.Sequence(lambda n: f"Level {n}")
    order = factory.Sequence(lambda n: n)


class ExpectationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Expectation

    level = factory.SubFactory(LevelFactory)
    dimension = factory.SubFactory(
        DimensionFactory, ladder=factory.SelfAttribute("..level.track.ladder")
    )
    summary = factory.Sequence(lambda n: f"Expectation {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            self.save()


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Team {n}")
    slug = factory.Sequence(lambda n: f"team-{n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    team = factory.SubFactory(TeamFactory)
    user = factory.SubFactory(UserFactory)
    role = Membership.Role.ENGINEER


class BragEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "brag.BragEntry"
        skip_postgeneration_save = True

    owner = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Win number {n}")
    category = "projects"
    impact = "Cut the build from 20 to 8 minutes"
    visibility = "managers"

    @factory.post_generation
    def dimensions(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create and extracted:
            self.dimensions.set(extracted)


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "brag.Goal"

    owner = factory.SubFactory(UserFactory)
    year = 2026
    quarter = 4
    text = factory.Sequence(lambda n: f"Goal {n}")
