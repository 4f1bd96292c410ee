"""Blue by hand only on a closed, signed-off action; a RAG set by hand always says why;
marking complete says what was done while nothing has been recorded. Through the pages."""

from __future__ import annotations

import html

import pytest

from actions import services
from actions.models import Action, Rag, Status
from tests.factories import ActionFactory, UserFactory

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return html.unescape(response.content.decode())


def rag_radio_values(page: str) -> set[str]:
    return {value for value in Rag.values if f'name="rag-rag" type="radio" value="{value}"' in page}


def test_blue_is_offered_only_on_a_closed_signed_off_action(client, director):
    client.force_login(director)
    open_action = ActionFactory(status=Status.IN_PROGRESS)
    closed = ActionFactory(status=Status.CLOSED, signed_off_by=UserFactory(role="Directors"))

    assert rag_radio_values(text(client.get(open_action.get_absolute_url()))) == {
        "red",
        "amber",
        "green",
    }
    assert "blue" in rag_radio_values(text(client.get(closed.get_absolute_url())))


def test_blue_set_by_hand_on_an_open_action_is_refused(client, director):
    action = ActionFactory(status=Status.IN_PROGRESS)
    client.force_login(director)

    response = client.post(
        f"/actions/{action.pk}/rag/",
        {"rag-version": action.version, "rag-rag": "blue", "rag-reason": "Looks done"},
    )

    assert response.status_code == 400
    assert "blue is only for an action that is closed and signed off" in text(response)
    assert Action.objects.get(pk=action.pk).rag_override == ""


def test_a_rag_set_by_hand_needs_a_reason_and_its_label_says_so(client, director):
    action = ActionFactory(status=Status.IN_PROGRESS)
    client.force_login(director)

    page = text(client.get(action.get_absolute_url()))
    assert "Why are you setting the RAG by hand?</label>" in page
    assert "Why are you setting the RAG by hand? (optional)" not in page

    response = client.post(
        f"/actions/{action.pk}/rag/",
        {"rag-version": action.version, "rag-rag": "red", "rag-reason": " "},
    )
    assert response.status_code == 400
    assert "Enter why you are setting the RAG by hand" in text(response)
    assert Action.objects.get(pk=action.pk).rag_override == ""

    saved = client.post(
        f"/actions/{action.pk}/rag/",
        {"rag-version": action.version, "rag-rag": "red", "rag-reason": "Board concern"},
    )
    assert saved.status_code == 302
    assert Action.objects.get(pk=action.pk).shown_rag == Rag.RED


def test_a_director_goes_back_to_the_derived_rag(client, director):
    action = ActionFactory(status=Status.IN_PROGRESS)
    services.override_rag(action=action, by=director, rag_value=Rag.RED, reason="Board concern")
    action.refresh_from_db()
    client.force_login(director)
    assert "Show the derived RAG again" in text(client.get(action.get_absolute_url()))

    response = client.post(
        f"/actions/{action.pk}/clear-rag/", {"clear_rag-version": action.version}
    )

    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.rag_override, action.rag_override_reason) == ("", "")
    assert "Show the derived RAG again" not in text(client.get(action.get_absolute_url()))


def test_reopening_takes_away_a_blue_set_by_hand(director):
    action = ActionFactory(status=Status.CLOSED, signed_off_by=UserFactory(role="Directors"))
    services.override_rag(action=action, by=director, rag_value=Rag.BLUE, reason="Agreed")

    services.reopen(action=action, by=director, reason="Re-referrals rose again")

    action.refresh_from_db()
    assert action.rag_override == ""
    assert action.shown_rag != Rag.BLUE


def test_completing_an_action_with_nothing_recorded_asks_what_was_done(client, owner):
    action = ActionFactory(owner=owner, status=Status.NOT_STARTED)
    client.force_login(owner)

    page = text(client.get(action.get_absolute_url()))
    assert "What was done?</label>" in page
    assert "Nothing has been recorded on this action yet" in page

    response = client.post(f"/actions/{action.pk}/complete/", {"complete-version": action.version})
    assert response.status_code == 400
    assert "Enter what was done" in text(response)
    assert Action.objects.get(pk=action.pk).status == Status.NOT_STARTED

    done = client.post(
        f"/actions/{action.pk}/complete/",
        {"complete-version": action.version, "complete-note": "Every team trained in May"},
    )
    assert done.status_code == 302
    action.refresh_from_db()
    assert action.status == Status.COMPLETE
    assert action.progress_updates.get().text == "Completed: Every team trained in May"


def test_after_progress_the_completion_note_is_optional(client, owner):
    action = ActionFactory(owner=owner, status=Status.NOT_STARTED)
    services.record_progress(action=action, by=owner, text="Two teams trained")
    action.refresh_from_db()
    client.force_login(owner)

    assert "What was done? (optional)" in text(client.get(action.get_absolute_url()))
    done = client.post(f"/actions/{action.pk}/complete/", {"complete-version": action.version})

    assert done.status_code == 302
    assert Action.objects.get(pk=action.pk).status == Status.COMPLETE
    assert action.progress_updates.count() == 1


def test_returned_progress_does_not_count_as_recorded(owner, director):
    action = ActionFactory(owner=owner, status=Status.NOT_STARTED)
    update = services.record_progress(action=action, by=owner, text="Busy")
    services.return_item(item=update, by=director, comment="Say what was done")

    with pytest.raises(services.DomainError, match="Enter what was done"):
        services.mark_complete(action=Action.objects.get(pk=action.pk), by=owner)
