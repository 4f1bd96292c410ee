import csv
import json
from itertools import chain

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest, StreamingHttpResponse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from .audit import record
from .auth import two_step
from .models import AuditEntry, Organisation, User

# django-otp's own device pages would show people's secret keys and let devices be
# deleted without an audit entry: administrators reset two-step verification from the
# person's page instead (UserAdmin below).
for _device_model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_device_model):
        admin.site.unregister(_device_model)


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
        (
            "Organisation and reminders",
            {"fields": ["organisation", "job_title", "reminder_delivery"]},
        ),
        ("Two-step verification", {"fields": ["two_step_verification"]}),
    ]
    readonly_fields = ["two_step_verification"]
    actions = ["reset_two_step_verification"]

    @admin.display(description="Two-step verification")
    def two_step_verification(self, obj: User) -> str:
        if obj.pk is None or not two_step.is_on(obj):
            return "Off"
        return (
            f"On ({two_step.recovery_codes_left(obj)} recovery codes left). To reset it, "
            "select this person in the list of users and choose the action "
            "“Reset two-step verification”."
        )

    @admin.action(
        description="Reset two-step verification (for a lost phone)", permissions=["change"]
    )
    def reset_two_step_verification(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        """Removes the app and recovery codes and ends the person's sessions; they sign in
        with their password and set it up again (at once if their role needs it)."""
        done = [user for user in queryset if two_step.reset(user=user, by=request.user)]
        if done:
            names = ", ".join(user.get_username() for user in done)
            self.message_user(
                request, f"Two-step verification reset for {names}.", messages.SUCCESS
            )
        skipped = queryset.count() - len(done)
        if skipped:
            self.message_user(
                request,
                f"{skipped} of the selected people did not have two-step verification on.",
                messages.WARNING,
            )


class ReadOnlyAdmin:
    """Shows rows to support staff without letting them be changed here.

    Mixed into a ModelAdmin or an inline. Plan data (inspections, recommendations,
    actions, measures, readings, updates, evidence) is changed only through the service's
    pages and API, whose services keep the audit, the version check, the due-date
    history, the four-eyes rule and the webhooks; the admin would skip all of them.
    """

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    """Read-only: the audit log is never edited. Administrators can export it as CSV."""

    list_display = ["at", "actor", "verb", "object_type", "object_id", "summary", "ip"]
    list_filter = ["verb", "object_type"]
    search_fields = ["summary", "object_id", "actor__username"]
    date_hierarchy = "at"
    list_select_related = ["actor"]
    actions = ["export_csv"]

    @admin.action(description="Export selected audit entries as CSV", permissions=["view"])
    def export_csv(
        self, request: HttpRequest, queryset: QuerySet[AuditEntry]
    ) -> StreamingHttpResponse:
        return audit_csv_response(request, queryset)


def audit_csv_response(
    request: HttpRequest, queryset: QuerySet[AuditEntry]
) -> StreamingHttpResponse:
    """The entries as a CSV download (select all on the changelist to export every entry
    that matches the filters). The export itself is recorded in the audit log."""
    count = queryset.count()
    exported = record(
        actor=request.user,
        verb="audit_exported",
        obj=request.user,
        summary=f"Exported {count} audit entries as CSV",
    )
    rows = (
        [
            entry.at.isoformat(),
            entry.actor.get_username() if entry.actor else "",
            entry.verb,
            entry.object_type,
            entry.object_id,
            entry.summary,
            entry.ip or "",
            json.dumps(entry.before, sort_keys=True),
            json.dumps(entry.after, sort_keys=True),
        ]
        for entry in queryset.exclude(pk=exported.pk)
        .select_related("actor")
        .order_by("at", "id")
        .iterator()
    )
    writer = csv.writer(_Echo())
    header = ["at", "actor", "verb", "object_type", "object_id", "summary", "ip", "before", "after"]
    lines = (writer.writerow([_safe_cell(cell) for cell in row]) for row in chain([header], rows))
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audit-log-{stamp}.csv"'
    response["Cache-Control"] = "no-store"
    return response


class _Echo:
    def write(self, value: str) -> str:
        return value


def _safe_cell(value: str) -> str:
    # A cell starting with = + - @ (or a tab or carriage return) is a formula to a
    # spreadsheet; prefix it so opening the export never runs anything.
    if value and value[0] in "=+-@\t\r":
        return "'" + value
    return value
