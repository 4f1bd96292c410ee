"""Single sign-on with OpenID Connect (authorisation code flow with PKCE), built on
mozilla-django-oidc, for a council's identity provider (usually Microsoft Entra ID).

What this adds to the library:
- settings only from the environment; off unless OIDC_RP_CLIENT_ID is set, and then the
  backend and the views do nothing at all;
- endpoints from the provider's discovery document (OIDC_OP_ISSUER), fetched when first
  needed and kept for an hour, unless each endpoint is set;
- the ID token's issuer and audience are checked (the library checks neither);
- people are matched on OIDC_USERNAME_CLAIM (e-mail addresses can be reused), their
  roles and organisation follow the claims (core.auth.provisioning), and someone whose
  groups map to no role is refused.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

import jwt
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from django.db.models import QuerySet
from django.http import HttpRequest
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings

from core.models import User

from .provisioning import apply_claims, roles_from_claims

logger = logging.getLogger("core.auth")

DISCOVERY_TTL = 3600
_ENDPOINTS = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}
_discovered: dict[str, tuple[float, dict[str, Any]]] = {}
_lock = threading.Lock()


class ProviderUnavailable(Exception):
    """The identity provider's discovery document could not be read."""


def discovery(issuer: str) -> dict[str, Any]:
    """The provider's /.well-known/openid-configuration, cached per process."""
    with _lock:
        cached = _discovered.get(issuer)
        if cached and time.monotonic() - cached[0] < DISCOVERY_TTL:
            return cached[1]
    url = f"{issuer}/.well-known/openid-configuration"
    try:
        response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise ProviderUnavailable(f"cannot read {url}: {exc.__class__.__name__}") from exc
    if document.get("issuer", "").rstrip("/") != issuer:
        raise ProviderUnavailable(f"{url} names another issuer: {document.get('issuer')!r}")
    with _lock:
        _discovered[issuer] = (time.monotonic(), document)
    return document


def oidc_setting(attr: str, *args: Any) -> Any:
    """mozilla-django-oidc's settings lookup, with endpoints from discovery."""
    if attr in _ENDPOINTS and not getattr(settings, attr, ""):
        if not settings.OIDC_OP_ISSUER:
            raise ImproperlyConfigured(f"{attr} or OIDC_OP_ISSUER must be set.")
        value = discovery(settings.OIDC_OP_ISSUER).get(_ENDPOINTS[attr])
        if not value:
            raise ProviderUnavailable(f"the discovery document has no {_ENDPOINTS[attr]}")
        return value
    return import_from_settings(attr, *args)


class CouncilAccountBackend(OIDCAuthenticationBackend):
    """Signs in people coming back from the identity provider; inert otherwise."""

    get_settings = staticmethod(oidc_setting)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Django builds every backend for every sign-in, password ones included: read the
        # provider's settings (and maybe its discovery document) only when signing in here.
        self.UserModel = get_user_model()

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> User | None:
        if not settings.OIDC_ENABLED or request is None:
            return None
        if "code" not in request.GET or "state" not in request.GET:
            return None
        super().__init__()
        try:
            return super().authenticate(request, **kwargs)
        except SuspiciousOperation as exc:
            # A forged, misdirected or stale token: refuse, record, no error page.
            logger.warning("single sign-on: %s", exc)
            request.sign_in_failure_reason = f"single sign-on refused: {exc}"
            return None

    def get_user(self, user_id: int) -> User | None:
        # The library's version skips the is_active check: use Django's.
        return ModelBackend.get_user(self, user_id)

    # The ID token: signature (library), then issuer, audience, expiry and times here.
    def get_payload_data(self, token: bytes | str, key: Any) -> dict[str, Any]:
        header = jwt.get_unverified_header(token)
        if header.get("alg") != self.OIDC_RP_SIGN_ALGO:
            raise SuspiciousOperation("The ID token is signed with an unexpected algorithm.")
        issuer = settings.OIDC_OP_ISSUER or None
        try:
            return jwt.decode(
                token,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=issuer,
                leeway=60,
                options={"require": ["exp", "iat", "aud", "sub"], "verify_iss": bool(issuer)},
            )
        except jwt.InvalidTokenError as exc:
            raise SuspiciousOperation(f"ID token refused: {exc}") from exc

    def get_userinfo(self, access_token: str, id_token: str, payload: dict) -> dict[str, Any]:
        """The ID token's claims with the userinfo endpoint's on top. Groups usually come
        only in the ID token (Entra ID); the subject must be the same person in both."""
        claims = dict(payload)
        userinfo = super().get_userinfo(access_token, id_token, payload)
        if userinfo.get("sub") not in (None, payload.get("sub")):
            raise SuspiciousOperation("userinfo is about another subject")
        claims.update({k: v for k, v in userinfo.items() if v not in (None, "")})
        return claims

    def _username(self, claims: dict[str, Any]) -> str:
        value = claims.get(settings.OIDC_USERNAME_CLAIM) or claims.get("email") or ""
        return str(value).strip().lower()[:150]

    def _refuse(self, claims: dict[str, Any], reason: str) -> None:
        request = getattr(self, "request", None)
        if request is not None:
            request.sign_in_failure_reason = f"single sign-on refused: {reason}"
            request.sign_in_failure_username = self._username(claims)

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        if not self._username(claims):
            self._refuse(claims, f"no {settings.OIDC_USERNAME_CLAIM} claim")
            return False
        if not roles_from_claims(claims):
            self._refuse(claims, "no group maps to a role")
            return False
        return True

    def filter_users_by_claims(self, claims: dict[str, Any]) -> QuerySet[User]:
        return self.UserModel.objects.filter(username__iexact=self._username(claims))

    def create_user(self, claims: dict[str, Any]) -> User:
        user = self.UserModel(username=self._username(claims))
        user.set_unusable_password()
        return apply_claims(user, claims, roles_from_claims(claims))

    def update_user(self, user: User, claims: dict[str, Any]) -> User | None:
        if not user.is_active:
            self._refuse(claims, "the account is deactivated")
            return None
        return apply_claims(user, claims, roles_from_claims(claims))

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict) -> User | None:
        user = super().get_or_create_user(access_token, id_token, payload)
        if user is None and not getattr(self.request, "sign_in_failure_reason", None):
            self._refuse(payload, "no account and OIDC_CREATE_USER is off")
        return user
