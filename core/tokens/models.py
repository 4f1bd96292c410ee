"""API tokens: one per council system, created and revoked by an administrator.

Only a SHA-256 hash of the secret is stored; the token itself is shown once, when it is
created. A token carries the permissions of its owner, narrowed by its scope (read only
or read-write) and optionally by one local authority.
"""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

from core.models import Organisation

PREFIX = "ctl_"


class Scope(models.TextChoices):
    READ = "read", "Read only"
    READ_WRITE = "read-write", "Read and write"


def hash_secret(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_secret() -> str:
    """256 random bits; the prefix lets secret scanners and people recognise a token."""
    return PREFIX + secrets.token_urlsafe(32)


class ApiTokenQuerySet(models.QuerySet):
    def usable(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class ApiToken(models.Model):
    name = models.CharField(
        max_length=100, help_text="The system that uses it, e.g. 'Performance dashboard'."
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        help_text="The token acts with this person's roles and sees what they see.",
    )
    scope = models.CharField(max_length=10, choices=Scope.choices, default=Scope.READ)
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        help_text="Limit the token to this local authority's plans (leave empty for all the "
        "plans its owner can see).",
    )
    prefix = models.CharField(max_length=12, editable=False, help_text="Start of the token.")
    secret_hash = models.CharField(max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "API token"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_read_only(self) -> bool:
        return self.scope != Scope.READ_WRITE

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()
