"""An action's RAG tag gives the colour once: "Green: on track, due in 1 working day",
not "Green green: …", on the action's page and in the action tables."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.utils import timezone

from actions import rag
from tests.factories import ActionFactory

pytestmark = pytest.mark.django_db


def text_of(body: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", body)).split())


def test_the_colour_is_said_once(client, officer):
    today = timezone.localdate()
    action = ActionFactory(due_date=today + dt.timedelta(days=120))
    rag.refresh_rag(action, today)
    client.force_login(officer)

    for url in (action.get_absolute_url(), action.recommendations.get().get_absolute_url()):
        page = text_of(client.get(url).content.decode())
        assert re.search(r"Green: on track, due in \d+ working days", page), url
        assert "Green green" not in page and "Greengreen" not in page, url


def test_a_director_s_rag_says_the_derived_colour_once(client, officer):
    today = timezone.localdate()
    action = ActionFactory(due_date=today - dt.timedelta(days=30))
    rag.refresh_rag(action, today)
    action.rag_override, action.rag_override_reason = "amber", "Recovery plan agreed"
    action.save()
    client.force_login(officer)

    page = text_of(client.get(action.get_absolute_url()).content.decode())

    assert re.search(
        r"Amber: set by a director: Recovery plan agreed \(derived red: \d+ working days overdue\)",
        page,
    )
    assert "red: red" not in page
