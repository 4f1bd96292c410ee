"""Four eyes: whoever did the work since the action was last reopened cannot sign it off,
however the action was reassigned afterwards."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from rest_framework.test import APIClient

from actions import services
from actions.models import Action, Status
from core.errors import DomainError
from tests.factories import ActionFactory, MeasureFactory, MeasureReadingFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def director_and_owner(db):
    """One person holding both roles: the case four eyes exists for."""
    person = UserFactory(role="Directors", username="both")
    person.groups.add(Group.objects.get_or_create(name="Action owners")[0])
    return person


@pytest.fixture
def officer_and_director(db):
    """A director who is also a policy officer, so may record on anyone's action."""
    person = UserFactory(role="Directors", username="officer-director")
    person.groups.add(Group.objects.get_or_create(name="Policy officers")[0])
    return person


def _evidenced(action: Action, by) -> None:
    """Complete the action and submit its impact, as `by`."""
    MeasureReadingFactory(measure=MeasureFactory(action=action, baseline=60, target=90), value=95)
    services.mark_complete(action=action, by=by, note="Audits done")
    services.submit_impact(action=action, by=by, summary="Visits on time are up")


def test_an_action_awaiting_sign_off_cannot_be_reassigned(director_and_owner, owner):
    action = ActionFactory(owner=director_and_owner)
    _evidenced(action, director_and_owner)
    with pytest.raises(DomainError, match="waiting to be signed off"):
        action = services.assign_owner(action=action, by=director_and_owner, owner=owner)
    assert Action.objects.get(pk=action.pk).owner == director_and_owner


def test_whoever_completed_it_cannot_sign_it_off_after_handing_it_on(
    director_and_owner, owner, director
):
    action = ActionFactory(owner=director_and_owner)
    services.mark_complete(action=action, by=director_and_owner, note="Audits done")
    action = services.assign_owner(action=action, by=director_and_owner, owner=owner)
    MeasureReadingFactory(measure=MeasureFactory(action=action, baseline=60, target=90), value=95)
    services.submit_impact(action=action, by=owner, summary="Visits on time are up")

    with pytest.raises(DomainError, match="another director must sign it off"):
        services.sign_off(action=action, by=director_and_owner)
    services.sign_off(action=action, by=director)  # someone who took no part may
    assert Action.objects.get(pk=action.pk).status == Status.CLOSED


def test_a_former_owner_cannot_sign_it_off(director_and_owner, owner):
    action = ActionFactory(owner=director_and_owner)
    action = services.assign_owner(action=action, by=director_and_owner, owner=owner)
    _evidenced(action, owner)
    with pytest.raises(DomainError, match="another director must sign it off"):
        services.sign_off(action=action, by=director_and_owner)


def test_the_api_refuses_a_sign_off_by_whoever_completed_and_submitted_it(
    officer_and_director, owner
):
    action = ActionFactory(owner=owner)
    _evidenced(action, officer_and_director)  # officers may record for the owner

    api = APIClient()
    api.force_authenticate(officer_and_director)
    response = api.post(f"/api/v1/actions/{action.pk}/sign-off/", {}, format="json")
    assert response.status_code == 422
    assert "another director must sign it off" in response.json()["detail"]
    assert Action.objects.get(pk=action.pk).status == Status.IMPACT_EVIDENCED


def test_work_before_the_last_reopening_does_not_count(officer_and_director, owner, director):
    action = ActionFactory(owner=owner)
    _evidenced(action, officer_and_director)
    services.sign_off(action=action, by=director)
    services.reopen(action=action, by=director, reason="Re-referrals rose again")
    services.mark_complete(action=action, by=owner, note="Audits done again")
    services.submit_impact(action=action, by=owner, summary="Sustained this time")

    services.sign_off(action=action, by=officer_and_director)
    assert Action.objects.get(pk=action.pk).signed_off_by == officer_and_director
