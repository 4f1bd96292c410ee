"""Reminders: the live policy, every reminder ever due, and the sweeps that found them.

The `Reminder` table is the schedule and the record at once. A sweep inserts one row per
(recipient, kind, occasion) — the unique constraint makes a second sweep, a second beat
or a retried sweep harmless — and a small task claims the row with a conditional update
before it sends. See docs/reminders.md.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from actions.models import Action
from inspections.models import Inspection


def _days_text(days: list[int]) -> str:
    return ", ".join(str(day) for day in days)


def default_days_before() -> str:
    return _days_text(settings.REMINDER_DAYS_BEFORE)


def default_plan_days_before() -> str:
    return _days_text(settings.REMINDER_PLAN_DAYS_BEFORE)


def default_on_due_date() -> bool:
    return settings.REMINDER_ON_DUE_DATE


def default_overdue_every() -> int:
    return settings.REMINDER_OVERDUE_EVERY


def default_escalate_after() -> int:
    return settings.REMINDER_ESCALATE_AFTER


def default_digest_weekday() -> int:
    return settings.REMINDER_DIGEST_WEEKDAY


def parse_days(text: str) -> list[int]:
    """ "10, 5, 1" → [10, 5, 1]; raises ValidationError on anything but positive integers."""
    try:
        days = sorted({int(part) for part in text.replace(";", ",").split(",") if part.strip()})
    except ValueError as exc:
        raise ValidationError("Use whole numbers of working days separated by commas.") from exc
    if any(day < 1 for day in days):
        raise ValidationError("Each number of working days must be 1 or more.")
    return sorted(days, reverse=True)


def validate_days(text: str) -> None:
    parse_days(text)


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"


class ReminderPolicy(models.Model):
    """The one live reminder policy (a single row), starting from the REMINDER_* settings."""

    days_before = models.CharField(
        max_length=100,
        default=default_days_before,
        validators=[validate_days],
        help_text="Remind the action owner this many working days before the due date, "
        "e.g. 10, 5, 1.",
    )
    on_due_date = models.BooleanField(
        default=default_on_due_date, help_text="Also remind the owner on the due date."
    )
    overdue_every = models.PositiveSmallIntegerField(
        default=default_overdue_every,
        help_text="Remind the owner of an overdue action every this many working days.",
    )
    escalate_after = models.PositiveSmallIntegerField(
        default=default_escalate_after,
        help_text="Tell the assigning director once an action is this many working days overdue.",
    )
    plan_days_before = models.CharField(
        max_length=100,
        default=default_plan_days_before,
        validators=[validate_days],
        help_text="Remind policy officers and directors this many working days before the "
        "plan submission deadline.",
    )
    digest_weekday = models.PositiveSmallIntegerField(
        choices=Weekday.choices,
        default=default_digest_weekday,
        help_text="Day the weekly digest goes to people who prefer one.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "reminder policy"
        constraints = [
            models.CheckConstraint(condition=models.Q(pk=1), name="reminder_policy_single_row"),
            models.CheckConstraint(
                condition=models.Q(overdue_every__gte=1), name="reminder_policy_overdue_every"
            ),
            models.CheckConstraint(
                condition=models.Q(escalate_after__gte=1), name="reminder_policy_escalate_after"
            ),
        ]

    def __str__(self) -> str:
        return "Reminder policy"

    def save(self, *args, **kwargs) -> None:
        self.pk = 1
        super().save(*args, **kwargs)


class Kind(models.TextChoices):
    BEFORE_DUE = "before_due", "Action due soon"
    DUE_TODAY = "due_today", "Action due today"
    OVERDUE = "overdue", "Action overdue"
    ESCALATION = "escalation", "Overdue action escalated"
    PLAN_DUE = "plan_due", "Plan submission due"
    DIGEST = "digest", "Weekly digest"


class ReminderStatus(models.TextChoices):
    PENDING = "pending", "To send"
    HELD = "held", "Waiting for the weekly digest"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Not sent: no longer needed"


class ReminderQuerySet(models.QuerySet):
    def pending(self) -> ReminderQuerySet:
        return self.filter(status=ReminderStatus.PENDING)

    def failed(self) -> ReminderQuerySet:
        return self.filter(status=ReminderStatus.FAILED)


class Reminder(models.Model):
    """One reminder to one person for one occasion; sent at most once (see module doc)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # The business key of the occasion, e.g. "action:12:due:2024-04-02:before:5". It holds
    # the due date, so moving the date starts a new series instead of silencing it.
    occasion = models.CharField(max_length=120)
    action = models.ForeignKey(
        Action, null=True, blank=True, on_delete=models.CASCADE, related_name="reminders"
    )
    inspection = models.ForeignKey(
        Inspection, null=True, blank=True, on_delete=models.CASCADE, related_name="reminders"
    )
    due_date = models.DateField(null=True, blank=True, help_text="The deadline it is about.")
    scheduled_for = models.DateField(help_text="The working day the occasion fell on.")
    status = models.CharField(
        max_length=12, choices=ReminderStatus.choices, default=ReminderStatus.PENDING
    )
    digest = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="items"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claim_token = models.UUIDField(null=True, blank=True, editable=False)
    attempts = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    channel = models.CharField(max_length=10, blank=True)
    provider_reference = models.CharField(max_length=100, blank=True)
    last_error = models.TextField(blank=True)

    objects = ReminderQuerySet.as_manager()

    class Meta:
        ordering = ["-scheduled_for", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "occasion"], name="reminder_once_per_occasion"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="sent") | models.Q(sent_at__isnull=False),
                name="reminder_sent_has_time",
            ),
        ]
        indexes = [
            # Small partial indexes: only rows still waiting are in them.
            models.Index(
                fields=["enqueued_at", "id"],
                condition=models.Q(status="pending"),
                name="reminder_pending_idx",
            ),
            models.Index(
                fields=["recipient", "id"],
                condition=models.Q(status="held", digest__isnull=True),
                name="reminder_held_idx",
            ),
            models.Index(fields=["status", "created_at"], name="reminder_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.recipient} ({self.scheduled_for})"


class FailedReminder(Reminder):
    """The admin's "Failed reminders" view: the same rows, filtered to failures."""

    class Meta:
        proxy = True
        verbose_name = "failed reminder"


class SweepRun(models.Model):
    """One completed sweep: which occasions it covered and what it found.

    The day after the last covered day is where the next sweep starts looking, so
    occasions that fell while the scheduler was down are still found (bounded by
    REMINDER_CATCH_UP_WORKING_DAYS).
    """

    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(db_index=True)
    window_start = models.DateField(null=True, blank=True)
    window_end = models.DateField(null=True, blank=True, db_index=True)
    created = models.PositiveIntegerField(default=0)
    source = models.CharField(max_length=20, default="beat")

    class Meta:
        ordering = ["-finished_at", "-id"]

    def __str__(self) -> str:
        return f"Sweep {self.finished_at:%Y-%m-%d %H:%M} ({self.created} new)"
