"""The visibility rule (plans.visibility) read three ways: as a queryset that lists
filter on in their own query, as a list of plan ids (the pages' permission checks), and
the other way round (who sees a plan). All must name exactly the same plans."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from core.models import User
from inspections.models import Inspection
from plans.models import Plan
from plans.visibility import plan_ids_seen_by, plans_seen_by, who_sees
from tests.factories import (
    ActionFactory,
    InspectionFactory,
    OrganisationFactory,
    RecommendationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    """Two councils with plans, a partner of the first, and people related to them in
    every way the rule knows."""
    first = OrganisationFactory(name="First Council")
    second = OrganisationFactory(name="Second Council")
    partner = OrganisationFactory(name="County NHS Trust", kind="nhs")
    partner.partner_of.add(first)
    InspectionFactory.create_batch(2, local_authority=first)
    theirs = InspectionFactory(local_authority=second)
    elsewhere = UserFactory(role="Action owners", organisation=second, username="elsewhere")
    ActionFactory(
        recommendation=RecommendationFactory(inspection=InspectionFactory(local_authority=first)),
        owner=elsewhere,
    )
    importer = UserFactory(
        role="Policy officers", organisation=OrganisationFactory(name="Third"), username="importer"
    )
    Inspection.objects.filter(pk=theirs.pk).update(imported_by=importer)
    return {
        "director": UserFactory(role="Directors", organisation=first),
        "partner": UserFactory(role="Readers", organisation=partner),
        "owner elsewhere": elsewhere,
        "importer": importer,
        "no role": UserFactory(organisation=first),
        "no organisation": UserFactory(role="Readers", organisation=None),
        "superuser": UserFactory(organisation=None, is_superuser=True),
    }


def plans_of(plans) -> set[int]:
    return set(plans.values_list("pk", flat=True))


@pytest.mark.parametrize(
    "who",
    ["director", "partner", "owner elsewhere", "importer", "no role", "no organisation"],
)
def test_the_queryset_names_the_same_plans_as_the_list_of_ids(people, who):
    ids = plan_ids_seen_by(User.objects.get(pk=people[who].pk))
    assert plans_of(plans_seen_by(User.objects.get(pk=people[who].pk))) == ids


def test_who_sees_a_plan_is_the_same_rule_asked_the_other_way_round(
    people, django_assert_num_queries
):
    everyone = list(User.objects.filter(pk__in=[person.pk for person in people.values()]))
    for plan in Plan.objects.all():
        expected = {
            person.pk
            for person in everyone
            if (ids := plan_ids_seen_by(person)) is None or plan.pk in ids
        }
        with django_assert_num_queries(1):
            assert who_sees(everyone, plan.pk) == expected
        assert 0 < len(expected) < len(everyone)


def test_the_rule_sees_what_it_should(people):
    def count(who: str) -> int:
        return len(plans_of(plans_seen_by(User.objects.get(pk=people[who].pk))))

    assert count("director") == count("partner") == 3  # two plans, and one with an action
    assert count("owner elsewhere") == 2  # their council's, and the one with their action
    assert count("importer") == 0  # importing a report grants nothing
    assert count("no role") == count("no organisation") == 0


def test_a_superuser_sees_every_plan_and_anonymous_people_none(people):
    assert plans_of(plans_seen_by(people["superuser"])) == set(
        Plan.objects.values_list("pk", flat=True)
    )
    assert plan_ids_seen_by(people["superuser"]) is None
    assert plans_of(plans_seen_by(AnonymousUser())) == set()


def test_losing_every_role_hides_everything_at_once(people):
    director = people["director"]
    query = plans_seen_by(director)
    assert plans_of(query)
    director.groups.clear()
    assert plans_of(query) == set()  # the rule is applied when the query runs
