from django.contrib import admin

from .models import CalendarFeed, DocumentVersion


@admin.register(DocumentVersion)
class DocumentVersionAdmin(admin.ModelAdmin):
    """Read only: versions are made and submitted through the documents pages."""

    list_display = ["__str__", "inspection", "status", "is_draft", "requested_at", "submitted_at"]
    list_filter = ["kind", "format", "status", "is_draft"]
    list_select_related = ["inspection__local_authority"]
    exclude = ["snapshot"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return obj is not None and obj.submitted_at is None and request.user.is_superuser


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    """Feeds can be revoked here (deleted); their tokens are never shown."""

    list_display = ["user", "created_at", "last_used_at"]
    exclude = ["token_hash"]
    readonly_fields = ["user", "created_at", "last_used_at"]

    def has_add_permission(self, request) -> bool:
        return False
