"""Every API error is an RFC 9457 problem document (`application/problem+json`).

    {"type": "urn:closing-the-loop:problem:validation", "title": "The request is not valid",
     "status": 400, "detail": "…", "instance": "/api/v1/actions/", "code": "validation",
     "errors": [{"field": "title", "message": "This field is required.", "code": "required"}]}

`code` is the stable name machines switch on. Extension members: `errors` (which field is
wrong and why), `current` (the record as it is now, on 409/412), `existing` (the record
that makes a request a duplicate).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response

from core.errors import Conflict, DomainError, TooLarge

MEDIA_TYPE = "application/problem+json"
TYPE_PREFIX = "urn:closing-the-loop:problem:"

TITLES = {
    "validation": "The request is not valid",
    "domain_rule": "The change breaks a rule of the plan",
    "conflict": "The record changed since you read it",
    "precondition_failed": "The record changed since you read it (If-Match)",
    "duplicate": "This already exists",
    "not_authenticated": "Authentication is needed",
    "authentication_failed": "Authentication failed",
    "permission_denied": "You may not do this",
    "not_found": "Not found",
    "method_not_allowed": "Method not allowed",
    "not_acceptable": "No acceptable representation",
    "unsupported_media_type": "Unsupported media type",
    "payload_too_large": "The request is too large",
    "throttled": "Too many requests",
    "parse_error": "The request body could not be read",
}

DRF_CODES = {
    exceptions.ValidationError: "validation",
    exceptions.ParseError: "parse_error",
    exceptions.NotAuthenticated: "not_authenticated",
    exceptions.AuthenticationFailed: "authentication_failed",
    exceptions.PermissionDenied: "permission_denied",
    exceptions.NotFound: "not_found",
    exceptions.MethodNotAllowed: "method_not_allowed",
    exceptions.NotAcceptable: "not_acceptable",
    exceptions.UnsupportedMediaType: "unsupported_media_type",
    exceptions.Throttled: "throttled",
}


class Problem(exceptions.APIException):
    """Raised by views for problems that carry extra members (e.g. a duplicate's link)."""

    def __init__(self, *, status_code: int, code: str, detail: str, **extra: Any) -> None:
        super().__init__(detail=detail, code=code)
        self.status_code = status_code
        self.problem_code = code
        self.extra = extra


def problem(
    status_code: int,
    code: str,
    detail: str,
    request: Any = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> Response:
    body = {
        "type": TYPE_PREFIX + code,
        "title": TITLES.get(code, code.replace("_", " ").capitalize()),
        "status": status_code,
        "detail": detail,
        "code": code,
        **extra,
    }
    if request is not None:
        body["instance"] = request.path
    return Response(body, status=status_code, headers=headers, content_type=MEDIA_TYPE)


def flatten(detail: Any, prefix: str = "") -> list[dict[str, Any]]:
    """DRF's nested error details as a flat list of {field, message, code}."""
    if isinstance(detail, dict):
        out: list[dict[str, Any]] = []
        for key, value in detail.items():
            name = "" if key in ("non_field_errors", "__all__") else str(key)
            out += flatten(value, f"{prefix}.{name}" if prefix and name else prefix or name)
        return out
    if isinstance(detail, list):
        if all(not isinstance(item, dict | list) for item in detail):
            return [_error(prefix, item) for item in detail]
        out = []
        for index, value in enumerate(detail):
            out += flatten(value, f"{prefix}.{index}" if prefix else str(index))
        return out
    return [_error(prefix, detail)]


def _error(field: str, message: Any) -> dict[str, Any]:
    return {
        "field": field or None,
        "message": str(message),
        "code": getattr(message, "code", None) or "invalid",
    }


def _conflict(exc: Conflict, context: dict[str, Any]) -> Response:
    view, request = context.get("view"), context.get("request")
    stale = request is not None and "If-Match" in request.headers
    current = view.conflict_body(exc.current) if hasattr(view, "conflict_body") else None
    headers = view.conflict_headers(exc.current) if hasattr(view, "conflict_headers") else None
    code, status_code = ("precondition_failed", 412) if stale else ("conflict", 409)
    return problem(status_code, code, exc.message, request, headers=headers, current=current)


def problem_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's exception handler, answering in problem details for every error it knows."""
    request = context.get("request")
    if isinstance(exc, Conflict):
        return _conflict(exc, context)
    if isinstance(exc, TooLarge):
        errors = [{"field": exc.field, "message": exc.message, "code": "payload_too_large"}]
        return problem(413, "payload_too_large", exc.message, request, errors=errors)
    if isinstance(exc, DomainError):
        errors = [{"field": exc.field, "message": exc.message, "code": "domain_rule"}]
        return problem(422, "domain_rule", exc.message, request, errors=errors)
    if isinstance(exc, Problem):
        return problem(exc.status_code, exc.problem_code, str(exc.detail), request, **exc.extra)
    if isinstance(exc, Http404):
        return problem(404, "not_found", "Not found, or not visible to you.", request)
    if isinstance(exc, DjangoPermissionDenied):
        detail = str(exc) or "You do not have permission to do this."
        return problem(403, "permission_denied", detail, request)
    if isinstance(exc, RequestDataTooBig):
        return problem(413, "payload_too_large", "The request body is too large.", request)
    if isinstance(exc, SuspiciousOperation):
        return problem(400, "validation", "The request is not valid.", request)
    if isinstance(exc, exceptions.APIException):
        return _api_exception(exc, request)
    return None


def _api_exception(exc: exceptions.APIException, request: Any) -> Response:
    code = next((c for cls, c in DRF_CODES.items() if isinstance(exc, cls)), "error")
    headers: dict[str, str] = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))
    status_code = exc.status_code
    if code == "not_authenticated" and not headers.get("WWW-Authenticate"):
        status_code = status.HTTP_401_UNAUTHORIZED
        headers["WWW-Authenticate"] = 'Bearer realm="api"'
    if isinstance(exc, exceptions.ValidationError):
        errors = flatten(exc.detail)
        detail = (
            "; ".join(
                f"{e['field']}: {e['message']}" if e["field"] else e["message"] for e in errors[:5]
            )
            or "The request is not valid."
        )
        return problem(status_code, code, detail, request, headers=headers, errors=errors)
    detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
    return problem(status_code, code, str(detail), request, headers=headers)
