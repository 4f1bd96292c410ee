"""Middleware for operations and sessions: request ids, a plain 503 page when the
database is down, and the session timeouts of docs/security.md."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable
from typing import Any

from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from .logging import bind_request_id, clean_request_id, unbind_request_id

logger = logging.getLogger("core.operations")

DATABASE_ERRORS = (OperationalError, InterfaceError)
REQUEST_ID_HEADER = "X-Request-ID"

# The 503 page loads only our stylesheet; nothing else is allowed on it.
_UNAVAILABLE_CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; font-src 'self'; "
    "base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)


class RequestIdMiddleware:
    """Takes the caller's X-Request-ID (or makes one), binds it for every log line
    written during the request, and returns it in the response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = clean_request_id(request.headers.get(REQUEST_ID_HEADER))
        request.request_id = request_id
        token = bind_request_id(request_id)
        try:
            response = self.get_response(request)
        finally:
            unbind_request_id(token)
        response[REQUEST_ID_HEADER] = request_id
        return response


def database_unavailable_response(request: HttpRequest, exc: BaseException) -> HttpResponse:
    """A plain 503 page (problem details for the API). It renders without the request:
    the context processors and the signed-in person need the very database that is down."""
    logger.warning(
        "database unavailable: %s",
        exc.__class__.__name__,
        extra={"event": "database_unavailable", "path": request.path},
    )
    if request.path.startswith("/api/"):
        body = json.dumps(
            {
                "type": "urn:closing-the-loop:problem:service_unavailable",
                "title": "Service unavailable",
                "status": 503,
                "detail": "The database cannot be reached. Try again in a few minutes.",
                "code": "service_unavailable",
                "instance": request.path,
            }
        )
        response = HttpResponse(body, status=503, content_type="application/problem+json")
    else:
        response = HttpResponse(render_to_string("errors/503.html"), status=503)
    response["Retry-After"] = "30"
    response["Cache-Control"] = "no-store"
    response["Content-Security-Policy"] = _UNAVAILABLE_CSP
    return response


@receiver(got_request_exception)
def _remember_exception(sender: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
    # Django turns an exception raised inside a middleware into a 500 response before the
    # outer middleware sees it; remember the exception so the 500 can become a 503.
    if request is not None:
        request._unhandled_exception = sys.exc_info()[1]


class DatabaseUnavailableMiddleware:
    """The database is down or unreachable: answer 503 with a page that says so, never a
    traceback, and let the next request try again (connections are re-made per request)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        exc = getattr(request, "_unhandled_exception", None)
        if response.status_code == 500 and isinstance(exc, DATABASE_ERRORS):
            return database_unavailable_response(request, exc)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, DATABASE_ERRORS):
            return database_unavailable_response(request, exception)
        return None


class SessionTimeoutMiddleware:
    """Ends a signed-in session after inactivity or at its absolute limit
    (core.auth.sessions); must come after the session, auth and messages middleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from .auth.sessions import enforce_timeouts

        try:
            enforce_timeouts(request)
        except DATABASE_ERRORS as exc:
            return database_unavailable_response(request, exc)
        return self.get_response(request)


class TwoStepVerificationMiddleware:
    """Ends password-only sessions that skipped the code and keeps people whose role
    needs two-step verification on its setup page (core.auth.gate); must come after
    django-otp's OTPMiddleware and SessionTimeoutMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from .auth.gate import gate

        try:
            stopped = gate(request)
        except DATABASE_ERRORS as exc:
            return database_unavailable_response(request, exc)
        return stopped or self.get_response(request)
