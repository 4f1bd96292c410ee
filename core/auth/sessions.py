"""Session rules (OWASP ASVS level 2, section 3).

- A new session on sign-in: Django's `login()` gives the session a new key.
- Signing out ends the session: `logout()` deletes it from the store.
- Inactivity: SESSION_IDLE_TIMEOUT seconds without a request end a signed-in session.
- Absolute limit: SESSION_COOKIE_AGE seconds after signing in, however active. Django
  normally slides the expiry forward each time the session is saved; `start()` pins it
  to a date instead, and `enforce_timeouts()` checks the sign-in time as well.
- Deactivating a person ends every session they have (`end_sessions`).
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, get_user_model, logout
from django.db import transaction
from django.db.models.signals import post_save
from django.http import HttpRequest
from django.utils import timezone

logger = logging.getLogger("core.auth")

SIGNED_IN_AT = "signed_in_at"
LAST_SEEN = "last_seen"
# Record activity at most this often, so an active person's session is not written to
# the database on every request.
TOUCH_EVERY = 60

IDLE = "no activity for too long"
ABSOLUTE = "session too old"


def start(request: HttpRequest) -> None:
    """Called on every sign-in (core.auth.events)."""
    now = int(time.time())
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_SEEN] = now
    request.session.set_expiry(timezone.now() + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE))


def expired_reason(session: Any, now: float) -> str | None:
    signed_in_at = session.get(SIGNED_IN_AT)
    last_seen = session.get(LAST_SEEN, signed_in_at)
    if signed_in_at is None or now - signed_in_at >= settings.SESSION_COOKIE_AGE:
        # A signed-in session without a sign-in time predates these rules: end it too.
        return ABSOLUTE
    if now - last_seen >= settings.SESSION_IDLE_TIMEOUT:
        return IDLE
    return None


def enforce_timeouts(request: HttpRequest) -> None:
    """Sign out a session past either limit (the request goes on as anonymous and the
    page asks the person to sign in again); otherwise note the activity."""
    session = getattr(request, "session", None)
    if session is None or SESSION_KEY not in session:
        return
    now = time.time()
    reason = expired_reason(session, now)
    if reason is None:
        if now - session.get(LAST_SEEN, 0) >= TOUCH_EVERY:
            session[LAST_SEEN] = int(now)
        return
    request.sign_out_reason = reason
    logout(request)
    minutes = settings.SESSION_IDLE_TIMEOUT // 60
    text = (
        f"You have been signed out because you were inactive for {minutes} minutes."
        if reason == IDLE
        else "You have been signed out because your session reached its time limit."
    )
    if hasattr(request, "_messages"):
        messages.info(request, f"{text} Sign in again to continue.")


def end_sessions(user_id: int, *, keep: str | None = None) -> int:
    """Delete every stored session of one person (but `keep`, a session key); returns
    how many.

    Session data is opaque to the database, so this reads each unexpired session. That
    is quick for the few hundred sessions a council has at once. With a session engine
    that cannot be listed (signed cookies), the sessions stay but are useless: Django
    refuses inactive people on every request."""
    engine = import_module(settings.SESSION_ENGINE)
    store = engine.SessionStore
    if not hasattr(store, "get_model_class"):
        logger.warning("sessions of user %s not ended: %s cannot list sessions", user_id, engine)
        return 0
    model = store.get_model_class()
    ended = 0
    wanted = str(user_id)
    for session in model.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.session_key != keep and session.get_decoded().get(SESSION_KEY) == wanted:
            store(session.session_key).delete()
            ended += 1
    return ended


def _user_saved(
    sender: Any, instance: Any, created: bool, update_fields: Any = None, **kwargs: Any
) -> None:
    if created or instance.is_active:
        return
    if update_fields is not None and "is_active" not in update_fields:
        return
    user_id = instance.pk
    transaction.on_commit(lambda: end_sessions(user_id))


def connect() -> None:
    post_save.connect(_user_saved, sender=get_user_model(), dispatch_uid="core.auth.sessions")
