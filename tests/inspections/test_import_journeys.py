"""The three ways in — page, command line, (API in tests/api) — share one code path."""

import io
import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from core.forms import DateField
from core.models import AuditEntry
from inspections.models import Inspection, PendingImport, Recommendation
from tests.dates import date_post
from tests.factories import OrganisationFactory

REPORTS = Path(__file__).resolve().parents[1] / "fixtures" / "reports"
DERBYSHIRE = REPORTS / "derbyshire-2011-safeguarding-lac.txt"
ST_HELENS = REPORTS / "st-helens-2018-focused-visit.pdf"


def upload(client, path: Path, name: str | None = None, content: bytes | None = None):
    data = path.read_bytes() if content is None else content
    return client.post(
        "/inspections/import/",
        {"report": SimpleUploadedFile(name or path.name, data)},
    )


def review_form(response) -> dict:
    """The review form as the browser would submit it, unchanged."""
    context = response.context
    data = {}
    forms = [context["plan"], context["details"], *context["judgements"]]
    for form in [*forms, *context["recommendations"]]:
        for field in form:
            value = field.value()
            if isinstance(field.field, DateField):
                parts = value if isinstance(value, list) else field.field.widget.decompress(value)
                for part, typed in zip(("day", "month", "year"), parts, strict=True):
                    data[f"{field.html_name}_{part}"] = typed
                continue
            if value is None or value is False:
                continue
            data[field.html_name] = "on" if value is True else value
    for formset in (context["judgements"], context["recommendations"]):
        for field in formset.management_form:
            data[field.html_name] = field.value()
    return data


def test_an_officer_uploads_reviews_corrects_and_confirms(client, officer):
    client.force_login(officer)
    response = upload(client, DERBYSHIRE)
    assert response.status_code == 302
    review = client.get(response["Location"])
    assert review.status_code == 200
    body = review.content.decode()
    assert "Check what was found" in body
    data = review_form(review)
    prefix = "recommendations"
    # Correct the first recommendation, delete the second, move the third to the end.
    data[f"{prefix}-0-text"] = "Corrected text of the first recommendation."
    data[f"{prefix}-1-DELETE"] = "on"
    data[f"{prefix}-2-ORDER"] = "99"
    data.update(date_post("plan-received_date", "2011-05-05"))
    data["confirm"] = "1"
    confirmed = client.post(response["Location"], data)

    inspection = Inspection.objects.get()
    assert confirmed.status_code == 302
    assert confirmed["Location"] == inspection.plan.get_absolute_url()
    texts = list(inspection.recommendations.values_list("text", flat=True))
    assert len(texts) == 12
    assert texts[0] == "Corrected text of the first recommendation."
    assert texts[-1] == review.context["recommendations"][2]["text"].value()
    # The officer's own council's plan: the printed name is only compared with it.
    assert inspection.local_authority == officer.organisation
    assert inspection.received_date.isoformat() == "2011-05-05"
    assert inspection.publication_date == review.context["summary"].report.publication_date
    assert inspection.imported_by == officer
    assert not PendingImport.objects.exists()
    assert AuditEntry.objects.filter(verb="import").count() == 1


def test_a_duplicate_is_refused_with_a_link_to_the_first_import(client, officer):
    client.force_login(officer)
    call_command(
        "import_report",
        str(DERBYSHIRE),
        "--authority",
        officer.organisation.name,
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    existing = Inspection.objects.get()
    response = upload(client, DERBYSHIRE)
    assert response.status_code == 400
    assert "already been imported" in response.content.decode()
    assert existing.get_absolute_url() in response.content.decode()
    assert Inspection.objects.count() == 1


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.pdf", b"", "empty"),
        ("notes.txt", "Minutes of the meeting\n".encode("utf-16-le"), "UTF-8"),
        ("picture.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "is an image (PNG)"),
        ("broken.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog", "This PDF is incomplete"),
    ],
)
def test_bad_files_get_a_clear_message_and_save_nothing(client, officer, name, content, message):
    client.force_login(officer)
    response = upload(client, DERBYSHIRE, name=name, content=content)
    assert response.status_code == 400
    body = response.content.decode()
    assert "There is a problem" in body
    assert message in body
    assert not PendingImport.objects.exists()
    assert not Inspection.objects.exists()


