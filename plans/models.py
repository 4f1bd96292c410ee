"""The improvement plan a council runs, fed by many inspections over the years.

A plan belongs to one local authority and is led by its director of children's services.
Its sources are the reports and letters it responds to (inspections.Inspection.plan),
each with its own statutory submission; its actions (actions.Action.plan) answer the
items of those sources, or a wider area for improvement the plan records itself; its
themes (workstreams) group the actions the way an improvement board reads them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from core.models import Organisation
from inspections.models import FrameworkKind


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    IN_DELIVERY = "in_delivery", "In delivery"
    CLOSED = "closed", "Closed"


class Plan(models.Model):
    local_authority = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="plans"
    )
    title = models.CharField(max_length=300)
    status = models.CharField(max_length=16, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    lead_director = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The director of children's services who owns the plan.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["local_authority__name", "-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("plan-detail", args=[self.pk])


class Theme(models.Model):
    """A workstream or priority of a plan. The national framework's outcomes and enablers
    are offered as standard themes (plans.themes); a council adds its own."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="themes")
    name = models.CharField(max_length=300)
    framework_kind = models.CharField(max_length=16, choices=FrameworkKind.choices, blank=True)
    framework_number = models.PositiveSmallIntegerField(null=True, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["plan", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "name"], name="theme_unique_name_in_plan"),
        ]

    def __str__(self) -> str:
        return self.name


class AreaOrigin(models.TextChoices):
    SELF_ASSESSMENT = "self_assessment", "Self-assessment"
    AUDIT = "audit", "Audit"
    PARTNER_REVIEW = "partner_review", "Partner review"
    MONITORING_VISIT = "monitoring_visit", "Monitoring visit finding"
    OTHER = "other", "Other"


class WiderArea(models.Model):
    """A wider area for improvement the council found itself, recorded on the plan so
    that actions answering no inspection recommendation still answer something."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="wider_areas")
    text = models.TextField()
    origin = models.CharField(max_length=20, choices=AreaOrigin.choices)
    origin_detail = models.CharField(
        max_length=300, blank=True, help_text="Where it came from, e.g. the audit's name."
    )
    theme = models.ForeignKey(
        Theme, null=True, blank=True, on_delete=models.SET_NULL, related_name="wider_areas"
    )
    order = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["plan", "order", "id"]

    def __str__(self) -> str:
        return self.text[:80]
