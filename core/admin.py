from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import AuditEntry, Organisation, User


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "first_name", "last_name", "email", "organisation", "is_active"]
    list_filter = [*BaseUserAdmin.list_filter, "organisation"]
    list_select_related = ["organisation"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        ("Organisation and reminders", {"fields": ["organisation", "job_title", "reminder_delivery"]}),
    ]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the audit log is never edited."""

    list_display = ["at", "actor", "verb", "object_type", "object_id", "summary"]
    list_filter = ["verb", "object_type"]
    search_fields = ["summary", "object_id", "actor__username"]
    date_hierarchy = "at"
    list_select_related = ["actor"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
