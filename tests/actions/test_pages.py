import datetime as dt
import re

from django.core import mail
from django.utils.html import escape

from actions.models import Action
from tests.dates import date_post
from tests.factories import (
    ActionFactory,
    InspectionFactory,
    RecommendationFactory,
    ThemeFactory,
    UserFactory,
)


def test_the_loser_of_a_concurrent_edit_sees_the_conflict_and_current_values(client, officer):
    action = ActionFactory(title="Original")
    client.force_login(officer)
    form = {
        "edit-version": action.version,
        "edit-title": "Ann's title",
        "edit-description": "",
        "edit-expected_outcome": "",
        "edit-resources": "",
        "edit-risks": "",
    }
    assert client.post(f"/actions/{action.pk}/edit/", form).status_code == 302
    stale = {**form, "edit-title": "Bob's title"}
    response = client.post(f"/actions/{action.pk}/edit/", stale)
    assert response.status_code == 409
    body = response.content.decode()
    assert "Someone else changed this action while you were editing it" in body
    assert escape("Ann's title") in body  # the current value is shown
    assert escape("Bob's title") in body  # and the loser's input is kept to resubmit
    assert Action.objects.get(pk=action.pk).title == "Ann's title"


def test_a_rule_broken_on_the_page_is_explained_next_to_the_field(client, director):
    action = ActionFactory()
    client.force_login(director)
    response = client.post(
        f"/actions/{action.pk}/move-date/",
        {
            "move_date-version": action.version,
            **date_post("move_date-new_date", action.due_date),
            "move_date-reason": "Same day",
        },
    )
    assert response.status_code == 400
    assert "The new date is the same as the current one." in response.content.decode()


def test_search_filters_by_rag_status_and_timescale(client, reader):
    inspection = InspectionFactory()
    late = ActionFactory(
        title="Late one",
        rag="red",
        recommendation=RecommendationFactory(inspection=inspection, timescale="immediately"),
    )
    ActionFactory(
        title="Fine one", rag="green", recommendation=RecommendationFactory(inspection=inspection)
    )
    ActionFactory(
        title="Overridden",
        rag="green",
        rag_override="red",
        rag_override_reason="x",
        recommendation=RecommendationFactory(inspection=inspection),
    )
    client.force_login(reader)
    body = client.get("/actions/?rag=red").content.decode()
    assert "Late one" in body and "Overridden" in body and "Fine one" not in body
    body = client.get("/actions/?timescale=immediately").content.decode()
    assert late.title in body and "Fine one" not in body
    assert "3 actions found" in client.get("/actions/").content.decode()


def test_the_search_page_filters_by_due_dates_typed_as_day_month_and_year(client, reader):
    ActionFactory(title="Due in spring", due_date=dt.date(2099, 4, 1))
    ActionFactory(title="Due in autumn", due_date=dt.date(2099, 10, 1))
    client.force_login(reader)

    body = client.get(
        "/actions/?due_after_day=1&due_after_month=6&due_after_year=2099"
    ).content.decode()

    assert "Due in autumn" in body and "Due in spring" not in body
    # the date the person typed is still in its three boxes
    month = re.search(r'<input[^>]*name="due_after_month"[^>]*>', body).group()
    assert 'value="6"' in month
    labels = ("Responsible officer", "Plan", "Due on or after", "Due on or before")
    assert all(label in body for label in labels)
    assert "Updated at is greater than" not in body
    assert "Recommendation inspection" not in body


def test_a_half_typed_date_in_the_filters_says_what_is_missing(client, reader):
    client.force_login(reader)
    body = client.get("/actions/?due_before_day=1&due_before_year=2099").content.decode()
    assert "must include a month" in body


def test_outsiders_see_neither_plans_nor_actions(client, db):
    action = ActionFactory()
    outsider = UserFactory(role="Directors", organisation__name="Another Council")
    client.force_login(outsider)
    assert client.get(f"/actions/{action.pk}/").status_code == 404
    assert client.get(action.plan.get_absolute_url()).status_code == 404
    assert action.title not in client.get("/actions/").content.decode()
    assert action.title not in client.get("/").content.decode()


def test_partners_see_the_plans_of_the_authorities_they_work_with(client, db):
    action = ActionFactory()
    partner = UserFactory(role="Readers", organisation__name="County NHS Trust")
    partner.organisation.partner_of.add(action.plan.local_authority)
    client.force_login(partner)
    assert client.get(f"/actions/{action.pk}/").status_code == 200


def test_my_actions_lists_only_mine(client, owner):
    mine = ActionFactory(owner=owner, title="Mine")
    ActionFactory(title="Someone else's", plan=mine.plan, recommendation=None)
    client.force_login(owner)
    body = client.get("/actions/mine/").content.decode()
    assert "Mine" in body and "Someone else" not in body


