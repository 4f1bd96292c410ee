"""Inspections in the admin: read only, for support staff (see core.admin.ReadOnlyAdmin).

Reports are imported, corrected and planned through the service's pages, whose services
keep the audit trail, the plan's deadlines and the webhooks.
"""

from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import Inspection, Judgement, Recommendation


class JudgementInline(ReadOnlyAdmin, admin.TabularInline):
    model = Judgement
    extra = 0


@admin.register(Inspection)
class InspectionAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = [
        "local_authority",
        "inspection_type",
        "publication_date",
        "plan_due_date",
        "plan_due_basis",
    ]
    list_filter = ["inspection_type", "plan_due_basis"]
    search_fields = ["local_authority__name", "title", "lead_inspector"]
    date_hierarchy = "publication_date"
    list_select_related = ["local_authority"]
    inlines = [JudgementInline]


@admin.register(Recommendation)
class RecommendationAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ["__str__", "inspection", "section", "timescale", "addressee", "priority"]
    list_filter = ["timescale", "priority", "inspection__inspection_type"]
    search_fields = ["text", "addressee", "section"]
    list_select_related = ["inspection__local_authority"]


@admin.register(Judgement)
class JudgementAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ["area", "grade_text", "grade", "scale", "inspection"]
    list_filter = ["grade", "scale"]
    search_fields = ["area", "section"]
    list_select_related = ["inspection__local_authority"]
