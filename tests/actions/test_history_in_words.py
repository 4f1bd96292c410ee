"""An action's history says what changed in words: which field, from what to what, why,
and by whom — never the audit log's own verbs."""

import datetime as dt

from actions import services
from actions.models import Rag
from tests.factories import ActionFactory, RecommendationFactory, ThemeFactory, UserFactory


def history(client, action) -> str:
    body = client.get(f"/actions/{action.pk}/").content.decode()
    return body[body.index(">History<") :]


def test_a_rag_set_by_hand_is_told_with_its_value_and_reason(client, director):
    action = ActionFactory(due_date=dt.date(2099, 1, 1))
    services.override_rag(action=action, by=director, rag_value=Rag.RED, reason="Board concern")
    client.force_login(director)

    text = history(client, action)

    assert "RAG set by hand: none (worked out) → Red" in text
    assert "Reason: Board concern" in text
    assert "override_rag" not in text


def test_changed_details_name_each_field_with_its_old_and_new_value(client, officer):
    action = ActionFactory(title="Weekly tracker", due_date=dt.date(2099, 1, 1))
    services.update_details(
        action=action,
        by=officer,
        expected_version=None,
        title="Weekly visit tracker",
        risks="Staff turnover",
    )
    client.force_login(officer)

    text = history(client, action)

    assert "Details changed" in text
    assert "What will be done: “Weekly tracker” → “Weekly visit tracker”" in text
    assert "Risks: empty → “Staff turnover”" in text
    assert "update:" not in text
    assert str(officer) in text  # by whom


def test_an_assignment_names_the_people_not_their_ids(client, director):
    action = ActionFactory(due_date=dt.date(2099, 1, 1))
    person = UserFactory(role="Action owners", first_name="Owen", last_name="Mensah")
    services.assign_owner(action=action, by=director, owner=person)
    client.force_login(director)

    text = history(client, action)

    assert "Owner assigned" in text
    assert f"Responsible officer: nobody → {person}" in text


def test_a_change_of_what_the_action_answers_is_told(client, officer):
    first = RecommendationFactory()
    second = RecommendationFactory(inspection=first.inspection)
    theme = ThemeFactory(plan=first.inspection.plan)
    action = ActionFactory(recommendation=first, due_date=dt.date(2099, 1, 1))
    services.change_answers(action=action, by=officer, recommendations=[first, second], theme=theme)
    client.force_login(officer)

    text = history(client, action)

    assert "Changed what the action answers" in text
    assert "Items answered: 1 item → 2 items" in text
    assert "Theme: changed" in text
    assert ">Answers<" not in text
