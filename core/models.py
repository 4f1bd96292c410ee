from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models


class Organisation(models.Model):
    """The council and its partners (NHS trusts, police, schools, others)."""

    class Kind(models.TextChoices):
        LOCAL_AUTHORITY = "local_authority", "Local authority"
        NHS = "nhs", "NHS body"
        POLICE = "police", "Police"
        SCHOOL = "school", "School or college"
        SAFEGUARDING_PARTNERSHIP = "safeguarding_partnership", "Safeguarding partnership or board"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=32, choices=Kind.choices, default=Kind.OTHER)
    partner_of = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="partners",
        help_text="Local authorities whose improvement plans this organisation's people may see.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person who signs in. Roles are Django groups (see core.roles)."""

    class ReminderDelivery(models.TextChoices):
        SINGLE = "single", "One e-mail per reminder"
        DIGEST = "digest", "A weekly digest"

    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="people"
    )
    job_title = models.CharField(max_length=200, blank=True)
    reminder_delivery = models.CharField(
        max_length=10, choices=ReminderDelivery.choices, default=ReminderDelivery.SINGLE
    )

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class AuditEntry(models.Model):
    """One change to plan data or one sign-in: who, what, when, before and after.

    Written only by services; never updated or deleted by the application.
    """

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="audit_entries"
    )
    verb = models.CharField(max_length=64)
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64)
    summary = models.CharField(max_length=500, blank=True)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    ip = models.GenericIPAddressField(
        "IP address", null=True, blank=True, help_text="Where a sign-in came from."
    )

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id", "at"])]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return (
            f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.verb} {self.object_type} {self.object_id}"
        )
