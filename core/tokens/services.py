"""Creating, revoking and recording the use of API tokens (admin, command line, API)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core import audit
from core.errors import DomainError
from core.models import Organisation, User

from .models import ApiToken, Scope, hash_secret, new_secret


def default_expiry() -> dt.datetime:
    return timezone.now() + dt.timedelta(days=settings.API_TOKEN_DEFAULT_DAYS)


@transaction.atomic
def create_token(
    *,
    name: str,
    user: User,
    scope: str,
    organisation: Organisation | None = None,
    expires_at: dt.datetime | None = None,
    created_by: User | None = None,
) -> tuple[ApiToken, str]:
    """A new token and its secret. The secret is not stored: show it now or never."""
    name = name.strip()
    if not name:
        raise DomainError("Enter the name of the system that will use the token.", field="name")
    if scope not in Scope.values:
        raise DomainError("Choose read or read-write.", field="scope")
    if not user.is_active:
        raise DomainError("The token's owner must be an active person.", field="user")
    expires_at = expires_at or default_expiry()
    if expires_at <= timezone.now():
        raise DomainError("The expiry must be in the future.", field="expires_at")
    secret = new_secret()
    token = ApiToken.objects.create(
        name=name[:100],
        user=user,
        scope=scope,
        organisation=organisation,
        prefix=secret[:12],
        secret_hash=hash_secret(secret),
        expires_at=expires_at,
        created_by=created_by,
    )
    audit.record(
        actor=created_by,
        verb="create_api_token",
        obj=token,
        summary=str(token),
        after={
            "user": user.pk,
            "scope": scope,
            "organisation": organisation and organisation.pk,
            "expires_at": expires_at.isoformat(),
        },
    )
    return token, secret


@transaction.atomic
def revoke_token(*, token: ApiToken, by: User | None) -> ApiToken:
    """From now on the token authenticates nothing; the row stays as a record."""
    updated = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=by
    )
    if updated:
        audit.record(actor=by, verb="revoke_api_token", obj=token, summary=str(token))
    token.refresh_from_db()
    return token


def find_usable(secret: str) -> ApiToken | None:
    """The token with this secret, its owner loaded, if it is neither revoked nor expired.

    Read from the database on every request, so that revoking a token, its expiry and any
    change to its owner apply at once.
    """
    return (
        ApiToken.objects.usable()
        .select_related("user")
        .filter(secret_hash=hash_secret(secret))
        .first()
    )


def note_use(token: ApiToken) -> None:
    """Record when the token was last used, at most once a minute per token.

    A conditional update: busy systems do not write a row on every request.
    """
    now = timezone.now()
    if token.last_used_at and now - token.last_used_at < dt.timedelta(seconds=60):
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now
