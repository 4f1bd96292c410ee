from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import Plan, Theme, WiderArea


@admin.register(Plan)
class PlanAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    """Read-only: plans change through their pages and API (plans.services)."""

    list_display = ["title", "local_authority", "status", "lead_director", "created_at"]
    list_filter = ["status"]
    list_select_related = ["local_authority", "lead_director"]
    search_fields = ["title", "local_authority__name"]


@admin.register(Theme)
class ThemeAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ["name", "plan", "framework_kind", "framework_number"]
    list_select_related = ["plan"]


@admin.register(WiderArea)
class WiderAreaAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ["__str__", "plan", "origin"]
    list_filter = ["origin"]
    list_select_related = ["plan"]