def test_only_policy_officers_import(client, director, reader):
    for user in (director, reader):
        client.force_login(user)
        assert client.get("/inspections/import/").status_code == 403
        assert upload(client, DERBYSHIRE).status_code == 403
    assert not PendingImport.objects.exists()


def test_another_officers_pending_import_is_not_disclosed(client, officer, db):
    from tests.factories import UserFactory

    client.force_login(officer)
    location = upload(client, DERBYSHIRE)["Location"]
    client.force_login(UserFactory(role="Policy officers"))
    assert client.get(location).status_code == 404


def test_abandoning_saves_nothing(client, officer):
    client.force_login(officer)
    location = upload(client, DERBYSHIRE)["Location"]
    response = client.post(location, {"abandon": "1"})
    assert response.status_code == 302
    assert not PendingImport.objects.exists()
    assert not Inspection.objects.exists()


def test_the_command_prints_the_stable_json_interface(capsys, db):
    call_command("import_report", str(ST_HELENS), "--dry-run", "--json")
    data = json.loads(capsys.readouterr().out)
    assert {
        "local_authority",
        "inspection_type",
        "inspection_start",
        "inspection_end",
        "publication_date",
        "plan_due_date",
        "draft_plan_due_date",
        "judgements",
        "recommendations",
        "warnings",
    } <= set(data)
    assert data["inspection_type"] == "focused_visit"
    assert data["plan_due_date"] == "2018-12-03"  # stated in the letter
    assert data["draft_plan_due_date"] == "2018-09-10"
    recommendations = data["recommendations"]
    assert [r["priority"] for r in recommendations].count(True) == 3
    assert len(recommendations) == 7
    assert set(recommendations[0]) >= {
        "section",
        "timescale",
        "priority",
        "addressee",
        "text",
        "number",
    }
    assert all(
        r["timescale"] in {"immediately", "three_months", "six_months", "longer_term", "none"}
        for r in recommendations
    )
    assert not Inspection.objects.exists()


def test_the_command_imports_and_prints_the_plan_due_date(capsys, db):
    derbyshire = OrganisationFactory(name="Derbyshire County Council")
    call_command("import_report", str(DERBYSHIRE))
    out = capsys.readouterr().out
    assert "Plan due: 2011-08-15" in out  # published 6 May 2011
    inspection = Inspection.objects.get()
    assert inspection.local_authority == derbyshire  # the report prints "Derbyshire"
    assert inspection.plan_due_date.isoformat() == "2011-08-15"
    assert Recommendation.objects.filter(inspection=inspection).count() == 13


def test_the_command_refuses_bad_input_on_stderr_with_a_non_zero_exit(tmp_path, db):
    bad = tmp_path / "notes.txt"
    bad.write_text("Shopping list: eggs, milk.")
    with pytest.raises(CommandError, match="No recommendations could be found"):
        call_command("import_report", str(bad))
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_report", str(tmp_path / "missing.pdf"))
    assert not Inspection.objects.exists()


def test_the_command_exits_non_zero_from_the_shell(tmp_path):
    import subprocess
    import sys

    bad = tmp_path / "empty.pdf"
    bad.write_bytes(b"")
    result = subprocess.run(
        [sys.executable, "manage.py", "import_report", str(bad), "--dry-run"],
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "empty" in result.stderr.lower()
    assert result.stdout == ""


def test_a_failed_save_leaves_nothing_behind(officer, monkeypatch):
    from inspections import importer, services

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "match_organisation", explode)
    with pytest.raises(RuntimeError):
        importer.import_bytes(
            data=DERBYSHIRE.read_bytes(),
            filename=DERBYSHIRE.name,
            user=officer,
            authority=officer.organisation,
        )
    assert not Inspection.objects.exists()
    assert not Recommendation.objects.exists()
