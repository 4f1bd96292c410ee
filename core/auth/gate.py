"""Which signed-in sessions may use the service, as far as two-step verification goes.

Run on every request by core.middleware.TwoStepVerificationMiddleware:

- single sign-on sessions pass: the identity provider did the checking;
- sessions verified with a code (django-otp's `is_verified()`) pass;
- a password-only session of someone who has two-step verification on did not come
  through the code page (a way in this project does not know of): it is ended, and the
  request goes on as anonymous;
- someone whose role needs two-step verification (TWO_FACTOR_REQUIRED_ROLES) and who
  has not set it up is sent to set it up, and may reach nothing else but signing out.
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from . import two_step

# Set once a password-only session has been seen to belong to someone without
# two-step verification, so the devices are not looked up on every request.
CHECKED = "two_step_checked"
NOT_COMPLETED = "two-step verification not completed"
OPEN_WHILE_REQUIRED = ("two-step", "two-step-set-up", "logout", "accessibility")


def gate(request: HttpRequest) -> HttpResponse | None:
    """None to let the request through, or the response that stops it."""
    user = request.user
    if not user.is_authenticated or two_step.signed_in_with_single_sign_on(request):
        return None
    if user.is_verified():
        return None
    if not request.session.get(CHECKED):
        if two_step.is_on(user):
            request.sign_out_reason = NOT_COMPLETED
            logout(request)
            return None
        request.session[CHECKED] = True
    if two_step.is_required(user) and request.path_info not in _open_paths():
        return _set_up_first(request)
    return None


def _open_paths() -> set[str]:
    return {reverse(name) for name in OPEN_WHILE_REQUIRED}


def _set_up_first(request: HttpRequest) -> HttpResponse:
    detail = "Set up two-step verification before using the service."
    if request.path_info.startswith("/api/"):
        body = {
            "type": "urn:closing-the-loop:problem:two_step_required",
            "title": "Two-step verification required",
            "status": 403,
            "detail": f"{detail} Sign in to the website to do so.",
            "code": "two_step_required",
            "instance": request.path,
        }
        return HttpResponse(json.dumps(body), status=403, content_type="application/problem+json")
    messages.info(request, f"Your role needs two-step verification. {detail}")
    return redirect("two-step-set-up")
