"""Recording audit entries: the one way services write to the audit log."""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

from django.db import models

from .models import AuditEntry, User


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    return value


def snapshot(obj: models.Model, fields: list[str]) -> dict[str, Any]:
    """The named fields of a row as JSON-safe values (foreign keys as ids)."""
    return {name: _jsonable(getattr(obj, name)) for name in fields}


def record(
    *,
    actor: User | None,
    verb: str,
    obj: models.Model,
    summary: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        verb=verb,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        summary=summary[:500],
        before=before or {},
        after=after or {},
    )