def test_password_reset_sends_a_one_time_link(client, reader):
    response = client.post("/accounts/password-reset/", {"email": reader.email})
    assert response.status_code == 302
    [message] = mail.outbox
    assert "/accounts/reset/" in message.body
    link = message.body.split("http://testserver")[1].split()[0]
    form = client.get(link, follow=True)
    assert form.status_code == 200
    done = client.post(
        form.redirect_chain[-1][0],
        {
            "new_password1": "a much longer new passphrase",
            "new_password2": "a much longer new passphrase",
        },
    )
    assert done.status_code == 302
    reader.refresh_from_db()
    assert reader.check_password("a much longer new passphrase")


def test_the_dashboard_query_count_does_not_grow_with_the_plan(
    client, reader, django_assert_max_num_queries
):
    inspection = InspectionFactory()
    for _ in range(3):
        ActionFactory(recommendation=RecommendationFactory(inspection=inspection))
    client.force_login(reader)
    client.get("/")  # warm the session and roles
    with django_assert_max_num_queries(12) as small:
        client.get("/")
    for _ in range(30):
        ActionFactory(recommendation=RecommendationFactory(inspection=inspection))
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get("/")


def test_only_the_changes_that_fit_the_actions_state_are_offered(client, director):
    action = ActionFactory(status="not_started")
    client.force_login(director)
    body = client.get(f"/actions/{action.pk}/").content.decode()
    assert "Assign the responsible officer" in body
    assert "Sign off: the loop is closed" not in body
    assert "Reopen the action" not in body
    action.status = "impact_evidenced"
    action.save()
    body = client.get(f"/actions/{action.pk}/").content.decode()
    assert "Sign off: the loop is closed" in body
    assert "Reopen the action" in body


def test_owners_offered_are_the_councils_and_its_partners_officers(client, director):
    action = ActionFactory()
    ours = UserFactory(role="Action owners", first_name="Ours")
    partner = UserFactory(
        role="Action owners", first_name="Partner", organisation__name="NHS Trust"
    )
    partner.organisation.partner_of.add(action.plan.local_authority)
    UserFactory(role="Action owners", first_name="Stranger", organisation__name="Far Council")
    client.force_login(director)
    body = client.get(f"/actions/{action.pk}/").content.decode()
    assert f'value="{ours.pk}"' in body
    assert f'value="{partner.pk}"' in body
    assert "Stranger" not in body


def test_search_filters_by_plan_and_theme_and_names_the_plan_and_the_items(client, reader):
    ours = InspectionFactory(publication_date=dt.date(2024, 3, 1))
    visit = InspectionFactory(
        plan=ours.plan, inspection_type="focused_visit", publication_date=dt.date(2025, 6, 2)
    )
    theme = ThemeFactory(plan=ours.plan, name="Workforce")
    both = ActionFactory(
        title="Answers both",
        plan=ours.plan,
        theme=theme,
        answers=[
            RecommendationFactory(inspection=ours, timescale="immediately", text="Item one."),
            RecommendationFactory(inspection=visit, timescale="immediately", text="Item two."),
        ],
    )
    other = ActionFactory(title="Another plan's")
    client.force_login(reader)

    by_plan = client.get(f"/actions/?plan={ours.plan_id}").content.decode()
    by_theme = client.get(f"/actions/?theme={theme.pk}").content.decode()
    by_timescale = client.get("/actions/?timescale=immediately").content.decode()

    assert "Answers both" in by_plan and "Another plan&#x27;s" not in by_plan
    assert "1 action found" in by_theme and "Answers both" in by_theme
    assert "1 action found" in by_timescale  # once, though both its items match
    assert f'href="{both.plan.get_absolute_url()}"' in by_plan
    assert "Item one." in by_plan and "Focused visit (2025): Item two." in by_plan
    assert f"Workforce ({ours.plan})" in by_plan
    assert other.plan.title in client.get("/actions/").content.decode()


def test_searching_words_finds_an_action_once_by_any_item_it_answers(client, reader):
    inspection = InspectionFactory()
    ActionFactory(
        title="Audit",
        plan=inspection.plan,
        answers=[
            RecommendationFactory(inspection=inspection, text="Supervision is weak."),
            RecommendationFactory(inspection=inspection, text="Supervision is rare."),
        ],
    )
    client.force_login(reader)
    assert "1 action found" in client.get("/actions/?q=supervision").content.decode()


def test_the_body_an_item_is_addressed_to_reads_as_part_of_the_sentence(client, reader):
    """The report prints "The local safeguarding children board should:"; the action's
    page says "addressed to the local safeguarding children board"."""
    item = RecommendationFactory(addressee="The local safeguarding children board")
    action = ActionFactory(recommendation=item)
    client.force_login(reader)
    page = " ".join(client.get(action.get_absolute_url()).content.decode().split())
    assert "addressed to the local safeguarding children board" in page
