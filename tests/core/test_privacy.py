"""Personal data (UK GDPR): a person's data exported as JSON, and removed by
anonymising them without breaking the plan's history."""

import json
from importlib import import_module

import pytest
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.test import Client

from actions.models import Action, Evidence, ProgressUpdate
from core.audit import record
from core.models import AuditEntry, User
from core.tokens.models import ApiToken
from core.tokens.services import create_token
from tests.factories import TEST_PASSWORD, ActionFactory, ProgressUpdateFactory, UserFactory


@pytest.fixture
def owner_with_history(db, director):
    owner = UserFactory(
        role="Action owners", username="sam", first_name="Sam", last_name="Patel",
        email="sam.patel@example.org", job_title="Team manager",
    )  # fmt: skip
    action = ActionFactory(owner=owner, assigned_by=director, title="Audit supervision")
    ProgressUpdateFactory(action=action, author=owner, text="Supervision audit done.")
    evidence = Evidence(
        action=action, description="Audit summary", added_by=owner,
        original_filename="summary.pdf", content_type="application/pdf", size=9,
    )  # fmt: skip
    evidence.file.save("summary.pdf", ContentFile(b"%PDF-1.7\n"), save=True)
    record(actor=owner, verb="update_action", obj=action, summary="Progress recorded")
    create_token(name="Dashboard", user=owner, scope="read")
    return owner


def export(username: str, tmp_path) -> dict:
    path = tmp_path / "export.json"
    call_command("export_personal_data", username, "--output", str(path))
    return json.loads(path.read_text())


def test_the_export_holds_the_account_and_everything_pointing_at_the_person(
    owner_with_history, client, tmp_path
):
    client.post("/accounts/login/", {"username": "sam", "password": "wrong"})
    data = export("sam", tmp_path)

    account = data["account"]
    assert (account["username"], account["first_name"], account["email"]) == (
        "sam", "Sam", "sam.patel@example.org",
    )  # fmt: skip
    assert "password" not in account
    assert data["roles"] == ["Action owners"]
    assert data["organisation"] == "Test Council"
    related = data["related"]
    assert [a["title"] for a in related["actions.Action.owner"]] == ["Audit supervision"]
    assert [p["text"] for p in related["actions.ProgressUpdate.author"]] == [
        "Supervision audit done."
    ]
    [evidence] = related["actions.Evidence.added_by"]
    assert evidence["original_filename"] == "summary.pdf"
    assert evidence["file"].startswith("evidence/"), "file metadata only, never its contents"
    assert [e["verb"] for e in related["core.AuditEntry.actor"]] == ["update_action"]
    [token] = related["tokens.ApiToken.user"]
    assert "secret_hash" not in token
    assert [e["verb"] for e in data["audit_entries_about_them"]] == ["sign_in_failed"]
    assert data["sign_in_attempts"][0]["username"] == "sam"


def test_the_export_prints_json_when_no_file_is_given(owner_with_history, capsys):
    call_command("export_personal_data", "sam")
    assert json.loads(capsys.readouterr().out)["account"]["username"] == "sam"


def test_an_unknown_username_is_an_error(db):
    with pytest.raises(CommandError, match="No person"):
        call_command("export_personal_data", "nobody")


def test_removal_anonymises_the_person_and_keeps_the_plan_history(
    owner_with_history, director, tmp_path, django_capture_on_commit_callbacks
):
    owner = owner_with_history
    browser = Client()
    assert (
        browser.post("/accounts/login/", {"username": "sam", "password": TEST_PASSWORD}).status_code
        == 302
    )
    session_key = browser.session.session_key
    Client().post("/accounts/login/", {"username": "sam", "password": "wrong"})
    counts = (Action.objects.count(), ProgressUpdate.objects.count(), Evidence.objects.count())

    with django_capture_on_commit_callbacks(execute=True):
        call_command("remove_personal_data", "sam", "--no-input")

    person = User.objects.get(pk=owner.pk)
    assert person.username == f"former-user-{owner.pk}"
    assert str(person) == f"Former user {owner.pk}"
    assert (person.email, person.job_title, person.last_name) == ("", "", "")
    assert not person.is_active and not person.has_usable_password()
    assert not person.groups.exists()
    # The plan's history still points at the same row.
    assert (
        Action.objects.count(),
        ProgressUpdate.objects.count(),
        Evidence.objects.count(),
    ) == counts
    assert Action.objects.get(title="Audit supervision").owner_id == owner.pk
    assert ProgressUpdate.objects.get().author_id == owner.pk
    assert Evidence.objects.get().added_by_id == owner.pk
    assert AuditEntry.objects.filter(verb="update_action", actor_id=owner.pk).exists()
    assert AuditEntry.objects.filter(verb="personal_data_removed", object_id=str(owner.pk)).exists()
    # No way back in.
    store = import_module(django_settings.SESSION_ENGINE).SessionStore
    assert not store().exists(session_key)
    assert browser.get("/").status_code == 302
    assert (
        Client()
        .post("/accounts/login/", {"username": "sam", "password": TEST_PASSWORD})
        .status_code
        == 200
    )
    assert not ApiToken.objects.usable().filter(user=owner).exists()
    # Nothing personal left in the account or the rows pointing at it. (Audit entries are
    # kept exactly as written, for the retention period: docs/security.md.)
    data = export(person.username, tmp_path)
    assert data["sign_in_attempts"] == []
    text = json.dumps([data["account"], data["related"]])
    for personal in ("Sam", "Patel", "sam.patel@example.org", "Team manager", '"sam"'):
        assert personal not in text
    # Other people are untouched.
    director.refresh_from_db()
    assert director.is_active and director.email


def test_removal_asks_for_confirmation(owner_with_history, monkeypatch):
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError, match="Nothing removed"):
        call_command("remove_personal_data", "sam")
    assert User.objects.get(username="sam").is_active


def test_a_directors_export_and_removal_cover_the_plans_they_lead_and_what_they_decided(
    db, tmp_path
):
    from inspections.models import RecommendationRepeat
    from plans.models import Plan, WiderArea
    from tests.factories import PlanFactory, RecommendationFactory, WiderAreaFactory

    lead = UserFactory(role="Directors", username="dcs", first_name="Dana", last_name="Hughes")
    plan = PlanFactory(lead_director=lead, title="Improvement plan 2024-26")
    WiderAreaFactory(plan=plan, created_by=lead, text="Follow up audit findings.")
    later = RecommendationFactory(inspection__plan=plan)
    repeat = RecommendationRepeat.objects.create(
        recommendation=later,
        earlier=RecommendationFactory(inspection__plan=None),
        score=91.5,
        status="confirmed",
        decided_by=lead,
    )

    related = export("dcs", tmp_path)["related"]

    assert [p["title"] for p in related["plans.Plan.lead_director"]] == [plan.title]
    assert [a["text"] for a in related["plans.WiderArea.created_by"]] == [
        "Follow up audit findings."
    ]
    assert [r["id"] for r in related["inspections.RecommendationRepeat.decided_by"]] == [repeat.pk]

    call_command("remove_personal_data", "dcs", "--no-input")

    assert Plan.objects.get(pk=plan.pk).lead_director_id == lead.pk
    assert WiderArea.objects.get(plan=plan).created_by_id == lead.pk
    assert RecommendationRepeat.objects.get(pk=repeat.pk).decided_by_id == lead.pk
    text = json.dumps(export(f"former-user-{lead.pk}", tmp_path)["related"])
    assert "Dana" not in text and "Hughes" not in text
