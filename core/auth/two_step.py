"""Two-step verification for local accounts, built on django-otp.

A person has at most one authenticator app (a TOTP device, RFC 6238) and one set of
one-time recovery codes (a static device whose tokens are deleted as they are used).
The app only counts once it is confirmed with a code from it, so a half-finished setup
never locks anybody out.

Wrong codes are throttled by django-otp on the device, in the database: each failure
doubles the wait before the next code is even checked (1, 2, 4, 8… seconds), whichever
session or address the codes come from. A code from the app cannot be used twice.

People who sign in with single sign-on do not use this: their identity provider asks
for the second factor (docs/security.md).
"""

from __future__ import annotations

import datetime as dt
import math
from base64 import b32encode

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from core import audit
from core.errors import DomainError
from core.models import User
from core.roles import roles_of

from . import sessions
from .events import SINGLE_SIGN_ON_BACKEND

APP_NAME = "Authenticator app"
RECOVERY_NAME = "Recovery codes"
APP_CODE_DIGITS = 6


class WrongCode(DomainError):
    """The code was not accepted (wrong, already used, or no such device)."""

    def __init__(self, message: str = "The code is not right. Check it and try again.") -> None:
        super().__init__(message, field="code")


class TooManyAttempts(DomainError):
    """Too many wrong codes in a row: django-otp refuses to check another one yet."""

    def __init__(self, until: dt.datetime) -> None:
        self.until = until
        seconds = max(1, math.ceil((until - timezone.now()).total_seconds()))
        wait = f"{seconds} seconds" if seconds < 120 else f"{math.ceil(seconds / 60)} minutes"
        super().__init__(
            f"Too many wrong codes. Wait {wait}, then try again with a new code.", field="code"
        )


def app_device(user: User) -> TOTPDevice | None:
    """The person's confirmed authenticator app, if they have turned this on."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def is_on(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def is_required(user: User) -> bool:
    """True when the policy (TWO_FACTOR_REQUIRED_ROLES) asks it of one of their roles."""
    required = set(settings.TWO_FACTOR_REQUIRED_ROLES)
    return bool(required) and any(role.value in required for role in roles_of(user))


def signed_in_with_single_sign_on(request: HttpRequest) -> bool:
    return request.session.get(BACKEND_SESSION_KEY) == SINGLE_SIGN_ON_BACKEND


def is_local_account(user: User) -> bool:
    """People made by single sign-on have no usable password and nothing to protect here."""
    return user.has_usable_password()


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def manual_key(device: TOTPDevice) -> str:
    """The secret in base32, in groups of four, for typing into an app by hand."""
    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def _normalise(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def _verify(model: type[Device], user: User, code: str, *, confirmed: bool = True) -> Device:
    """Check one code against the person's device of one kind. The row is locked so two
    requests cannot both use one code, and a failure is committed (it counts towards the
    throttling) before WrongCode is raised."""
    until = None
    with transaction.atomic():
        device = model.objects.select_for_update().filter(user=user, confirmed=confirmed).first()
        if device is None:
            accepted = False
        else:
            allowed, info = device.verify_is_allowed()
            if allowed:
                accepted = device.verify_token(code)
            else:
                accepted, until = False, (info or {}).get("locked_until")
    if until is not None:
        raise TooManyAttempts(until)
    if not accepted:
        raise WrongCode()
    return device


def check_code(user: User, code: str) -> Device:
    """The device that accepts `code`: six digits are for the app, anything else is taken
    as a recovery code. Raises WrongCode or TooManyAttempts."""
    code = _normalise(code)
    if not code:
        raise WrongCode("Enter the code.")
    if code.isdigit() and len(code) == APP_CODE_DIGITS:
        return _verify(TOTPDevice, user, code)
    return _verify(StaticDevice, user, code)


def used_recovery_code(device: Device) -> bool:
    return isinstance(device, StaticDevice)


@transaction.atomic
def start_setup(*, user: User) -> TOTPDevice:
    """The app being set up: the same key until it is confirmed, so reloading the page
    does not invalidate what the person has already scanned."""
    if not is_local_account(user):
        raise DomainError("You sign in with your council account: it has its own checks.")
    if is_on(user):
        raise DomainError("Two-step verification is already on.")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=APP_NAME, confirmed=False)


def finish_setup(*, user: User, code: str, keep_session: str | None = None) -> list[str]:
    """Confirm the app with a code from it; returns new recovery codes (shown once).

    The person's other sessions end: they were signed in with the password alone."""
    device = _verify(TOTPDevice, user, _normalise(code), confirmed=False)
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _replace_recovery_codes(user)
        audit.record(
            actor=user, verb="two_step_on", obj=user, summary="Two-step verification turned on"
        )
    user_id = user.pk
    transaction.on_commit(lambda: sessions.end_sessions(user_id, keep=keep_session))
    return codes


def new_recovery_codes(*, user: User, code: str) -> list[str]:
    """Replace every recovery code, after a current code proves it is the person."""
    if not is_on(user):
        raise DomainError("Two-step verification is off.")
    check_code(user, code)
    with transaction.atomic():
        codes = _replace_recovery_codes(user)
        audit.record(
            actor=user,
            verb="recovery_codes_replaced",
            obj=user,
            summary="New recovery codes made; the old ones no longer work",
        )
    return codes


def turn_off(*, user: User, code: str) -> None:
    """Turn it off after a current code (from the app, or a recovery code)."""
    if is_required(user):
        raise DomainError(
            "Your role needs two-step verification, so it cannot be turned off.", field="code"
        )
    if not is_on(user):
        raise DomainError("Two-step verification is already off.")
    check_code(user, code)
    with transaction.atomic():
        remove_devices(user)
        audit.record(
            actor=user, verb="two_step_off", obj=user, summary="Two-step verification turned off"
        )


@transaction.atomic
def reset(*, user: User, by: User) -> bool:
    """An administrator's reset, for someone who lost their phone and recovery codes:
    removes the app and codes and ends the person's sessions. Returns False if there was
    nothing to reset."""
    if not remove_devices(user):
        return False
    audit.record(
        actor=by,
        verb="two_step_reset",
        obj=user,
        summary=f"Two-step verification of {user.get_username()} reset by an administrator",
    )
    user_id = user.pk
    transaction.on_commit(lambda: sessions.end_sessions(user_id))
    return True


def remove_devices(user: User) -> int:
    """Delete the person's app and recovery codes; returns how many devices went."""
    removed = 0
    for model in (TOTPDevice, StaticDevice):
        removed += model.objects.filter(user=user).delete()[1].get(model._meta.label, 0)
    return removed


def _replace_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(settings.TWO_FACTOR_RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes
