"""Sign-in throttling (django-axes) in front of the other authentication backends."""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.http import HttpRequest


class SignInThrottleBackend(AxesStandaloneBackend):
    """Refuses a locked-out username and address before any password is checked.

    A call without a request (a script, `Client.login()` in tests) has no address to
    count and nothing to throttle: it passes on to the next backend instead of failing.
    Every sign-in over HTTP (the sign-in page, the admin, single sign-on) has one.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
