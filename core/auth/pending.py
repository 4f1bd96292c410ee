"""Between a correct password and the code: the half-signed-in state.

Nothing of Django's sign-in is stored until the code is accepted: the session holds
only who is being asked, how the password was checked, when, and where to go next. So
`request.user` stays anonymous for every page, the admin and the API (session
authentication included) until `finish()` calls Django's `login()`, which gives the
session a new key. The state lapses after TWO_FACTOR_PENDING_SECONDS.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

import django_otp
from django.conf import settings
from django.contrib.auth import login
from django.http import HttpRequest
from django_otp.models import Device

from core.models import User

from .client_ip import client_ip

logger = logging.getLogger("core.auth")

PENDING = "two_step_pending"


class Expired(Exception):
    """The code came too late: the person must give their password again."""


@dataclass(frozen=True)
class PendingSignIn:
    user: User
    backend: str
    redirect_to: str


def begin(request: HttpRequest, user: User, *, redirect_to: str) -> None:
    """Remember who gave a correct password; they are not signed in yet."""
    # A new key now as well as at the end: a session id planted before the password was
    # typed cannot be used to submit codes.
    request.session.cycle_key()
    request.session[PENDING] = {
        "user": user.pk,
        "backend": user.backend,
        "at": int(time.time()),
        "next": redirect_to,
    }
    ip = client_ip(request)
    logger.info(
        "sign-in password accepted, code requested: username=%r ip=%s",
        user.get_username(),
        ip,
        extra={"event": "sign_in_code_requested", "username": user.get_username(), "ip": ip},
    )


def current(request: HttpRequest) -> PendingSignIn | None:
    """Who is being asked for a code, or None. Raises Expired (and forgets them) when
    too much time has passed."""
    data = request.session.get(PENDING)
    if not data:
        return None
    if time.time() - data["at"] >= settings.TWO_FACTOR_PENDING_SECONDS:
        del request.session[PENDING]
        raise Expired
    user = User.objects.filter(pk=data["user"], is_active=True).first()
    if user is None:
        del request.session[PENDING]
        return None
    return PendingSignIn(user=user, backend=data["backend"], redirect_to=data["next"])


def finish(request: HttpRequest, pending: PendingSignIn, device: Device) -> None:
    """Sign the person in (new session key) and record the device that verified them."""
    del request.session[PENDING]
    # Read by core.auth.events, which logs and audits the sign-in with its way in.
    request.two_step_device = device
    login(request, pending.user, backend=pending.backend)
    django_otp.login(request, device)
