"""A bare-SQL copy of the actions list and export, for bench/bench_api.py to compare with.

Mounted only by the benchmarks' settings (bench/settings.py); never in a deployment.
It skips what the real endpoints must do — authentication, the visibility rules, filters
beyond `status`, rate limits — so the difference shows what those cost.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.urls import path
from django.utils import timezone

import config.urls
from actions.api.serializers import ActionSerializer
from actions.models import OPEN_STATUSES
from core.api.renderers import dumps

DERIVED = {"recommendations", "owner_name", "overdue", "rag", "rag_derived"}
OWN = [name for name in ActionSerializer.Meta.fields if name not in DERIVED]
COLUMNS = [
    *OWN,
    "rag",
    "owner__first_name",
    "owner__last_name",
    "owner__username",
]

SQL_COLUMNS = ", ".join(
    {
        "owner__first_name": "u.first_name",
        "owner__last_name": "u.last_name",
        "owner__username": "u.username",
        "plan": "a.plan_id",
        "wider_area": "a.wider_area_id",
        "theme": "a.theme_id",
        "owner": "a.owner_id",
        "organisation": "a.organisation_id",
        "assigned_by": "a.assigned_by_id",
        "signed_off_by": "a.signed_off_by_id",
    }.get(c, f"a.{c}")
    for c in COLUMNS
)
FROM = " FROM actions_action a LEFT JOIN core_user u ON u.id = a.owner_id"
ANSWERS = (
    "SELECT x.action_id, x.recommendation_id FROM actions_action_recommendations x"
    " JOIN inspections_recommendation r ON r.id = x.recommendation_id"
    ' WHERE x.action_id = ANY(%s) ORDER BY r.inspection_id, r."order", r.id'
)


def _select(where: str, params: list, tail: str) -> list[dict]:
    """The rows, and in a second query (as the API reads them) the items each answers."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {SQL_COLUMNS}{FROM} WHERE {where} {tail}", params)
        rows = [dict(zip(COLUMNS, row, strict=True)) for row in cursor.fetchall()]
        answers: dict[int, list[int]] = {row["id"]: [] for row in rows}
        if rows:
            cursor.execute(ANSWERS, [list(answers)])
            for action_id, recommendation_id in cursor.fetchall():
                answers[action_id].append(recommendation_id)
    for row in rows:
        row["recommendations"] = answers[row["id"]]
    return rows


def actions_page(request: HttpRequest) -> HttpResponse:
    size = int(request.GET.get("page_size", 50))
    after, offset = int(request.GET.get("after_id", 0)), int(request.GET.get("offset", 0))
    where, params = "a.id > %s", [after]
    if request.GET.get("status"):
        where += " AND a.status = %s"
        params.append(request.GET["status"])
    tail = f"ORDER BY a.id LIMIT {size + 1} OFFSET {offset}"
    rows = _select(where, params, tail)
    today = timezone.localdate()
    page = [action_row(row, today) for row in rows[:size]]
    next_url = None
    if len(rows) > size:
        next_url = request.build_absolute_uri(f"?page_size={size}&after_id={page[-1]['id']}")
    return HttpResponse(dumps({"next": next_url, "results": page}), content_type="application/json")


def actions_export(request: HttpRequest) -> StreamingHttpResponse:
    def chunks():
        today, last, first = timezone.localdate(), 0, True
        yield b"["
        while True:
            rows = _select("a.id > %s", [last], "ORDER BY a.id LIMIT 2000")
            if not rows:
                break
            for row in rows:
                yield (b"" if first else b",") + dumps(action_row(row, today))
                first = False
            last = rows[-1]["id"]
        yield b"]"

    return StreamingHttpResponse(chunks(), content_type="application/json")


def action_row(row: dict, today: dt.date) -> dict:
    """The row as the API shows it, worked out in Python."""
    full = f"{row['owner__first_name'] or ''} {row['owner__last_name'] or ''}".strip()
    return {
        **{name: row[name] for name in OWN},
        "recommendations": row["recommendations"],
        "owner_name": (full or row["owner__username"]) if row["owner"] else None,
        "overdue": row["status"] in OPEN_STATUSES and row["due_date"] < today,
        "rag": row["rag_override"] or row["rag"],
        "rag_derived": row["rag"],
    }


urlpatterns = [
    path("api/v1/reference/actions/", actions_page, name="reference-actions"),
    path("api/v1/reference/actions/export/", actions_export, name="reference-export"),
    *config.urls.urlpatterns,
]
