"""Every role × every operation × own/other action, through the pages.

Allowed: the change is made (redirect back to the action). Not allowed: 403 for people
who can see the plan, 404 for outsiders (the action is not disclosed), sign-in for
anonymous people. Nothing is written unless allowed.
"""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from actions.models import Status
from actions.transitions import TRANSITIONS
from core.models import AuditEntry
from tests.dates import date_post
from tests.factories import (
    ActionFactory,
    MeasureFactory,
    MeasureReadingFactory,
    OrganisationFactory,
    UserFactory,
)

ROLES = {
    "director": "Directors",
    "officer": "Policy officers",
    "owner": "Action owners",
    "reader": "Readers",
}

DIRECTOR_ONLY = {"assign", "move-date", "rag", "clear-rag", "reopen"}
OFFICER_ONLY = {"edit", "measure"}
OWNER_OR_OFFICER = {"progress", "evidence", "reading", "complete", "impact"}


def allowed(role: str, operation: str, own: bool) -> bool:
    if operation in DIRECTOR_ONLY:
        return role == "director"
    if operation == "sign-off":
        return role == "director" and not own
    if operation in OFFICER_ONLY:
        return role == "officer"
    if operation in OWNER_OR_OFFICER:
        return role == "officer" or (role == "owner" and own)
    raise AssertionError(f"no policy for {operation}")


def test_every_transition_has_a_policy():
    for name in TRANSITIONS:
        allowed("director", name, own=False)  # raises for an operation without a policy


def prepare(operation: str, owner):
    """An action in the state the operation needs, and valid form data for it."""
    status = {
        "complete": Status.IN_PROGRESS,
        "impact": Status.COMPLETE,
        "sign-off": Status.IMPACT_EVIDENCED,
        "reopen": Status.CLOSED,
    }.get(operation, Status.IN_PROGRESS)
    action = ActionFactory(owner=owner, status=status)
    if operation == "clear-rag":
        action.rag_override, action.rag_override_reason = "red", "Board concern"
        action.save()
    measure = MeasureFactory(action=action, baseline=60, target=90)
    if operation in {"impact", "sign-off"}:
        MeasureReadingFactory(measure=measure, value=95, date=dt.date(2024, 5, 1))
    assignee = UserFactory(role="Action owners")
    prefix = operation.replace("-", "_")
    data = {
        "assign": {"owner": assignee.pk},
        "move-date": {
            **date_post("new_date", "2025-01-31"),
            "reason": "Agreed at the improvement board",
        },
        "rag": {"rag": "amber", "reason": "Partner capacity"},
        "reopen": {"reason": "Audit found the change did not stick"},
        "sign-off": {"justification": ""},
        "edit": {
            "title": "Clearer title",
            "description": "",
            "expected_outcome": "Better",
            "resources": "",
            "risks": "",
            "organisation": "",
        },
        "measure": {
            "name": "Re-referrals",
            "unit": "%",
            "baseline": "30",
            "target": "20",
            "direction": "lower",
            "baseline_date_day": "",
            "baseline_date_month": "",
            "baseline_date_year": "",
        },
        "progress": {"text": "Two teams trained"},
        "evidence": {
            "description": "Audit summary",
            "file": SimpleUploadedFile("audit.pdf", b"%PDF-1.4 audit", "application/pdf"),
            "link": "",
        },
        "reading": {
            "measure": measure.pk,
            **date_post("date", "2024-06-01"),
            "value": "70",
            "note": "",
        },
        "complete": {"note": "Every team trained"},
        "clear-rag": {},
        "impact": {"summary": "Visits on time rose to 95%"},
    }[operation]
    form = {f"{prefix}-{key}": value for key, value in data.items()}
    form[f"{prefix}-version"] = action.version
    return action, form


CASES = [
    (role, operation, own)
    for role in [*ROLES, "outsider", "anonymous"]
    for operation in TRANSITIONS
    for own in (True, False)
]


@pytest.mark.parametrize(("role", "operation", "own"), CASES)
def test_permission_matrix(client, db, role, operation, own):
    user = None
    if role in ROLES:
        user = UserFactory(role=ROLES[role])
    elif role == "outsider":
        user = UserFactory(role="Action owners", organisation=OrganisationFactory(name="Elsewhere"))
    action, form = prepare(operation, owner=user if own and user else None)
    if user:
        client.force_login(user)
    audit_before = AuditEntry.objects.count()
    version_before = action.version

    response = client.post(f"/actions/{action.pk}/{operation}/", form)

    action.refresh_from_db()
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    elif role == "outsider" and not own:
        assert response.status_code == 404
    elif allowed(role, operation, own) or (
        role == "outsider" and own and allowed("owner", operation, True)
    ):
        assert response.status_code == 302, response.content.decode()[:2000]
        assert response["Location"] == f"/actions/{action.pk}/"
        assert AuditEntry.objects.count() > audit_before
        return
    else:
        assert response.status_code == 403
    assert AuditEntry.objects.count() == audit_before
    assert action.version == version_before


def test_evidence_download_is_checked_like_the_action(client, db):
    from actions import services

    officer = UserFactory(role="Policy officers")
    action = ActionFactory()
    evidence = services.add_evidence(
        action=action,
        by=officer,
        description="Audit",
        file=SimpleUploadedFile("audit.pdf", io.BytesIO(b"%PDF-1.4 x").read()),
    )
    client.force_login(UserFactory(role="Readers"))
    response = client.get(f"/actions/evidence/{evidence.pk}/download/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == b"%PDF-1.4 x"
    client.force_login(UserFactory(role="Readers", organisation=OrganisationFactory(name="Other")))
    assert client.get(f"/actions/evidence/{evidence.pk}/download/").status_code == 404
    client.logout()
    assert client.get(f"/actions/evidence/{evidence.pk}/download/").status_code == 302
