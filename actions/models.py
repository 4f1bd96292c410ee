from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from decimal import Decimal
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.urls import reverse

from core.models import Organisation, User
from core.validators import validate_single_line
from inspections.models import Recommendation
from plans.visibility import plans_seen_by

USER = settings.AUTH_USER_MODEL


class Status(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETE = "complete", "Complete"
    IMPACT_EVIDENCED = "impact_evidenced", "Impact evidenced"
    CLOSED = "closed", "Closed"


OPEN_STATUSES = (Status.NOT_STARTED, Status.IN_PROGRESS)


class Rag(models.TextChoices):
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"
    BLUE = "blue", "Blue (closed)"


def open_condition() -> models.Q:
    """Open: work still to do (not started or in progress). The one definition."""
    return models.Q(status__in=OPEN_STATUSES)


def overdue_condition(today: dt.date) -> models.Q:
    """Overdue: open, and its due date has passed. The one definition."""
    return open_condition() & models.Q(due_date__lt=today)


class ActionQuerySet(models.QuerySet):
    def open(self) -> ActionQuerySet:
        return self.filter(open_condition())

    def done(self) -> ActionQuerySet:
        """Complete, impact evidenced or closed: everything that is not open."""
        return self.exclude(open_condition())

    def overdue(self, today: dt.date) -> ActionQuerySet:
        return self.filter(overdue_condition(today))

    def for_listing(self) -> ActionQuerySet:
        return self.select_related("owner", "organisation", "plan__local_authority")

    def seen_by(self, user: User, *, authority_id: int | None = None) -> ActionQuerySet:
        """The actions of the plans this person may see (plans.visibility), of one local
        authority's plans if given."""
        return self.filter(plan__in=plans_seen_by(user, authority_id=authority_id))

    def in_plans(self, plan_ids: Iterable[int] | None) -> ActionQuerySet:
        """The actions of these plans (None: of every plan)."""
        return self.all() if plan_ids is None else self.filter(plan_id__in=list(plan_ids))


class Action(models.Model):
    plan = models.ForeignKey("plans.Plan", on_delete=models.PROTECT, related_name="actions")
    # The items of the plan's sources it answers; none if it answers a wider area only.
    recommendations = models.ManyToManyField(Recommendation, blank=True, related_name="actions")
    wider_area = models.ForeignKey(
        "plans.WiderArea", null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    theme = models.ForeignKey(
        "plans.Theme", null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    title = models.CharField(max_length=300, validators=[validate_single_line])
    description = models.TextField(blank=True)
    owner = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="owned_actions"
    )
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    assigned_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_at = models.DateTimeField(null=True, blank=True)
    due_date = models.DateField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    # The derived RAG and its reason in words, kept current by actions.rag.refresh_rag
    # on every change and by the nightly sweep (time alone turns actions red).
    rag = models.CharField(max_length=10, choices=Rag.choices, default=Rag.GREEN)
    rag_reason = models.CharField(max_length=300, blank=True)
    rag_override = models.CharField(max_length=10, choices=Rag.choices, blank=True)
    rag_override_reason = models.TextField(blank=True)
    expected_outcome = models.TextField(blank=True, help_text="What difference will it make?")
    resources = models.TextField(blank=True, help_text="Resources required.")
    risks = models.TextField(blank=True, help_text="Risks of failure to achieve.")
    completed_at = models.DateTimeField(null=True, blank=True)
    closure_justification = models.TextField(blank=True)
    signed_off_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    order = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "order", "id"]
        indexes = [
            models.Index(fields=["owner", "status", "due_date"]),
            models.Index(fields=["status", "due_date"]),
            models.Index(fields=["due_date", "id"]),
            models.Index(fields=["rag", "status"]),
            models.Index(fields=["plan", "order"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rag_override="", rag_override_reason="")
                | (~models.Q(rag_override="") & ~models.Q(rag_override_reason="")),
                name="action_rag_override_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("action-detail", args=[self.pk])

    @property
    def shown_rag(self) -> str:
        """The RAG people see: a director's override wins over the derived value."""
        return self.rag_override or self.rag

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_overdue(self, today: dt.date) -> bool:
        return self.is_open and self.due_date < today


class ProgressUpdate(models.Model):
    """A dated, authored note of progress. Append-only: returned, never edited away."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="progress_updates")
    author = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    text = models.TextField()
    returned_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    returned_at = models.DateTimeField(null=True, blank=True)
    return_comment = models.TextField(blank=True)

    class Meta:
        ordering = ["action", "created_at", "id"]
        indexes = [models.Index(fields=["action", "created_at"])]

    def __str__(self) -> str:
        return self.text[:80]


def evidence_upload_to(instance: Evidence, filename: str) -> str:
    suffix = PurePath(filename).suffix.lower()[:8]
    return f"evidence/{uuid.uuid4().hex}{suffix}"


class Evidence(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="evidence")
    description = models.TextField()
    file = models.FileField(upload_to=evidence_upload_to, blank=True)
    original_filename = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    link = models.URLField(max_length=1000, blank=True)
    added_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)
    returned_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    returned_at = models.DateTimeField(null=True, blank=True)
    return_comment = models.TextField(blank=True)

    class Meta:
        ordering = ["action", "added_at", "id"]
        verbose_name_plural = "evidence"
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(file="") | ~models.Q(link=""),
                name="evidence_has_file_or_link",
            ),
        ]

    def __str__(self) -> str:
        return self.description[:80]


class Measure(models.Model):
    """How we will know: a measure with a baseline and a target."""

    class Direction(models.TextChoices):
        HIGHER = "higher", "Higher is better"
        LOWER = "lower", "Lower is better"

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="measures")
    name = models.CharField(max_length=300, validators=[validate_single_line])
    unit = models.CharField(max_length=50, blank=True, validators=[validate_single_line])
    baseline = models.DecimalField(max_digits=12, decimal_places=2)
    baseline_date = models.DateField(null=True, blank=True)
    target = models.DecimalField(max_digits=12, decimal_places=2)
    direction = models.CharField(max_length=10, choices=Direction.choices)

    class Meta:
        ordering = ["action", "id"]

    def __str__(self) -> str:
        return self.name

    def meets_target(self, value) -> bool:
        return self.target_met(self.direction, self.target, value)

    @classmethod
    def target_met(cls, direction: str, target: Decimal, value: Decimal) -> bool:
        """The rule of meets_target from plain values, for counting many measures."""
        if direction == cls.Direction.HIGHER:
            return value >= target
        return value <= target


class MeasureReading(models.Model):
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="readings")
    date = models.DateField()
    value = models.DecimalField(max_digits=12, decimal_places=2)
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["measure", "date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "date"], name="reading_one_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.measure}: {self.value} on {self.date}"


class DueDateChange(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="due_date_changes")
    old_date = models.DateField()
    new_date = models.DateField()
    reason = models.TextField()
    changed_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["action", "changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.old_date} → {self.new_date}"


class RagSnapshot(models.Model):
    """How many actions of a plan were red, amber, green and blue on a day.

    Written by the nightly RAG refresh, so the dashboard can chart RAG over time.
    """

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="rag_snapshots")
    date = models.DateField()
    red = models.PositiveIntegerField(default=0)
    amber = models.PositiveIntegerField(default=0)
    green = models.PositiveIntegerField(default=0)
    blue = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["plan", "date"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "date"], name="one_rag_snapshot_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} on {self.date}"


class PlanSummary(models.Model):
    """How many of a plan's actions are in each RAG and status, and how its measures stand.

    The dashboard reads one of these rows per plan instead of counting actions on every
    view. actions.plan_summaries keeps it exact: see there.
    """

    plan = models.OneToOneField(
        "plans.Plan",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="summary",
    )
    actions = models.PositiveIntegerField(default=0)
    # The RAG people see (a director's override wins), as on every page.
    red = models.PositiveIntegerField(default=0)
    amber = models.PositiveIntegerField(default=0)
    green = models.PositiveIntegerField(default=0)
    blue = models.PositiveIntegerField(default=0)
    not_started = models.PositiveIntegerField(default=0)
    in_progress = models.PositiveIntegerField(default=0)
    complete = models.PositiveIntegerField(default=0)
    impact_evidenced = models.PositiveIntegerField(default=0)
    closed = models.PositiveIntegerField(default=0)
    # Measures by their latest reading: meeting the target, missing it, or none yet.
    on_target = models.PositiveIntegerField(default=0)
    off_target = models.PositiveIntegerField(default=0)
    no_reading = models.PositiveIntegerField(default=0)
    refreshed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "plan summaries"

    def __str__(self) -> str:
        return f"Summary of plan {self.plan_id}"
