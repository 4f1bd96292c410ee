"""A refusal does not tell what exists: someone who is not visible, not in the right
role or of another council gets the same answer as someone who does not exist."""

from __future__ import annotations

import pytest

from actions.tracker import imports as tracker_import
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

NOBODY = 999_999


@pytest.fixture
def people(council):
    """Whom an assignment or a signature might name, none of them acceptable."""
    elsewhere = OrganisationFactory(name="Elsewhere Council")
    return {
        "does not exist": NOBODY,
        "a reader of the council": UserFactory(username="r", role="Readers").pk,
        "an inactive owner": UserFactory(username="i", role="Action owners", is_active=False).pk,
        "an owner of another council": UserFactory(
            username="o", role="Action owners", organisation=elsewhere
        ).pk,
        "a director of another council": UserFactory(
            username="d", role="Directors", organisation=elsewhere
        ).pk,
        "an owner of the council": UserFactory(username="w", role="Action owners").pk,
    }


def _answer(response, pk: int) -> tuple[int, object]:
    """Status and body, with the id sent and the request's own fields written alike."""
    body = response.json()
    for name in ("instance", "request_id"):
        body.pop(name, None)
    return response.status_code, str(body).replace(f'"{pk}"', '"ID"')


def test_assigning_an_owner_answers_alike_for_everyone_who_cannot_own(
    client_for, director, plan, people
):
    api = client_for(director)
    answers = {
        who: _answer(
            api.post(f"/api/v1/actions/{plan.pk}/assign-owner/", {"owner": pk}, format="json"),
            pk,
        )
        for who, pk in people.items()
        if who != "an owner of the council"
    }
    assert len(set(answers.values())) == 1, answers
    [(status, _body)] = set(answers.values())
    assert status == 400


def test_the_plan_s_signatory_answers_alike_for_everyone_who_cannot_sign(
    client_for, director, plan, people
):
    api = client_for(director)
    answers = {
        who: _answer(
            api.post(
                "/api/v1/documents/",
                {
                    "plan": plan.plan_id,
                    "inspection": plan.recommendations.get().inspection_id,
                    "kind": "submission",
                    "format": "docx",
                    "signed_by": pk,
                },
                format="json",
            ),
            pk,
        )
        for who, pk in people.items()
    }
    assert len(set(answers.values())) == 1, answers
    [(status, _body)] = set(answers.values())
    assert status == 422


def test_the_tracker_preview_does_not_find_owners_or_organisations_of_other_councils(db):
    from tests.actions.documents.conftest import build_plan, person
    from tests.actions.documents.test_spreadsheet import edit, export

    plan = build_plan()
    lead = person("lead", "Directors", "Policy officers")
    person("theirs", "Action owners", organisation="Elsewhere Council", email="theirs@example.org")
    tracker = edit(
        export(plan),
        {
            "Actions": {
                (2, "Responsible officer e-mail"): "theirs@example.org",
                (3, "Responsible officer e-mail"): "nobody@example.org",
                (4, "Organisation"): "Elsewhere Council",
                (5, "Organisation"): "Nowhere Council",
            }
        },
    )
    result = tracker_import.validate(tracker, plan=plan.plan, by=lead)
    found = {(e.row, e.column): e.message for e in result.errors}
    email, organisation = "Responsible officer e-mail", "Organisation"
    assert found[2, email].replace("theirs", "X") == found[3, email].replace("nobody", "X")
    assert found[4, organisation].replace("Elsewhere", "X") == found[5, organisation].replace(
        "Nowhere", "X"
    )
