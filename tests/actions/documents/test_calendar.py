import datetime as dt

import pytest
from django.urls import reverse
from icalendar import Calendar

from actions.calendar import feed as calendar
from actions.documents.models import CalendarFeed
from tests.factories import ActionFactory


def events(body: bytes):
    parsed = Calendar.from_ical(body)
    return [c for c in parsed.walk("VEVENT")]


@pytest.fixture
def alice_token(plan):
    return calendar.new_feed(user=plan.actions[0].owner)


def test_only_a_hash_of_the_token_is_stored(plan, alice_token):
    feed = CalendarFeed.objects.get()
    assert alice_token not in feed.token_hash and len(feed.token_hash) == 64


def test_a_persons_feed_has_each_of_their_due_dates_once(client, plan, alice_token):
    response = client.get(reverse("documents-calendar-person", args=[alice_token]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    found = events(response.content)
    alice_actions = [a for a in plan.actions if a.owner.username == "alice"]
    assert sorted(str(e["UID"]) for e in found) == sorted(
        f"action-{a.pk}@127.0.0.1" for a in alice_actions
    )
    assert sorted(e.decoded("DTSTART") for e in found) == sorted(a.due_date for a in alice_actions)
    first = next(e for e in found if str(e["UID"]).startswith(f"action-{alice_actions[0].pk}@"))
    assert first.decoded("DTEND") == alice_actions[0].due_date + dt.timedelta(days=1)
    assert str(first["SUMMARY"]) == f"Due: {alice_actions[0].title}"


def test_a_plan_feed_has_every_due_date_once_and_the_plan_deadline(client, plan, alice_token):
    url = reverse("documents-calendar-plan", args=[alice_token, plan.plan.pk])
    found = events(client.get(url).content)
    uids = [str(e["UID"]) for e in found]
    assert len(uids) == len(set(uids)) == 5 + 1
    assert f"plan-due-{plan.inspection.pk}@127.0.0.1" in uids
    deadline = next(e for e in found if str(e["UID"]).startswith("plan-due-"))
    assert deadline.decoded("DTSTART") == plan.inspection.plan_due_date


def test_closed_actions_are_left_out(client, plan, alice_token):
    plan.actions[0].status = "closed"
    plan.actions[0].save()
    url = reverse("documents-calendar-person", args=[alice_token])
    assert len(events(client.get(url).content)) == 2


def test_a_wrong_token_gives_404(client, plan, alice_token):
    assert client.get(reverse("documents-calendar-person", args=["not-a-token"])).status_code == 404
    url = reverse("documents-calendar-plan", args=["x" + alice_token, plan.plan.pk])
    assert client.get(url).status_code == 404


def test_a_new_link_ends_the_old_one_and_turning_off_ends_both(client, plan, alice_token):
    alice = plan.actions[0].owner
    newer = calendar.new_feed(user=alice)
    assert client.get(reverse("documents-calendar-person", args=[alice_token])).status_code == 404
    assert client.get(reverse("documents-calendar-person", args=[newer])).status_code == 200
    calendar.turn_off_feed(user=alice)
    assert client.get(reverse("documents-calendar-person", args=[newer])).status_code == 404


def test_a_deactivated_person_s_link_stops_working(client, plan, alice_token):
    alice = plan.actions[0].owner
    alice.is_active = False
    alice.save()
    assert client.get(reverse("documents-calendar-person", args=[alice_token])).status_code == 404


def test_a_plan_feed_of_a_plan_the_person_cannot_see_gives_404(client, plan, outsider):
    token = calendar.new_feed(user=outsider)
    url = reverse("documents-calendar-plan", args=[token, plan.plan.pk])
    assert client.get(url).status_code == 404


def test_a_persons_feed_leaves_out_plans_they_can_no_longer_see(client, plan, outsider):
    ActionFactory(recommendation=plan.recommendations[0], owner=outsider)
    token = calendar.new_feed(user=outsider)
    # Owning an action makes its plan visible: the date is there.
    assert len(events(client.get(reverse("documents-calendar-person", args=[token])).content)) == 1


def test_the_calendar_page_shows_new_links_once(client, reader, plan):
    client.force_login(reader)
    page = reverse("documents-calendar")
    assert client.get(page).status_code == 200
    response = client.post(page, {"action": "new"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "/documents/calendar/" in body and "mine.ics" in body
    assert f"/plans/{plan.plan.pk}.ics" in body
    again = client.get(page).content.decode()
    assert "mine.ics" not in again and "shown only when made" in again
    client.post(page, {"action": "off"})
    assert not CalendarFeed.objects.filter(user=reader).exists()


def test_the_calendar_page_asks_anonymous_people_to_sign_in(client):
    response = client.get(reverse("documents-calendar"))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
