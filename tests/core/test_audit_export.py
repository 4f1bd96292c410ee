"""Administrators can read the audit log and export it as CSV; nobody else can."""

import csv
import io

import pytest
from django.contrib.auth.models import Permission

from core.audit import record
from core.models import AuditEntry
from tests.factories import UserFactory

CHANGELIST = "/admin/core/auditentry/"


@pytest.fixture
def entries(director):
    record(actor=director, verb="sign_off", obj=director, summary="Signed off action 4")
    record(actor=None, verb="import", obj=director, summary='=HYPERLINK("http://x")')
    return list(AuditEntry.objects.filter(verb__in=["sign_off", "import"]).order_by("id"))


def export(client, entries, **extra):
    return client.post(
        CHANGELIST,
        {"action": "export_csv", "_selected_action": [e.pk for e in entries], **extra},
    )


def read_csv(response) -> list[dict]:
    body = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(body)))


def test_an_administrator_exports_the_selected_entries(admin_client, entries):
    response = export(admin_client, entries)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="audit-log-')
    rows = read_csv(response)
    assert [r["verb"] for r in rows] == ["sign_off", "import"]
    assert rows[0]["actor"] == "director"
    assert rows[0]["summary"] == "Signed off action 4"
    assert set(rows[0]) == {
        "at", "actor", "verb", "object_type", "object_id", "summary", "ip", "before", "after",
    }  # fmt: skip


def test_cells_that_a_spreadsheet_would_run_are_neutralised(admin_client, entries):
    rows = read_csv(export(admin_client, entries))
    assert rows[1]["summary"].startswith("'=HYPERLINK")


def test_select_all_exports_every_matching_entry(admin_client, entries):
    everything = AuditEntry.objects.count()
    rows = read_csv(export(admin_client, entries[:1], select_across="1"))
    assert len(rows) == everything > 2


def test_the_export_is_itself_audited(admin_client, entries):
    export(admin_client, entries)
    exported = AuditEntry.objects.get(verb="audit_exported")
    assert exported.summary == "Exported 2 audit entries as CSV"
    assert exported.actor.username == "admin"


def test_the_audit_log_is_read_only_in_the_admin(admin_client, entries):
    assert admin_client.get(CHANGELIST).status_code == 200
    assert admin_client.get(f"{CHANGELIST}add/").status_code == 403
    assert admin_client.post(f"{CHANGELIST}{entries[0].pk}/delete/").status_code == 403


def test_people_who_are_not_staff_cannot_export(client, entries, director):
    client.force_login(director)
    response = export(client, entries)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_staff_without_permission_to_view_the_audit_log_cannot_export(client, entries):
    staff = UserFactory(username="helpdesk", is_staff=True)
    client.force_login(staff)
    assert export(client, entries).status_code == 403

    staff.user_permissions.add(Permission.objects.get(codename="view_auditentry"))
    response = export(client, entries)
    assert response.status_code == 200
    assert [r["verb"] for r in read_csv(response)] == ["sign_off", "import"]
