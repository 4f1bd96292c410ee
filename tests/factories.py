from __future__ import annotations

import datetime as dt

import factory
from django.contrib.auth.models import Group

from actions.models import Action, Measure, MeasureReading, ProgressUpdate
from core.models import Organisation, User
from inspections.models import Inspection, Judgement, Recommendation

TEST_PASSWORD = "correct horse battery staple"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Council {n}")
    kind = Organisation.Kind.LOCAL_AUTHORITY


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    organisation = factory.SubFactory(OrganisationFactory, name="Test Council")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def role(self, create: bool, extracted: str | None, **kwargs) -> None:
        if extracted:
            # get_or_create: transactional tests flush the groups the migration made.
            self.groups.add(Group.objects.get_or_create(name=extracted)[0])
        if create:
            self.save()


class InspectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Inspection
        skip_postgeneration_save = True

    local_authority = factory.SubFactory(OrganisationFactory, name="Test Council")
    inspection_type = "ilacs"
    inspection_start = dt.date(2024, 1, 8)
    inspection_end = dt.date(2024, 1, 19)
    publication_date = dt.date(2024, 3, 1)

    @factory.post_generation
    def deadlines(self, create: bool, extracted, **kwargs) -> None:
        self.refresh_deadlines()
        if create:
            self.save()


class JudgementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Judgement

    inspection = factory.SubFactory(InspectionFactory)
    area = "Overall effectiveness"
    grade_text = "Good"
    scale = "words"
    grade = "good"


class RecommendationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recommendation

    inspection = factory.SubFactory(InspectionFactory)
    section = "What needs to improve"
    timescale = "none"
    text = factory.Sequence(lambda n: f"Improve the quality of practice number {n}.")
    order = factory.Sequence(lambda n: n)


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    recommendation = factory.SubFactory(RecommendationFactory)
    title = factory.Sequence(lambda n: f"Action {n}")
    due_date = dt.date(2024, 9, 1)
    expected_outcome = "Children are seen promptly."


class MeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measure

    action = factory.SubFactory(ActionFactory)
    name = "Visits on time"
    unit = "%"
    baseline = 60
    target = 90
    direction = Measure.Direction.HIGHER


class MeasureReadingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeasureReading

    measure = factory.SubFactory(MeasureFactory)
    date = dt.date(2024, 6, 1)
    value = 75


class ProgressUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressUpdate

    action = factory.SubFactory(ActionFactory)
    text = "Training delivered to two teams."
