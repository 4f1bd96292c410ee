"""Serializer fields and the base serializer shared by every API module."""

from __future__ import annotations

import datetime as dt

from django.db import models
from rest_framework import serializers

from core.deadlines import EARLIEST, LATEST


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


# Ids are 64-bit: a larger number cannot name a row, and would overflow the database.
MAX_ID = 2**63 - 1
ID_PATTERN = r"[0-9]{1,18}"


class IdField(serializers.IntegerField):
    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)


class IdRelatedField(serializers.PrimaryKeyRelatedField):
    """A related row by id; an id out of range is "does not exist", not a crash."""

    def to_internal_value(self, data: object) -> object:
        if isinstance(data, bool) or not isinstance(data, int | str):
            self.fail("incorrect_type", data_type=type(data).__name__)
        try:
            value = int(data)
        except ValueError:
            self.fail("incorrect_type", data_type=type(data).__name__)
        if not 1 <= value <= MAX_ID:
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(value)
