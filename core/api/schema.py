"""Documents the errors every operation can answer with, in one place.

A post-processing hook of drf-spectacular: each operation gets the problem responses its
method and parameters make possible, so the schema says what the server really sends.
"""

from __future__ import annotations

import re
from typing import Any

from .errors import MEDIA_TYPE, TITLES

PROBLEM = {
    "type": "object",
    "description": "RFC 9457 problem details.",
    "required": ["type", "title", "status", "detail", "code"],
    "properties": {
        "type": {"type": "string", "description": "A URI naming the kind of problem."},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string", "description": "What went wrong, for a person."},
        "instance": {"type": "string", "description": "The path of the request."},
        "code": {"type": "string", "enum": sorted(TITLES), "description": "Stable, for machines."},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["field", "message", "code"],
                "properties": {
                    "field": {
                        "type": "string",
                        "nullable": True,
                        "description": "Dotted path of the field, or null.",
                    },
                    "message": {"type": "string"},
                    "code": {"type": "string"},
                },
            },
        },
        "current": {
            "type": "object",
            "nullable": True,
            "additionalProperties": True,
            "description": "On 409/412: the record as it is now.",
        },
        "existing": {
            "type": "object",
            "additionalProperties": True,
            "description": "On a duplicate: the record that already exists.",
        },
    },
}

EXAMPLES = {
    "400": ("The request is not valid", "validation"),
    "401": ("No valid token or session", "not_authenticated"),
    "403": (
        "Not allowed: a read-only token, or a role without this permission",
        "permission_denied",
    ),
    "404": ("Not found, or not visible to you", "not_found"),
    "406": ("Only JSON is offered", "not_acceptable"),
    "409": ("Conflict: a duplicate, or the record changed meanwhile", "conflict"),
    "412": ("The If-Match version is stale; `current` holds the record now", "precondition_failed"),
    "413": ("The upload is too large", "payload_too_large"),
    "415": ("Unsupported request media type", "unsupported_media_type"),
    "422": ("A rule of the plan refused the change (see `errors[].field`)", "domain_rule"),
    "429": ("Rate limit reached; retry after `Retry-After` seconds", "throttled"),
}

WRITE = {"post", "put", "patch", "delete"}


def _codes(method: str, operation: dict[str, Any]) -> list[str]:
    params = operation.get("parameters", [])
    codes = ["400", "401", "403", "406", "429"]
    # A list's cursor that names no page of it is not found, as a path id that names no row.
    names_a_row = any(
        p.get("in") == "path" or (p.get("in"), p.get("name")) == ("query", "cursor") for p in params
    )
    if names_a_row or method in WRITE:
        codes.append("404")
    if method in WRITE:
        codes += ["409", "413", "415", "422"]
    if any(p.get("in") == "header" and p.get("name") == "If-Match" for p in params):
        codes.append("412")
    return codes


def _response(code: str) -> dict[str, Any]:
    description, problem_code = EXAMPLES[code]
    response: dict[str, Any] = {
        "description": description,
        "content": {
            MEDIA_TYPE: {
                "schema": {"$ref": "#/components/schemas/Problem"},
                "example": {
                    "type": f"urn:closing-the-loop:problem:{problem_code}",
                    "title": TITLES[problem_code],
                    "status": int(code),
                    "detail": description + ".",
                    "code": problem_code,
                },
            }
        },
    }
    if code == "401":
        response["headers"] = {"WWW-Authenticate": {"schema": {"type": "string"}}}
    if code == "429":
        response["headers"] = {"Retry-After": {"schema": {"type": "integer"}}}
    return response


def add_problem_responses(result: dict, generator: Any, request: Any, public: bool) -> dict:
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM
    for path in result.get("paths", {}).values():
        for method, operation in path.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            responses = operation.setdefault("responses", {})
            for code in _codes(method, operation):
                responses.setdefault(code, _response(code))
            etag = operation.pop("x-etag", None)
            if etag:
                for status_code in etag:
                    responses[status_code].setdefault("headers", {})["ETag"] = {
                        "schema": {"type": "string"},
                        "description": 'The action\'s version, e.g. "7": send it back in If-Match.',
                    }
    return result


# drf-spectacular writes a decimal's pattern with every digit optional, which lets "" and
# "-" through; the serializers refuse both. One digit at least, before or after the point.
SPECTACULAR_DECIMAL = re.compile(r"^\^-\?\\d\{0,(\d+)\}\(\?:\\\.\\d\{0,(\d+)\}\)\?\$$")


def _decimal_pattern(whole: str, places: str) -> str:
    return rf"^-?(?:\d{{1,{whole}}}(?:\.\d{{0,{places}}})?|\.\d{{1,{places}}})$"


def declare_decimals(result: dict, generator: Any, request: Any, public: bool) -> dict:
    """Decimal strings declared as the serializers read them (see SPECTACULAR_DECIMAL)."""

    def visit(node: Any) -> None:
        if isinstance(node, dict):
            found = SPECTACULAR_DECIMAL.match(str(node.get("pattern", "")))
            if node.get("format") == "decimal" and found:
                node["pattern"] = _decimal_pattern(*found.groups())
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)

    visit(result.get("components", {}))
    return result
