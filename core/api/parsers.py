"""Request bodies the API reads: JSON no deeper than any real request, and multipart.

The standard library's JSON reader recurses once per level of nesting, so a body nested
100,000 deep raises `RecursionError`, which no exception handler expects (it became an
HTML 500). No request of this API nests more than a few levels, so anything deeper than
`MAX_DEPTH` is a bad request, answered like every other one (a problem document, 400).
"""

from __future__ import annotations

from typing import Any

from rest_framework import parsers
from rest_framework.exceptions import ParseError

MAX_DEPTH = 32
TOO_DEEP = f"The JSON body is nested more than {MAX_DEPTH} levels deep."


def _depth_exceeds(data: Any, limit: int) -> bool:
    """Whether `data` nests lists and objects more than `limit` deep (without recursing)."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            children = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, refusing bodies nested past `MAX_DEPTH` as a parse error."""

    def parse(self, stream, media_type=None, parser_context=None) -> Any:
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(TOO_DEEP) from None
        if _depth_exceeds(data, MAX_DEPTH):
            raise ParseError(TOO_DEEP)
        return data
