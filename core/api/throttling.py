"""Rate limits per API token (per person for browser sessions, per address otherwise).

Rates come from settings (API_THROTTLE_*_RATE), read on every request so they can be
changed per deployment and in tests.
"""

from __future__ import annotations

import logging

from django.conf import settings
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

from .scope import token_of

logger = logging.getLogger(__name__)


class ClientRateThrottle(SimpleRateThrottle):
    scope = "client"

    def __init__(self) -> None:  # the rate depends on the request: see allow_request
        pass

    def allow_request(self, request: Request, view: object) -> bool:
        token = token_of(request)
        if token is not None:
            self.rate = settings.API_THROTTLE_TOKEN_RATE
        elif request.user and request.user.is_authenticated:
            self.rate = settings.API_THROTTLE_USER_RATE
        else:
            self.rate = settings.API_THROTTLE_ANON_RATE
        self.num_requests, self.duration = self.parse_rate(self.rate)
        try:
            return super().allow_request(request, view)
        except Exception:  # the shared cache (Redis) is down: serve rather than fail
            logger.warning("Rate limit cache unavailable; request allowed without a limit")
            return True

    def get_cache_key(self, request: Request, view: object) -> str:
        token = token_of(request)
        if token is not None:
            return f"api-throttle:token:{token.pk}"
        if request.user and request.user.is_authenticated:
            return f"api-throttle:user:{request.user.pk}"
        return f"api-throttle:anon:{self.get_ident(request)}"
