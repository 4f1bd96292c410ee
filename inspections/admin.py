from django.contrib import admin

from actions.admin import KeepsPlanSummaries

from .models import Inspection, Judgement, Recommendation


class JudgementInline(admin.TabularInline):
    model = Judgement
    extra = 0


@admin.register(Inspection)
class InspectionAdmin(admin.ModelAdmin):
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
    readonly_fields = [
        "plan_due_date",
        "plan_due_basis",
        "draft_plan_due_date",
        "draft_plan_due_basis",
        "source_sha256",
        "imported_by",
        "imported_at",
    ]
    inlines = [JudgementInline]

    def save_model(self, request, obj, form, change) -> None:
        obj.refresh_deadlines()
        super().save_model(request, obj, form, change)


@admin.register(Recommendation)
class RecommendationAdmin(KeepsPlanSummaries):
    plan = "inspection"  # moving a recommendation moves its actions to another plan
    list_display = ["__str__", "inspection", "section", "timescale", "addressee", "priority"]
    list_filter = ["timescale", "priority", "inspection__inspection_type"]
    search_fields = ["text", "addressee", "section"]
    list_select_related = ["inspection__local_authority"]
    raw_id_fields = ["inspection"]


@admin.register(Judgement)
class JudgementAdmin(admin.ModelAdmin):
    list_display = ["area", "grade_text", "grade", "scale", "inspection"]
    list_filter = ["grade", "scale"]
    search_fields = ["area", "section"]
    list_select_related = ["inspection__local_authority"]
