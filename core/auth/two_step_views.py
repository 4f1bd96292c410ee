"""Two-step verification pages: the code asked for after the password, and the account
pages where a person turns it on, gets new recovery codes or turns it off.

Pages that show a secret (the key being set up, recovery codes) are never cached, and
recovery codes are only ever in the response to the form that made them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

import django_otp
import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from core.errors import DomainError

from . import pending, two_step
from .client_ip import client_ip
from .events import record_failure
from .forms import CodeForm

logger = logging.getLogger("core.auth")

WRONG_CODE = "wrong two-step verification code"
THROTTLED = "two-step verification code refused: too many wrong codes"

SIGN_IN_LABEL = "Security code"
SIGN_IN_HINT = (
    "The 6-digit code from your authenticator app. If you cannot use the app, enter one "
    "of your recovery codes instead."
)
CURRENT_CODE_HINT = "The 6-digit code your authenticator app shows now, or a recovery code."


def _refused_on_account_page(request: HttpRequest, error: DomainError) -> None:
    """A wrong code on an account page may be someone else at an unattended computer
    trying to change the person's sign-in: log it like a failed sign-in (no audit entry:
    nobody was signing in)."""
    if isinstance(error, two_step.WrongCode | two_step.TooManyAttempts):
        ip = client_ip(request)
        username = request.user.get_username()
        logger.warning(
            "two-step code refused on %s: username=%r ip=%s",
            request.path,
            username,
            ip,
            extra={"event": "two_step_code_refused", "username": username, "ip": ip},
        )


def _code_form(request: HttpRequest, *, label: str, hint: str, app_only: bool = False) -> CodeForm:
    data = request.POST if request.method == "POST" else None
    return CodeForm(data, label=label, help_text=hint, app_only=app_only)


@never_cache
@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def enter_code(request: HttpRequest) -> HttpResponse:
    """Asked after a correct password when the person has two-step verification on."""
    try:
        state = pending.current(request)
    except pending.Expired:
        messages.info(request, "You took too long to enter the code. Sign in again.")
        return redirect("login")
    if state is None:
        return redirect("login")
    form = _code_form(request, label=SIGN_IN_LABEL, hint=SIGN_IN_HINT)
    status = 200
    if request.method == "POST" and form.is_valid():
        username = state.user.get_username()
        try:
            device = two_step.check_code(state.user, form.cleaned_data["code"])
        except two_step.TooManyAttempts as error:
            record_failure(request, username, THROTTLED)
            form.add_error("code", error.message)
            status = 429
        except two_step.WrongCode as error:
            record_failure(request, username, WRONG_CODE)
            form.add_error("code", error.message)
        else:
            pending.finish(request, state, device)
            if two_step.used_recovery_code(device):
                left = two_step.recovery_codes_left(state.user)
                messages.info(
                    request,
                    f"You used a recovery code: it will not work again. You have {left} left. "
                    "Make new ones from Your settings, Two-step verification.",
                )
            return redirect(state.redirect_to)
    return render(request, "registration/two_step_code.html", {"form": form}, status=status)


def _local_accounts_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """People signed in with single sign-on are shown why this is not for them."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if two_step.signed_in_with_single_sign_on(request) or not two_step.is_local_account(
            request.user
        ):
            return redirect("two-step")
        return view(request, *args, **kwargs)

    return wrapper


@login_required
@never_cache
def overview(request: HttpRequest) -> HttpResponse:
    user = request.user
    single_sign_on = two_step.signed_in_with_single_sign_on(
        request
    ) or not two_step.is_local_account(user)
    context = {"single_sign_on": single_sign_on}
    if not single_sign_on:
        context.update(
            is_on=two_step.is_on(user),
            required=two_step.is_required(user),
            recovery_codes_left=two_step.recovery_codes_left(user),
        )
    return render(request, "core/two_step.html", context)


def _qr_code(text: str) -> str:
    """An SVG QR code as a data: URI for an <img>: no script, no style attribute."""
    return segno.make(text, error="m").svg_data_uri(scale=4, border=4, dark="#0b0c0c", light="#fff")


@login_required
@_local_accounts_only
@never_cache
@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def set_up(request: HttpRequest) -> HttpResponse:
    user = request.user
    try:
        device = two_step.start_setup(user=user)
    except DomainError as error:
        messages.info(request, error.message)
        return redirect("two-step")
    form = _code_form(
        request,
        label="Code from the app",
        hint="Enter the 6-digit code the app shows for this service.",
        app_only=True,
    )
    if request.method == "POST" and form.is_valid():
        try:
            codes = two_step.finish_setup(
                user=user, code=form.cleaned_data["code"], keep_session=request.session.session_key
            )
        except DomainError as error:
            _refused_on_account_page(request, error)
            form.add_error("code", error.message)
        else:
            # This session is the one that proved the app works: it counts as verified.
            django_otp.login(request, two_step.app_device(user))
            messages.success(request, "Two-step verification is on.")
            return render(
                request,
                "core/two_step_recovery_codes.html",
                {"codes": codes, "just_turned_on": True},
            )
    context = {
        "form": form,
        "key": two_step.manual_key(device),
        "qr_code": _qr_code(device.config_url),
    }
    return render(request, "core/two_step_set_up.html", context)


@login_required
@_local_accounts_only
@never_cache
@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def recovery_codes(request: HttpRequest) -> HttpResponse:
    if not two_step.is_on(request.user):
        return redirect("two-step")
    form = _code_form(request, label="Code", hint=CURRENT_CODE_HINT)
    if request.method == "POST" and form.is_valid():
        try:
            codes = two_step.new_recovery_codes(user=request.user, code=form.cleaned_data["code"])
        except DomainError as error:
            _refused_on_account_page(request, error)
            form.add_error("code", error.message)
        else:
            return render(request, "core/two_step_recovery_codes.html", {"codes": codes})
    return render(request, "core/two_step_new_codes.html", {"form": form})


@login_required
@_local_accounts_only
@never_cache
@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def turn_off(request: HttpRequest) -> HttpResponse:
    if not two_step.is_on(request.user):
        return redirect("two-step")
    required = two_step.is_required(request.user)
    form = _code_form(request, label="Code", hint=CURRENT_CODE_HINT)
    if request.method == "POST" and form.is_valid():
        try:
            two_step.turn_off(user=request.user, code=form.cleaned_data["code"])
        except DomainError as error:
            _refused_on_account_page(request, error)
            form.add_error("code", error.message)
        else:
            messages.success(request, "Two-step verification is off.")
            return redirect("two-step")
    return render(request, "core/two_step_turn_off.html", {"form": form, "required": required})
