from __future__ import annotations

import datetime as dt

import factory
from django.contrib.auth.models import Group
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from actions.models import Action, Measure, MeasureReading, ProgressUpdate
from core.models import Organisation, User
from inspections.models import Inspection, Judgement, Recommendation
from plans.models import Plan, Theme, WiderArea

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


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    local_authority = factory.SubFactory(OrganisationFactory, name="Test Council")
    title = factory.Sequence(lambda n: f"Improvement plan {n}")


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme

    plan = factory.SubFactory(PlanFactory)
    name = factory.Sequence(lambda n: f"Theme {n}")


class WiderAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WiderArea

    plan = factory.SubFactory(PlanFactory)
    text = factory.Sequence(lambda n: f"Improve how audits are followed up, area {n}.")
    origin = "self_assessment"


class InspectionFactory(factory.django.DjangoModelFactory):
    """A report, by default the one source of a plan of its own (plan=None: held as
    history)."""

    class Meta:
        model = Inspection
        skip_postgeneration_save = True

    local_authority = factory.SubFactory(OrganisationFactory, name="Test Council")
    plan = factory.SubFactory(
        PlanFactory, local_authority=factory.SelfAttribute("..local_authority")
    )
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
    """An action of a plan answering one recommendation (recommendation=…), several
    (answers=[…]) or none (recommendation=None, plan=…)."""

    class Meta:
        model = Action

    recommendation = factory.SubFactory(RecommendationFactory)
    plan = factory.LazyAttribute(lambda o: o.recommendation.inspection.plan)
    title = factory.Sequence(lambda n: f"Action {n}")
    due_date = dt.date(2024, 9, 1)
    expected_outcome = "Children are seen promptly."

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        recommendation = kwargs.pop("recommendation", None)
        answers = kwargs.pop("answers", None)
        action = super()._create(model_class, *args, **kwargs)
        given = answers if answers is not None else [recommendation]
        action.recommendations.set([r for r in given if r is not None])
        return action

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        kwargs.pop("recommendation", None)
        kwargs.pop("answers", None)
        return super()._build(model_class, *args, **kwargs)


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


class TOTPDeviceFactory(factory.django.DjangoModelFactory):
    """A confirmed authenticator app: two-step verification is on."""

    class Meta:
        model = TOTPDevice

    user = factory.SubFactory(UserFactory)
    name = "Authenticator app"
    confirmed = True


class RecoveryCodesFactory(factory.django.DjangoModelFactory):
    """Recovery codes: `RecoveryCodesFactory(user=u, codes=["abcd2345"])`."""

    class Meta:
        model = StaticDevice
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    name = "Recovery codes"
    confirmed = True

    @factory.post_generation
    def codes(self, create: bool, extracted: list[str] | None, **kwargs) -> None:
        for code in extracted or []:
            StaticToken.objects.create(device=self, token=code)


def app_code(device: TOTPDevice | bytes, *, steps_ahead: int = 0) -> str:
    """The code an authenticator app shows now for this device (or its key), computed
    with django-otp's RFC 6238 implementation. `steps_ahead=1` is the next 30 seconds'
    code, which a phone whose clock runs a little fast shows; the server accepts it."""
    key = device if isinstance(device, bytes) else device.bin_key
    return f"{totp(key, step=30, t0=0, digits=6, drift=steps_ahead):06d}"
