"""JSON out through orjson: several times faster than the standard library on big pages."""

from __future__ import annotations

import decimal
from typing import Any

import orjson
from django.utils.functional import Promise
from rest_framework import renderers

OPTIONS = orjson.OPT_UTC_Z | orjson.OPT_NON_STR_KEYS


def _default(value: Any) -> Any:
    if isinstance(value, decimal.Decimal | Promise):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def dumps(data: Any) -> bytes:
    """Times as ISO 8601 in UTC ("Z"), decimals as strings, like the serializers write them."""
    return orjson.dumps(data, default=_default, option=OPTIONS)


class JSONRenderer(renderers.JSONRenderer):
    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: dict | None = None,
    ) -> bytes:
        if data is None:
            return b""
        return dumps(data)
