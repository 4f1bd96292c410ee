"""A person's personal data (UK GDPR): a copy of it, and its removal.

Export gathers the account and every row anywhere that points at the person (actions
they own or were assigned, progress they wrote, evidence they added, readings, the plans
they lead, wider areas they recorded, repeats they decided, audit entries, reminders,
tokens...), found through the model relations, so a table added later (such as the
plans app's) is included without changing this file.

Removal anonymises instead of deleting: the plan's history (who did what, when) is the
council's record and must stay whole, so actions, progress, evidence and audit entries
keep pointing at the same row, which becomes "Former user <id>" with no name, e-mail,
password, roles or sessions. What they wrote into the plan (progress text, evidence
descriptions) is the council's record and is kept; see docs/security.md.
"""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from typing import Any

from django.apps import apps
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from .audit import record
from .auth.sessions import end_sessions
from .auth.two_step import remove_devices
from .models import AuditEntry, User

# Values that are secrets, not personal data: never exported. ("key" is the secret of
# a two-step verification app; its recovery codes belong to a device, not the person,
# so they are never reached.)
_SECRET_FIELDS = {
    "password",
    "secret_hash",
    "token_hash",
    "claim_token",
    "key",
    "secret",  # webhook signing secrets
    "previous_secret",
}


def _value(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or ""
    return value


def row_as_dict(obj: models.Model) -> dict[str, Any]:
    """Every concrete field of a row, foreign keys as ids, files as stored names (the
    metadata of a file, never its contents), secrets left out."""
    data: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if field.name in _SECRET_FIELDS:
            continue
        data[field.attname] = _value(getattr(obj, field.attname))
    return data


def _relations_to_user() -> list[tuple[type[models.Model], models.Field]]:
    """Every (model, field) in the project that refers to a person."""
    found = []
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if (
                field.is_relation
                and field.concrete
                and field.related_model is User
                and model is not User
                and not field.many_to_many
            ):
                found.append((model, field))
    return sorted(found, key=lambda pair: (pair[0]._meta.label, pair[1].name))


def _sign_in_attempts(username: str) -> list[dict[str, Any]]:
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    rows: list[dict[str, Any]] = []
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        for obj in model.objects.filter(username__iexact=username).order_by("pk"):
            rows.append({"table": model._meta.label, **row_as_dict(obj)})
    return rows


def export_personal_data(user: User) -> dict[str, Any]:
    """Everything the application holds about one person, as JSON-ready data."""
    related: dict[str, list[dict[str, Any]]] = {}
    for model, field in _relations_to_user():
        rows = model._default_manager.filter(**{field.name: user}).order_by("pk")
        if rows.exists():
            related[f"{model._meta.label}.{field.name}"] = [row_as_dict(obj) for obj in rows]
    about = AuditEntry.objects.filter(object_type="core.user", object_id=str(user.pk))
    return {
        "generated_at": timezone.now().isoformat(),
        "account": row_as_dict(user),
        "organisation": user.organisation.name if user.organisation else None,
        "roles": sorted(user.groups.values_list("name", flat=True)),
        "related": related,
        "audit_entries_about_them": [row_as_dict(entry) for entry in about.order_by("pk")],
        "sign_in_attempts": _sign_in_attempts(user.username),
    }


def placeholder_name(user: User) -> str:
    return f"Former user {user.pk}"


@transaction.atomic
def remove_personal_data(user: User, *, actor: User | None = None) -> User:
    """Anonymise a person in place and end their access; the plan's history keeps
    pointing at the same (now anonymous) row."""
    old_username = user.username
    user.username = f"former-user-{user.pk}"
    user.first_name = placeholder_name(user)
    user.last_name = ""
    user.email = ""
    user.job_title = ""
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.set_unusable_password()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
    _revoke_credentials(user)
    _forget_sign_in_attempts(old_username)
    user_id = user.pk
    transaction.on_commit(lambda: end_sessions(user_id))
    record(
        actor=actor,
        verb="personal_data_removed",
        obj=user,
        summary=f"Personal data of user {user.pk} removed; history kept under "
        f"{placeholder_name(user)!r}",
    )
    return user


def _revoke_credentials(user: User) -> None:
    """API tokens and calendar feed links act as the person: revoke them. Their
    two-step verification app and recovery codes go too."""
    remove_devices(user)
    if apps.is_installed("core.tokens"):
        apps.get_model("tokens", "ApiToken").objects.filter(
            user=user, revoked_at__isnull=True
        ).update(revoked_at=timezone.now())
    if apps.is_installed("actions.documents"):
        apps.get_model("documents", "CalendarFeed").objects.filter(user=user).delete()


def _forget_sign_in_attempts(username: str) -> None:
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        model.objects.filter(Q(username__iexact=username)).delete()
