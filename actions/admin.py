from django.contrib import admin
from django.db import models, transaction

from . import plan_summaries
from .models import (
    Action,
    DueDateChange,
    Evidence,
    Measure,
    MeasureReading,
    PlanSummary,
    ProgressUpdate,
)


class KeepsPlanSummaries(admin.ModelAdmin):
    """The admin writes rows directly, not through the services: recount the plans it
    touched (before and after the change, in case the row moved to another plan)."""

    plan: str  # the lookup from this model to its plan's id

    def _plans_of(self, queryset) -> set[int]:
        return set(queryset.values_list(self.plan, flat=True))

    def _refresh(self, plans: set[int]) -> None:
        for plan in sorted(plans):  # one order for every writer: no deadlock between two
            plan_summaries.refresh(plan)

    def save_model(self, request, obj, form, change) -> None:
        pk_filter = self.model.objects.filter(pk=obj.pk)
        obj._plans_before = self._plans_of(pk_filter) if change else set()
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)  # inlines too
        obj = form.instance
        self._refresh(obj._plans_before | self._plans_of(self.model.objects.filter(pk=obj.pk)))

    def delete_model(self, request, obj) -> None:
        plans = self._plans_of(self.model.objects.filter(pk=obj.pk))
        super().delete_model(request, obj)
        self._refresh(plans)

    @transaction.atomic
    def delete_queryset(self, request, queryset) -> None:
        plans = self._plans_of(queryset)
        super().delete_queryset(request, queryset)
        self._refresh(plans)


class MeasureInline(admin.TabularInline):
    model = Measure
    extra = 0


@admin.register(Action)
class ActionAdmin(KeepsPlanSummaries):
    plan = "recommendation__inspection"
    list_display = ["title", "owner", "organisation", "due_date", "status", "rag_override"]
    list_filter = ["status", "rag_override", "organisation", "recommendation__timescale"]
    search_fields = ["title", "description", "owner__username", "owner__last_name"]
    date_hierarchy = "due_date"
    list_select_related = ["owner", "organisation"]
    raw_id_fields = ["recommendation", "owner", "assigned_by", "signed_off_by"]
    readonly_fields = ["version", "created_at", "updated_at"]
    inlines = [MeasureInline]


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(admin.ModelAdmin):
    list_display = ["action", "author", "created_at", "returned_at"]
    search_fields = ["text", "action__title"]
    list_select_related = ["action", "author"]
    raw_id_fields = ["action"]


@admin.register(Evidence)
class EvidenceAdmin(admin.ModelAdmin):
    list_display = ["description", "action", "added_by", "added_at", "original_filename"]
    search_fields = ["description", "original_filename", "action__title"]
    list_select_related = ["action", "added_by"]
    raw_id_fields = ["action"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Measure)
class MeasureAdmin(KeepsPlanSummaries):
    plan = "action__recommendation__inspection"
    list_display = ["name", "action", "baseline", "target", "direction", "unit"]
    list_filter = ["direction"]
    search_fields = ["name", "action__title"]
    raw_id_fields = ["action"]


@admin.register(MeasureReading)
class MeasureReadingAdmin(KeepsPlanSummaries):
    plan = "measure__action__recommendation__inspection"
    list_display = ["measure", "date", "value", "recorded_by"]
    date_hierarchy = "date"
    raw_id_fields = ["measure"]


@admin.register(DueDateChange)
class DueDateChangeAdmin(admin.ModelAdmin):
    list_display = ["action", "old_date", "new_date", "changed_by", "changed_at"]
    search_fields = ["reason", "action__title"]
    raw_id_fields = ["action"]


@admin.register(PlanSummary)
class PlanSummaryAdmin(admin.ModelAdmin):
    """Read only: the counts are derived (actions.plan_summaries)."""

    list_display = ["inspection", "actions", "red", "amber", "green", "blue", "refreshed_at"]
    list_select_related = ["inspection__local_authority"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
