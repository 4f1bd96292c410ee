"""The API's permission policy, one entry per OpenAPI operation, and the requests to make.

test_permission_matrix.py generates its cases from the schema: an operation without an
entry here fails the suite, so no endpoint ships without a stated policy.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from actions import services
from actions.documents import services as documents
from actions.models import Evidence, Status
from actions.reminders.models import Reminder
from actions.webhooks import services as webhooks
from actions.webhooks.models import Delivery, DeliveryStatus
from inspections import importer

MEMBERS = ("director", "officer", "owner", "other_owner", "reader")
REPORT = "tests/fixtures/reports/derbyshire-2011-safeguarding-lac.txt"


@dataclasses.dataclass(frozen=True)
class Policy:
    allowed: frozenset[str]  # members (with a read-write token) who may do it
    request: Callable[
        [Any, Any], tuple[str, dict | None, str]
    ]  # (world, user) → path, body, format
    ok: frozenset[int] = frozenset()  # success statuses; default: the schema's 2xx
    outsider: int | str = 404  # a director of another council: status, or "empty" for lists
    listed: str | None = None  # for lists: the world attribute that must appear in results
    denied: int = 403  # members not allowed (404 where the record is someone else's)
    listed_for: frozenset[str] | None = None  # members who see `listed` (default: all)


def policy(
    allowed, request, ok=(), outsider=404, listed=None, denied=403, listed_for=None
) -> Policy:
    listed_to = frozenset(listed_for) if listed_for is not None else None
    return Policy(frozenset(allowed), request, frozenset(ok), outsider, listed, denied, listed_to)


def get(path: str) -> Callable:
    return lambda w, u: (path.format(w=w), None, "json")


def post(path: str, body: dict | Callable | None = None, fmt: str = "json") -> Callable:
    def make(w, u):
        data = body(w, u) if callable(body) else body
        return path.format(w=w), data, fmt

    return make


def in_state(status: str) -> Callable:
    """Puts the action in `status` first (a bare write: this is test set-up)."""

    def make(path: str, body: dict | None = None) -> Callable:
        def run(w, u):
            type(w.action).objects.filter(pk=w.action.pk).update(status=status)
            return path.format(w=w), body, "json"

        return run

    return make


def pending_import(w, user) -> str:
    with open(REPORT, "rb") as handle:
        upload = SimpleUploadedFile("report.txt", handle.read(), "text/plain")
    return importer.start_review(upload=upload, user=user).token


def document(w) -> int:
    """One generated version per world (rendering takes a while)."""
    if w.document is None:
        w.document = documents.request_document(
            plan=w.plan, inspection=w.inspection, by=w.officer, kind="submission", fmt="docx"
        ).pk
    return w.document


def evidence_file(w) -> int:
    upload = SimpleUploadedFile("audit.pdf", b"%PDF-1.4 audit", "application/pdf")
    return services.add_evidence(action=w.action, by=w.officer, description="Audit", file=upload).pk


ALL = MEMBERS
UPDATERS = ("officer", "owner")  # the owner of the action, or any policy officer
DOCUMENT_PEOPLE = ("director", "officer")
# Webhook subscriptions: anyone with a role subscribes; each manages their own (the world's
# subscription is the reader's, as a dashboard's would be); others get 404.
SUBSCRIBER = ("reader",)
WEBHOOK = "/api/v1/webhooks/{w.subscription.pk}/"


def own(allowed=SUBSCRIBER, **kwargs) -> dict:
    return {"allowed": allowed, "denied": 404, "outsider": 404, **kwargs}


POLICIES: dict[str, Policy] = {
    # organisations and people
    "organisations_list": policy(
        ALL, get("/api/v1/organisations/"), listed="council", outsider="empty"
    ),
    "organisations_retrieve": policy(ALL, get("/api/v1/organisations/{w.council.pk}/")),
    "users_list": policy(ALL, get("/api/v1/users/"), listed="owner", outsider="empty"),
    "users_retrieve": policy(ALL, get("/api/v1/users/{w.owner.pk}/")),
    "users_me_retrieve": policy(ALL, get("/api/v1/users/me/"), outsider=200),
    # plans
    "plans_list": policy(ALL, get("/api/v1/plans/"), listed="plan", outsider="empty"),
    "plans_retrieve": policy(ALL, get("/api/v1/plans/{w.plan.pk}/")),
    # inspections
    "inspections_list": policy(
        ALL, get("/api/v1/inspections/"), listed="inspection", outsider="empty"
    ),
    "inspections_retrieve": policy(ALL, get("/api/v1/inspections/{w.inspection.pk}/")),
    "inspections_deadline_create": policy(
        ("officer",),
        post(
            "/api/v1/inspections/{w.inspection.pk}/deadline/",
            {"which": "plan", "new_date": "2024-07-01", "reason": "Agreed with DfE"},
        ),
    ),
    "recommendations_list": policy(
        ALL, get("/api/v1/recommendations/"), listed="recommendation", outsider="empty"
    ),
    "recommendations_retrieve": policy(ALL, get("/api/v1/recommendations/{w.recommendation.pk}/")),
    # imports: policy officers only, each sees their own
    "imports_list": policy(("officer",), get("/api/v1/imports/"), outsider=403),
    "imports_create": policy(
        ("officer",),
        lambda w, u: (
            "/api/v1/imports/",
            {"report": SimpleUploadedFile("r.txt", Path(REPORT).read_bytes(), "text/plain")},
            "multipart",
        ),
        outsider=403,
    ),
    "imports_retrieve": policy(
        ("officer",),
        lambda w, u: (f"/api/v1/imports/{pending_import(w, u)}/", None, "json"),
        outsider=403,
    ),
    "imports_destroy": policy(
        ("officer",),
        lambda w, u: (f"/api/v1/imports/{pending_import(w, u)}/", None, "json"),
        outsider=403,
    ),
    "imports_confirm_create": policy(
        ("officer",),
        lambda w, u: (f"/api/v1/imports/{pending_import(w, u)}/confirm/", {}, "json"),
        outsider=403,
    ),
    # actions
    "actions_list": policy(ALL, get("/api/v1/actions/"), listed="action", outsider="empty"),
    "actions_export_list": policy(ALL, get("/api/v1/actions/export/"), outsider=200),
    "actions_retrieve": policy(ALL, get("/api/v1/actions/{w.action.pk}/")),
    "actions_create": policy(
        ("officer",),
        post(
            "/api/v1/actions/",
            lambda w, u: {
                "plan": w.plan.pk,
                "recommendations": [w.recommendation.pk],
                "title": "Audit supervision",
            },
        ),
    ),
    "actions_partial_update": policy(
        ("officer",),
        lambda w, u: (f"/api/v1/actions/{w.action.pk}/", {"title": "Clearer title"}, "json"),
    ),
    "actions_assign_owner_create": policy(
        ("director",),
        post(
            "/api/v1/actions/{w.action.pk}/assign-owner/", lambda w, u: {"owner": w.other_owner.pk}
        ),
    ),
    "actions_move_due_date_create": policy(
        ("director",),
        post(
            "/api/v1/actions/{w.action.pk}/move-due-date/",
            {"new_date": "2025-01-31", "reason": "Agreed at the board"},
        ),
    ),
    "actions_override_rag_create": policy(
        ("director",),
        post("/api/v1/actions/{w.action.pk}/override-rag/", {"rag": "amber", "reason": "Capacity"}),
    ),
    "actions_complete_create": policy(
        UPDATERS,
        in_state(Status.IN_PROGRESS)(
            "/api/v1/actions/{w.action.pk}/complete/", {"note": "Every team trained"}
        ),
    ),
    "actions_submit_impact_create": policy(
        UPDATERS,
        in_state(Status.COMPLETE)(
            "/api/v1/actions/{w.action.pk}/submit-impact/", {"summary": "Visits on time"}
        ),
    ),
    "actions_sign_off_create": policy(
        ("director",),
        in_state(Status.IMPACT_EVIDENCED)(
            "/api/v1/actions/{w.action.pk}/sign-off/", {"justification": "Board agreed"}
        ),
    ),
    "actions_reopen_create": policy(
        ("director",),
        in_state(Status.CLOSED)(
            "/api/v1/actions/{w.action.pk}/reopen/", {"reason": "Audit found slippage"}
        ),
    ),
    "actions_progress_updates_create": policy(
        UPDATERS,
        post("/api/v1/actions/{w.action.pk}/progress-updates/", {"text": "Two teams trained"}),
    ),
    "actions_evidence_create": policy(
        UPDATERS,
        post(
            "/api/v1/actions/{w.action.pk}/evidence/",
            lambda w, u: {
                "description": "Audit",
                "file": SimpleUploadedFile("a.pdf", b"%PDF-1.4 a"),
            },
            fmt="multipart",
        ),
    ),
    "actions_measures_create": policy(
        ("officer",),
        post(
            "/api/v1/actions/{w.action.pk}/measures/",
            {"name": "Re-referrals", "baseline": "30", "target": "20", "direction": "lower"},
        ),
    ),
    # progress, evidence, measures, readings
    "progress_updates_list": policy(
        ALL, get("/api/v1/progress-updates/"), listed="progress", outsider="empty"
    ),
    "progress_updates_retrieve": policy(ALL, get("/api/v1/progress-updates/{w.progress.pk}/")),
    "progress_updates_return_create": policy(
        ("director",),
        post("/api/v1/progress-updates/{w.progress.pk}/return/", {"comment": "Add figures"}),
    ),
    "evidence_list": policy(ALL, get("/api/v1/evidence/"), listed="evidence", outsider="empty"),
    "evidence_retrieve": policy(ALL, get("/api/v1/evidence/{w.evidence.pk}/")),
    "evidence_download_retrieve": policy(
        ALL, lambda w, u: (f"/api/v1/evidence/{evidence_file(w)}/download/", None, "json")
    ),
    "evidence_return_create": policy(
        ("director",), post("/api/v1/evidence/{w.evidence.pk}/return/", {"comment": "Wrong file"})
    ),
    "measures_list": policy(ALL, get("/api/v1/measures/"), listed="measure", outsider="empty"),
    "measures_retrieve": policy(ALL, get("/api/v1/measures/{w.measure.pk}/")),
    "measures_readings_create": policy(
        UPDATERS,
        post("/api/v1/measures/{w.measure.pk}/readings/", {"date": "2024-07-01", "value": "80"}),
    ),
    "readings_list": policy(ALL, get("/api/v1/readings/"), listed="reading", outsider="empty"),
    "readings_retrieve": policy(ALL, get("/api/v1/readings/{w.reading.pk}/")),
    # reminders (read only)
    "reminders_list": policy(ALL, get("/api/v1/reminders/"), listed="reminder", outsider="empty"),
    "reminders_retrieve": policy(ALL, get("/api/v1/reminders/{w.reminder.pk}/")),
    # documents: directors and policy officers
    "documents_list": policy(DOCUMENT_PEOPLE, get("/api/v1/documents/"), outsider="empty"),
    "documents_create": policy(
        DOCUMENT_PEOPLE,
        post(
            "/api/v1/documents/",
            lambda w, u: {
                "plan": w.plan.pk,
                "inspection": w.inspection.pk,
                "kind": "submission",
                "format": "docx",
            },
        ),
    ),
    "documents_retrieve": policy(
        DOCUMENT_PEOPLE, lambda w, u: (f"/api/v1/documents/{document(w)}/", None, "json")
    ),
    "documents_download_retrieve": policy(
        DOCUMENT_PEOPLE, lambda w, u: (f"/api/v1/documents/{document(w)}/download/", None, "json")
    ),
    # webhooks
    "webhooks_list": policy(
        ALL,
        get("/api/v1/webhooks/"),
        listed="subscription",
        listed_for=SUBSCRIBER,
        outsider="empty",
    ),
    "webhooks_create": policy(
        ALL,
        post(
            "/api/v1/webhooks/",
            {"name": "Dashboard", "url": "https://dashboard.example.gov.uk/hooks"},
        ),
        outsider=201,
    ),
    "webhooks_retrieve": policy(request=get(WEBHOOK), **own()),
    "webhooks_partial_update": policy(
        request=lambda w, u: (WEBHOOK.format(w=w), {"name": "Renamed"}, "json"), **own()
    ),
    "webhooks_destroy": policy(request=lambda w, u: (WEBHOOK.format(w=w), None, "json"), **own()),
    "webhooks_rotate_secret_create": policy(request=post(WEBHOOK + "rotate-secret/"), **own()),
    "webhooks_ping_create": policy(request=post(WEBHOOK + "ping/"), **own()),
    "webhooks_deliveries_list": policy(request=get(WEBHOOK + "deliveries/"), **own()),
    "webhooks_deliveries_retrieve": policy(
        request=get(WEBHOOK + "deliveries/{w.delivery.pk}/"), **own()
    ),
    "webhooks_deliveries_redeliver_create": policy(
        request=post(WEBHOOK + "deliveries/{w.delivery.pk}/redeliver/"), **own()
    ),
    # A plan with gaps cannot be submitted (422): the point here is who may try.
    "documents_submit_create": policy(
        DOCUMENT_PEOPLE,
        lambda w, u: (f"/api/v1/documents/{document(w)}/submit/", None, "json"),
        ok=(200, 422),
    ),
}


def make_reminder(w) -> Reminder:
    return Reminder.objects.create(
        recipient=w.owner,
        kind="before_due",
        occasion=f"action:{w.action.pk}:test",
        action=w.action,
        due_date=w.action.due_date,
        scheduled_for=dt.date(2024, 8, 20),
    )


@dataclasses.dataclass
class World:
    council: Any
    director: Any
    officer: Any
    owner: Any
    other_owner: Any
    reader: Any
    outsider: Any
    plan: Any
    inspection: Any
    recommendation: Any
    action: Any
    progress: Any
    measure: Any
    reading: Any
    evidence: Any
    reminder: Any = None
    document: int | None = None
    subscription: Any = None
    delivery: Any = None


def build_world(full_plan, director, officer, owner, reader, outsider, other_owner) -> World:
    action = full_plan
    recommendation = action.recommendations.get()
    world = World(
        council=action.plan.local_authority,
        director=director,
        officer=officer,
        owner=owner,
        other_owner=other_owner,
        reader=reader,
        outsider=outsider,
        plan=action.plan,
        inspection=recommendation.inspection,
        recommendation=recommendation,
        action=action,
        progress=action.progress_updates.get(),
        measure=action.measures.get(),
        reading=action.measures.get().readings.get(),
        evidence=Evidence.objects.get(action=action),
    )
    world.reminder = make_reminder(world)
    world.subscription, _ = webhooks.create_subscription(
        by=reader, name="Dashboard", url="https://dashboard.example.gov.uk/hooks"
    )
    world.delivery = Delivery.objects.create(
        subscription=world.subscription,
        event_type="action.updated",
        action=action,
        payload='{"id": "x", "type": "action.updated", "timestamp": "2024-07-01T09:00:00Z", '
        '"data": {"action": null}}',
        status=DeliveryStatus.DELIVERED,
        attempts=1,
        delivered_at=dt.datetime(2024, 7, 1, 9, tzinfo=dt.UTC),
    )
    return world
