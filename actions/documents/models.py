"""Generated documents, kept for ever once submitted, and personal calendar feed links."""

from __future__ import annotations

import hashlib
import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.urls import reverse

from core.errors import DomainError
from inspections.models import Inspection

USER = settings.AUTH_USER_MODEL


class DocumentKind(models.TextChoices):
    SUBMISSION = "submission", "Plan submission"
    PROGRESS = "progress", "Progress report"


class DocumentFormat(models.TextChoices):
    DOCX = "docx", "Word"
    PDF = "pdf", "PDF"


CONTENT_TYPES = {
    DocumentFormat.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    DocumentFormat.PDF: "application/pdf",
}


class GenerationStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be generated"
    GENERATING = "generating", "Being generated"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


class SubmittedVersionLocked(DomainError):
    """A submitted version is the record of what was sent: it never changes."""

    def __init__(self) -> None:
        super().__init__("This version was submitted: it cannot be changed or deleted.")


def document_upload_to(instance: DocumentVersion, filename: str) -> str:
    """A random server-side name; people download it under `download_name`."""
    suffix = PurePath(filename).suffix.lower()[:8]
    return f"documents/{uuid.uuid4().hex}{suffix}"


def published_condition() -> models.Q:
    """Published to everyone who sees the plan: a progress report once ready (written for
    cabinet and scrutiny), and the plan as submitted to DfE and Ofsted. Drafts, versions
    being made and failed ones stay with those who produce them. The one definition."""
    return models.Q(kind=DocumentKind.PROGRESS, status=GenerationStatus.READY) | models.Q(
        submitted_at__isnull=False
    )


class DocumentVersionQuerySet(models.QuerySet):
    def submitted(self) -> DocumentVersionQuerySet:
        return self.filter(submitted_at__isnull=False)

    def published(self) -> DocumentVersionQuerySet:
        return self.filter(published_condition())

    # Bulk writes would skip save() and delete(): refuse them on submitted rows too.
    # (The database refuses as well: see migration 0002.)
    def update(self, **kwargs) -> int:
        if self.submitted().exists():
            raise SubmittedVersionLocked()
        return super().update(**kwargs)

    def delete(self):
        if self.submitted().exists():
            raise SubmittedVersionLocked()
        return super().delete()


class DocumentVersion(models.Model):
    """One generated document: the file, its checksum and the snapshot it was built from.

    Writes go through actions.documents.services. Once submitted, a version is never
    updated or deleted: not by save(), not by bulk updates, not by the database.
    """

    plan = models.ForeignKey(
        "plans.Plan", on_delete=models.PROTECT, related_name="document_versions"
    )
    # The source a submission answers (each report has its own statutory submission);
    # empty for the plan-wide documents (progress reports, trackers).
    inspection = models.ForeignKey(
        Inspection,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="document_versions",
    )
    kind = models.CharField(max_length=16, choices=DocumentKind.choices)
    format = models.CharField(max_length=8, choices=DocumentFormat.choices)
    status = models.CharField(
        max_length=16, choices=GenerationStatus.choices, default=GenerationStatus.PENDING
    )
    message = models.CharField(max_length=500, blank=True)
    file = models.FileField(upload_to=document_upload_to, blank=True)
    download_name = models.CharField(max_length=200)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    snapshot = models.JSONField()
    is_draft = models.BooleanField(default=False)
    action_count = models.PositiveIntegerField(default=0)
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    notify_when_ready = models.BooleanField(default=False)
    generated_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    # Handing the generation to a worker and a worker's claim on it: the rule reminders
    # and webhook deliveries follow (core.work_queue), so a generation whose worker died is
    # taken over once its claim is older than DOCUMENTS_STALE_GENERATION_SECONDS.
    enqueued_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claim_token = models.UUIDField(null=True, blank=True, editable=False)
    attempts = models.PositiveIntegerField(default=0)
    generated_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = DocumentVersionQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [
            models.Index(fields=["plan", "kind", "requested_at"]),
            models.Index(fields=["inspection", "kind", "requested_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(submitted_at__isnull=True, submitted_by__isnull=True)
                | models.Q(
                    submitted_at__isnull=False,
                    kind=DocumentKind.SUBMISSION,
                    status=GenerationStatus.READY,
                    is_draft=False,
                ),
                name="documentversion_only_complete_ready_plans_submitted",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_format_display()}) #{self.pk}"

    def save(self, *args, **kwargs) -> None:
        if self._state.adding and self.submitted_at is not None:
            raise DomainError("A version is marked submitted only after it is generated.")
        if not self._state.adding and type(self).objects.filter(pk=self.pk).submitted().exists():
            raise SubmittedVersionLocked()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("documents-version", args=[self.pk])

    def delete(self, *args, **kwargs):
        if type(self).objects.filter(pk=self.pk).submitted().exists():
            raise SubmittedVersionLocked()
        return super().delete(*args, **kwargs)

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None

    @property
    def is_published(self) -> bool:
        """Published to everyone who sees the plan (published_condition)."""
        ready_progress = (
            self.kind == DocumentKind.PROGRESS and self.status == GenerationStatus.READY
        )
        return ready_progress or self.submitted_at is not None

    @property
    def is_finished(self) -> bool:
        return self.status in (GenerationStatus.READY, GenerationStatus.FAILED)

    @property
    def is_stale(self) -> bool:
        """Being generated (or handed to a worker) for longer than any run takes: the
        worker died. The sweep takes it over; the page offers to generate it again."""
        from django.utils import timezone

        from .conf import stale_generation_seconds

        if self.status not in (GenerationStatus.PENDING, GenerationStatus.GENERATING):
            return False
        held_since = self.claimed_at or self.enqueued_at
        if held_since is None:
            return False
        return (timezone.now() - held_since).total_seconds() > stale_generation_seconds()

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.format]


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class CalendarFeed(models.Model):
    """A person's secret calendar link. Only a hash of the token is stored: the link is
    shown once, when made; making a new one ends the old one."""

    user = models.OneToOneField(USER, on_delete=models.CASCADE, related_name="calendar_feed")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Calendar feed of {self.user}"
