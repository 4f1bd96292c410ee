"""Actions in the admin: read only, for support staff (see core.admin.ReadOnlyAdmin).

Actions, measures, readings, progress updates, evidence and due-date changes are changed
through the plan's pages and the API only, whose services keep the audit trail, the
version check, the due-date history, the four-eyes rule and the webhooks.
"""

from django.contrib import admin
from django.db import models

from core.admin import ReadOnlyAdmin

from .models import (
    Action,
    DueDateChange,
    Evidence,
    Measure,
    MeasureReading,
    PlanSummary,
    ProgressUpdate,
)


class MeasureInline(ReadOnlyAdmin, admin.TabularInline):
    model = Measure
    extra = 0


@admin.register(Action)
class ActionAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ["title", "owner", "organisation", "due_date", "status", "rag_override"]
    list_filter = ["status", "rag_override", "organisation", "plan__local_authority"]
    search_fields = ["title", "description", "owner__username", "owner__last_name"]
    date_hierarchy = "due_date"
    list_select_related = ["owner", "organisation"]
    inlines = [MeasureInline]


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ["action", "author", "created_at", "returned_at"]
    search_fields = ["text", "action__title"]
    list_select_related = ["action", "author"]


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ["description", "action", "added_by", "added_at", "original_filename"]
    search_fields = ["description", "original_filename", "action__title"]
    list_select_related = ["action", "added_by"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Measure)
class MeasureAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ["name", "action", "baseline", "target", "direction", "unit"]
    list_filter = ["direction"]
    search_fields = ["name", "action__title"]
    list_select_related = ["action"]


@admin.register(MeasureReading)
class MeasureReadingAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ["measure", "date", "value", "recorded_by"]
    date_hierarchy = "date"
    list_select_related = ["measure", "recorded_by"]


@admin.register(DueDateChange)
class DueDateChangeAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ["action", "old_date", "new_date", "changed_by", "changed_at"]
    search_fields = ["reason", "action__title"]
    list_select_related = ["action", "changed_by"]


@admin.register(PlanSummary)
class PlanSummaryAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    """The counts are derived (actions.plan_summaries)."""

    list_display = ["plan", "actions", "red", "amber", "green", "blue", "refreshed_at"]
    list_select_related = ["plan__local_authority"]
