"""Serializer fields and the base serializer shared by every API module."""

from __future__ import annotations

import datetime as dt
import re

from django.db import models
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.deadlines import EARLIEST, LATEST
from core.errors import DomainError


class UtcDateTimeField(serializers.DateTimeField):
    """ISO 8601 in UTC ("2026-11-22T10:15:00Z"), whatever the site's time zone."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("default_timezone", dt.UTC)
        super().__init__(*args, **kwargs)


class StrictCharField(serializers.CharField):
    """Text given as a JSON string: a number or a boolean is refused, not stored as "0"."""

    def to_internal_value(self, data: object) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictBooleanField(serializers.BooleanField):
    """`true` or `false` in JSON, as the schema's boolean says (not 0, 1 or "yes"); a
    form's "true" and "false" where a file upload is sent as multipart."""

    def to_internal_value(self, data: object) -> bool:
        if isinstance(data, bool) or (self._is_form_input() and data in ("true", "false")):
            return super().to_internal_value(data)
        self.fail("invalid", input=data)

    def _is_form_input(self) -> bool:
        request = self.context.get("request")
        return request is not None and request.content_type.startswith("multipart/")


WEB_URL_PATTERN = r"^[Hh][Tt][Tt][Pp][Ss]?://\S+$"


@extend_schema_field({"type": "string", "format": "uri", "pattern": WEB_URL_PATTERN})
class WebUrlField(serializers.URLField):
    """An http(s) address. One not written so is malformed (400). One written so that
    names no host a server can have (`http://0`, a name longer than DNS allows, a port
    past 65535) is refused by the same rule as a host that does not resolve: it cannot
    receive anything (422)."""

    def to_internal_value(self, data: object) -> str:
        if not isinstance(data, str) or not re.fullmatch(WEB_URL_PATTERN, data):
            self.fail("invalid")
        return super().to_internal_value(data)

    def run_validators(self, value: str) -> None:
        try:
            super().run_validators(value)
        except serializers.ValidationError as error:
            if any(getattr(detail, "code", None) != "invalid" for detail in error.detail):
                raise  # too long: the schema's maxLength, a 400
            raise DomainError(
                "This address cannot receive anything: enter the http(s) address of a server.",
                field=self.field_name,
            ) from None


class ApiModelSerializer(serializers.ModelSerializer):
    """A ModelSerializer whose times are written in UTC, and whose text and booleans take
    only what the schema declares for them."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateTimeField: UtcDateTimeField,
        models.CharField: StrictCharField,
        models.TextField: StrictCharField,
        models.BooleanField: StrictBooleanField,
    }


@extend_schema_field(
    {
        "type": "string",
        "format": "date",
        "pattern": r"^(?:199[0-9]|20[0-9][0-9]|2100)-[0-9]{2}-[0-9]{2}$",
        "description": "A date between 1990-01-01 and 2100-12-31.",
    }
)
class PlanDateField(serializers.DateField):
    """An ISO 8601 date between 1990 and 2100 (EARLIEST and LATEST)."""

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
