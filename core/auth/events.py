"""Every sign-in, failed sign-in and sign-out: a log line and an audit entry.

Never the password: only the username that was typed, the address and the way in.
Django sends the signals for every way in (the sign-in page, the admin, single sign-on),
so one place records them all.
"""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.http import HttpRequest
from django_otp.plugins.otp_static.models import StaticDevice

from core.models import AuditEntry, User

from . import sessions
from .client_ip import client_ip

logger = logging.getLogger("core.auth")

SIGN_IN = "sign_in"
SIGN_IN_FAILED = "sign_in_failed"
SIGN_OUT = "sign_out"
USER_OBJECT_TYPE = "core.user"
SINGLE_SIGN_ON_BACKEND = "core.auth.oidc.CouncilAccountBackend"
_MAX_USERNAME = 150


def _record(
    *, verb: str, actor: User | None, user_id: int | None, summary: str, ip: str | None
) -> AuditEntry:
    return AuditEntry.objects.create(
        actor=actor,
        verb=verb,
        object_type=USER_OBJECT_TYPE,
        object_id=str(user_id) if user_id is not None else "",
        summary=summary[:500],
        ip=ip,
    )


def way_in(user: User, request: HttpRequest | None = None) -> str:
    if getattr(user, "backend", "") == SINGLE_SIGN_ON_BACKEND:
        return "single sign-on"
    device = getattr(request, "two_step_device", None)
    if device is not None:
        second = "recovery code" if isinstance(device, StaticDevice) else "authenticator app"
        return f"password and {second}"
    return "password"


def signed_in(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    ip = client_ip(request)
    method = way_in(user, request)
    logger.info(
        "sign-in succeeded: username=%r ip=%s method=%s",
        user.get_username(),
        ip,
        method,
        extra={"event": SIGN_IN, "username": user.get_username(), "ip": ip, "method": method},
    )
    _record(verb=SIGN_IN, actor=user, user_id=user.pk, summary=f"Signed in ({method})", ip=ip)
    if request is not None and hasattr(request, "session"):
        sessions.start(request)


def record_failure(request: HttpRequest | None, username: str | None, reason: str) -> None:
    """A sign-in that did not succeed, whatever the way in."""
    username = (username or "")[:_MAX_USERNAME]
    ip = client_ip(request)
    locked = bool(getattr(request, "axes_locked_out", False))
    logger.warning(
        "sign-in failed: username=%r ip=%s reason=%s locked_out=%s",
        username,
        ip,
        reason,
        locked,
        extra={
            "event": SIGN_IN_FAILED,
            "username": username,
            "ip": ip,
            "reason": reason,
            "locked_out": locked,
        },
    )
    user_id = None
    if username:
        user_id = (
            get_user_model()
            .objects.filter(username__iexact=username)
            .values_list("pk", flat=True)
            .first()
        )
    summary = f"Sign-in failed for username {username!r}: {reason}" if username else reason
    if locked:
        summary += " (locked out)"
    _record(verb=SIGN_IN_FAILED, actor=None, user_id=user_id, summary=summary, ip=ip)


def sign_in_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # Only the username is read: Django masks secrets in `credentials` by name only, and
    # single sign-on passes other values (nonce, code verifier) that are never recorded.
    username = credentials.get("username")
    default = "wrong username or password" if username else "single sign-on refused"
    reason = getattr(request, "sign_in_failure_reason", None) or default
    if not username and request is not None:
        username = getattr(request, "sign_in_failure_username", None)
    record_failure(request, username, reason)


def signed_out(sender: Any, request: HttpRequest, user: User | None, **kwargs: Any) -> None:
    if user is None:
        return
    ip = client_ip(request)
    reason = getattr(request, "sign_out_reason", None) or "signed out"
    logger.info(
        "sign-out: username=%r ip=%s reason=%s",
        user.get_username(),
        ip,
        reason,
        extra={"event": SIGN_OUT, "username": user.get_username(), "ip": ip, "reason": reason},
    )
    _record(verb=SIGN_OUT, actor=user, user_id=user.pk, summary=f"Session ended: {reason}", ip=ip)


def connect() -> None:
    user_logged_in.connect(signed_in, dispatch_uid="core.auth.signed_in")
    user_login_failed.connect(sign_in_failed, dispatch_uid="core.auth.sign_in_failed")
    user_logged_out.connect(signed_out, dispatch_uid="core.auth.signed_out")
