"""Creating, revoking and recording the use of API tokens (admin, command line, API)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from typing import Any

from django.conf import settings
from django.db import connection, transaction
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
    change to its owner apply at once. One fixed, parameterised query written from the
    models' fields: through the ORM, building and compiling the same query on every
    request took longer than the database took to answer it. It means exactly
    `ApiToken.objects.usable().select_related("user")` (tests/api/test_tokens.py).
    """
    lookup = _usable_token_lookup(connection.vendor)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(lookup.sql, [hash_secret(secret), now])
        row = cursor.fetchone()
    if row is None:
        return None
    values = list(row)
    for index, converters, column in lookup.converters:
        for convert in converters:
            values[index] = convert(values[index], column, connection)
    split = len(lookup.token_fields)
    token = ApiToken.from_db(connection.alias, lookup.token_fields, values[:split])
    token.user = lookup.user_model.from_db(connection.alias, lookup.user_fields, values[split:])
    return token


@dataclasses.dataclass(frozen=True)
class _Lookup:
    sql: str
    token_fields: list[str]
    user_model: type[User]
    user_fields: list[str]
    converters: list[tuple[int, list, Any]]  # as the ORM applies them to what it reads


@functools.cache
def _usable_token_lookup(vendor: str) -> _Lookup:
    """The query and how to read its row, once per database vendor (quoting and value
    converters depend on it)."""
    name = connection.ops.quote_name
    user_model = ApiToken._meta.get_field("user").related_model
    token, user = ApiToken._meta, user_model._meta
    read = [("t", field) for field in token.concrete_fields]
    read += [("u", field) for field in user.concrete_fields]
    converters = []
    for index, (alias, field) in enumerate(read):
        column = field.get_col(alias)
        found = connection.ops.get_db_converters(column) + field.get_db_converters(connection)
        if found:
            converters.append((index, found, column))

    def where(field_name: str) -> str:
        return "t." + name(token.get_field(field_name).column)

    # Names come from the models, quoted; the secret's hash and the time are parameters.
    sql = (
        "SELECT "  # noqa: S608
        + ", ".join(f"{alias}.{name(field.column)}" for alias, field in read)
        + f" FROM {name(token.db_table)} t"
        + f" JOIN {name(user.db_table)} u ON u.{name(user.pk.column)} = {where('user')}"
        + f" WHERE {where('secret_hash')} = %s AND {where('revoked_at')} IS NULL"
        + f" AND {where('expires_at')} > %s"
    )
    return _Lookup(
        sql=sql,
        token_fields=[field.attname for field in token.concrete_fields],
        user_model=user_model,
        user_fields=[field.attname for field in user.concrete_fields],
        converters=converters,
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
