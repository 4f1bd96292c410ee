"""The API's gate: signed in (token or session), active, and a token's scope respected.

Object-level rules are not here: views look objects up in what the person can see
(outsiders get 404) and ask plans.permissions.can() before every change (403), exactly
as the pages do.
"""

from __future__ import annotations

from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

from .scope import token_of


class ApiAccess(BasePermission):
    message = "This token is read only: it cannot change anything."

    def has_permission(self, request: Request, view: object) -> bool:
        user = request.user
        if not (user and user.is_authenticated and user.is_active):
            return False
        token = token_of(request)
        return not (token and token.is_read_only and request.method not in SAFE_METHODS)
