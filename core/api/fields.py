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
