from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse

from .models import FailedReminder, Reminder, ReminderPolicy, ReminderStatus, SweepRun
from .services import retry_failed


@admin.register(ReminderPolicy)
class ReminderPolicyAdmin(admin.ModelAdmin):
    """A single row: the list page opens it straight away, created from the settings."""

    list_display = ["__str__", "days_before", "overdue_every", "escalate_after", "updated_at"]
    readonly_fields = ["updated_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def changelist_view(self, request: HttpRequest, extra_context=None):
        ReminderPolicy.objects.get_or_create(pk=1)
        return HttpResponseRedirect(reverse("admin:reminders_reminderpolicy_change", args=[1]))


@admin.action(description="Send the selected failed reminders again")
def send_again(modeladmin, request: HttpRequest, queryset) -> None:
    count = retry_failed(
        reminder_ids=list(queryset.values_list("pk", flat=True)), actor=request.user
    )
    modeladmin.message_user(request, f"{count} reminder(s) queued to send again.", messages.SUCCESS)


class ReminderAdminBase(admin.ModelAdmin):
    list_display = [
        "scheduled_for",
        "kind",
        "recipient",
        "action",
        "inspection",
        "status",
        "attempts",
        "sent_at",
        "last_error_short",
    ]
    list_filter = ["status", "kind", "channel", "scheduled_for"]
    search_fields = ["occasion", "recipient__username", "recipient__email", "action__title"]
    date_hierarchy = "scheduled_for"
    list_select_related = ["recipient", "action", "inspection__local_authority"]
    raw_id_fields = ["recipient", "action", "inspection", "digest"]
    actions = [send_again]

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        # The record of what was sent is evidence: nothing in it is edited by hand.
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.display(description="Last error")
    def last_error_short(self, obj: Reminder) -> str:
        return obj.last_error[:120]


@admin.register(Reminder)
class ReminderAdmin(ReminderAdminBase):
    pass


@admin.register(FailedReminder)
class FailedReminderAdmin(ReminderAdminBase):
    """Reminders that gave up after REMINDER_MAX_ATTEMPTS, or were refused for good."""

    list_filter = ["kind", "channel", "scheduled_for"]

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).filter(status=ReminderStatus.FAILED)


@admin.register(SweepRun)
class SweepRunAdmin(admin.ModelAdmin):
    list_display = ["finished_at", "window_start", "window_end", "created", "source"]
    list_filter = ["source"]
    date_hierarchy = "finished_at"

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
