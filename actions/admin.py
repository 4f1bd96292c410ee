from django.contrib import admin

from .models import Action, DueDateChange, Evidence, Measure, MeasureReading, ProgressUpdate


class MeasureInline(admin.TabularInline):
    model = Measure
    extra = 0


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin):
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


@admin.register(Measure)
class MeasureAdmin(admin.ModelAdmin):
    list_display = ["name", "action", "baseline", "target", "direction", "unit"]
    list_filter = ["direction"]
    search_fields = ["name", "action__title"]
    raw_id_fields = ["action"]


@admin.register(MeasureReading)
class MeasureReadingAdmin(admin.ModelAdmin):
    list_display = ["measure", "date", "value", "recorded_by"]
    date_hierarchy = "date"
    raw_id_fields = ["measure"]


@admin.register(DueDateChange)
class DueDateChangeAdmin(admin.ModelAdmin):
    list_display = ["action", "old_date", "new_date", "changed_by", "changed_at"]
    search_fields = ["reason", "action__title"]
    raw_id_fields = ["action"]
