"""One-line fields refuse line breaks and other control characters, on pages and through
the API; and a title saved with one before that rule cannot break an e-mail."""

from __future__ import annotations

import pytest
from django.core import mail
from rest_framework.test import APIClient

from actions import services
from actions.models import Action
from core.errors import DomainError
from tests.factories import ActionFactory, RecommendationFactory

pytestmark = pytest.mark.django_db

BROKEN = ["a\nb", "a\r\nb", "a\tb", "a\x00b", "a\x85b", "a\u2028b"]


@pytest.mark.parametrize("title", BROKEN)
def test_the_page_refuses_a_title_with_a_control_character(client, officer, title):
    action = ActionFactory(title="Audit case files")
    client.force_login(officer)
    response = client.post(
        f"/actions/{action.pk}/edit/", {"edit-version": action.version, "edit-title": title}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "without line breaks" in page or "Null characters are not allowed" in page
    assert Action.objects.get(pk=action.pk).title == "Audit case files"


@pytest.mark.parametrize("title", BROKEN)
def test_the_api_refuses_a_title_with_a_control_character(officer, title):
    action = ActionFactory(title="Audit case files")
    api = APIClient()
    api.force_authenticate(officer)
    changed = api.patch(f"/api/v1/actions/{action.pk}/", {"title": title}, format="json")
    drafted = api.post(
        "/api/v1/actions/",
        {
            "plan": action.plan_id,
            "recommendations": list(action.recommendations.values_list("pk", flat=True)),
            "title": title,
        },
        format="json",
    )
    for response in (changed, drafted):
        assert response.status_code == 400
        assert response.json()["errors"][0]["field"] == "title"
    assert list(Action.objects.values_list("title", flat=True)) == ["Audit case files"]


def test_a_measure_s_name_is_one_line_too(officer):
    api = APIClient()
    api.force_authenticate(officer)
    action = ActionFactory()
    response = api.post(
        f"/api/v1/actions/{action.pk}/measures/",
        {"name": "Visits\non time", "baseline": 1, "target": 2, "direction": "higher"},
        format="json",
    )
    assert response.status_code == 400


def test_the_services_refuse_it_whoever_calls_them(officer):
    # The tracker import, for one, reaches the services through no form or serializer.
    with pytest.raises(DomainError, match="without line breaks"):
        item = RecommendationFactory()
        services.draft_action(
            plan=item.inspection.plan, recommendations=[item], by=officer, title="a\nb"
        )


def test_the_owner_s_e_mail_has_a_clean_subject_too(
    director, owner, eager_tasks, django_capture_on_commit_callbacks
):
    action = ActionFactory(title="Audit\ncase files")  # written before the rule
    with django_capture_on_commit_callbacks(execute=True):
        services.assign_owner(action=action, by=director, owner=owner)
    [message] = mail.outbox
    assert message.subject == "You are responsible for an action: Audit case files"
