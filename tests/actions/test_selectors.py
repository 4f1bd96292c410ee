"""actions_seen_by: the rows of Action.objects.seen_by, narrowed for indexed queries."""

import pytest

from actions.models import Action
from actions.selectors import actions_seen_by
from tests.factories import (
    ActionFactory,
    InspectionFactory,
    OrganisationFactory,
    RecommendationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_councils():
    plans = {}
    for name in ["Test Council", "Other Council", "Third Council"]:
        inspection = InspectionFactory(local_authority=OrganisationFactory(name=name))
        plans[name] = [
            ActionFactory(recommendation=RecommendationFactory(inspection=inspection))
            for _ in range(3)
        ]
    InspectionFactory(local_authority=OrganisationFactory(name="Test Council"))  # no actions
    return plans


def people(plans):
    partner = UserFactory(role="Readers", organisation__name="County NHS Trust")
    partner.organisation.partner_of.add(plans["Test Council"][0].plan.local_authority)
    elsewhere = UserFactory(role="Action owners", organisation__name="Third Council")
    Action.objects.filter(pk=plans["Other Council"][0].pk).update(owner=elsewhere)
    return {
        "director": UserFactory(role="Directors"),
        "partner": partner,
        "owner of an action elsewhere": elsewhere,
        "no role": UserFactory(),
        "superuser": UserFactory(is_superuser=True),
    }


def test_it_returns_exactly_the_actions_the_permissions_allow(three_councils):
    for who, user in people(three_councils).items():
        expected = set(Action.objects.seen_by(user).values_list("pk", flat=True))
        assert set(actions_seen_by(user).values_list("pk", flat=True)) == expected, who


def test_it_sees_something_in_each_case(three_councils):
    """Guards the test above against passing on empty sets."""
    seen = {who: actions_seen_by(user).count() for who, user in people(three_councils).items()}
    assert seen == {
        "director": 3,
        "partner": 3,
        "owner of an action elsewhere": 6,
        "no role": 0,
        "superuser": 9,
    }
