"""Serializer fields and the base serializer shared by every API module."""

from __future__ import annotations

import datetime as dt

from django.db import models
from rest_framework import serializers


class UtcDateTimeField(serializers.DateTimeField):
    """ISO 8601 in UTC ("2026-11-22T10:15:00Z"), whatever the site's time zone."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("default_timezone", dt.UTC)
        super().__init__(*args, **kwargs)


class ApiModelSerializer(serializers.ModelSerializer):
    """A ModelSerializer whose times are written in UTC."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateTimeField: UtcDateTimeField,
    }


# Dates far outside any plan's life (year 1 or 9999) are typing mistakes or probes; they
# would also overflow the working-day arithmetic behind deadlines and RAG.
EARLIEST = dt.date(1990, 1, 1)
LATEST = dt.date(2100, 12, 31)


class PlanDateField(serializers.DateField):
    """An ISO 8601 date between 1990 and 2100."""

    def to_internal_value(self, value: object) -> dt.date:
        date = super().to_internal_value(value)
        if not EARLIEST <= date <= LATEST:
            raise serializers.ValidationError(
                f"Enter a date between {EARLIEST.isoformat()} and {LATEST.isoformat()}.",
                code="out_of_range",
            )
        return date
