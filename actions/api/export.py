"""Every matching action in one streamed response, CSV or JSON, in constant memory.

Rows come from the database in chunks (a server-side cursor on PostgreSQL) and leave as
they are written: 10,000 actions never sit in memory as objects. The recommendations
column holds the ids of the items an action answers, separated by spaces.
"""

from __future__ import annotations

import csv
import datetime as dt
import itertools
from collections.abc import Iterator

from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from rest_framework.exceptions import ValidationError

from core.api.renderers import dumps

from .serializers import answered, shown

CHUNK = 2000
CSV_COLUMNS = [
    "id",
    "plan",
    "recommendations",
    "wider_area",
    "theme",
    "title",
    "owner",
    "owner_name",
    "organisation",
    "due_date",
    "overdue",
    "status",
    "rag",
    "rag_reason",
    "expected_outcome",
    "completed_at",
    "signed_off_at",
    "version",
    "updated_at",
]


class _Echo:
    def write(self, value: str) -> str:
        return value


def _cell(value: object) -> object:
    if isinstance(value, list):  # ids: "12 15"
        return " ".join(str(each) for each in value)
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value  # spreadsheet formula injection
    return value


def _rows(queryset: QuerySet) -> Iterator[dict]:
    """The rows in chunks, each chunk with the items its actions answer (one query)."""
    rows = queryset.order_by("id").iterator(chunk_size=CHUNK)
    while chunk := list(itertools.islice(rows, CHUNK)):
        yield from answered([shown(row) for row in chunk])


def _csv(queryset: QuerySet) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(CSV_COLUMNS)
    for row in _rows(queryset):
        yield writer.writerow([_cell(row[name]) for name in CSV_COLUMNS])


def _json(queryset: QuerySet) -> Iterator[bytes]:
    yield b"["
    first = True
    for row in _rows(queryset):
        yield (b"" if first else b",") + dumps(row)
        first = False
    yield b"]"


def stream(queryset: QuerySet, file_format: str) -> StreamingHttpResponse:
    """Every row of `queryset`, a query of actions.api.serializers.action_rows, as a
    download."""
    if file_format == "csv":
        response = StreamingHttpResponse(_csv(queryset), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="actions.csv"'
    elif file_format == "json":
        response = StreamingHttpResponse(_json(queryset), content_type="application/json")
    else:
        raise ValidationError({"file_format": ["Choose csv or json."]})
    return response
