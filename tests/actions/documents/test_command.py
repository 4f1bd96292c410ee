import io

import pytest
from django.core.management import CommandError, call_command
from docx import Document
from openpyxl import load_workbook

from actions.documents.models import DocumentVersion

from .helpers import pdf_text


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_it_writes_the_submission_and_keeps_a_version(plan, tmp_path, fmt, lead):
    output = tmp_path / f"plan.{fmt}"
    out = io.StringIO()
    call_command("generate_submission", plan.plan.pk, "--format", fmt, "--output",
                 str(output), "--user", "lead", "--signed-by", "lead", "--signed-on", "2024-05-20",
                 stdout=out)  # fmt: skip
    version = DocumentVersion.objects.get()
    assert version.generated_by == lead and version.format == fmt
    assert f"sha256 {version.sha256}" in out.getvalue()
    data = output.read_bytes()
    if fmt == "pdf":
        assert "20 May 2024" in pdf_text(data)
    else:
        assert Document(io.BytesIO(data)).core_properties.title == "Test Council: improvement plan"


def test_it_exports_the_spreadsheet_and_csv(plan, tmp_path):
    call_command("generate_submission", plan.plan.pk, "--format", "xlsx", "--output",
                 str(tmp_path / "plan.xlsx"), stdout=io.StringIO())  # fmt: skip
    assert load_workbook(tmp_path / "plan.xlsx")["Actions"].max_row == 6
    call_command("generate_submission", plan.plan.pk, "--format", "csv", "--output",
                 str(tmp_path / "plan.csv"), stdout=io.StringIO())  # fmt: skip
    assert (tmp_path / "plan.csv").read_text(encoding="utf-8").count("\n") == 6
    assert not DocumentVersion.objects.exists()


def test_it_says_when_a_draft_is_generated(incomplete_plan, tmp_path):
    out = io.StringIO()
    call_command("generate_submission", incomplete_plan.plan.pk, "--format", "docx",
                 "--output", str(tmp_path / "d.docx"), stdout=out)  # fmt: skip
    assert "(draft — incomplete)" in out.getvalue()


def test_it_refuses_an_unknown_plan_or_user(plan, tmp_path):
    with pytest.raises(CommandError, match="No plan"):
        call_command(
            "generate_submission", 999999, "--format", "pdf", "--output", str(tmp_path / "x")
        )
    with pytest.raises(CommandError, match="No user"):
        call_command("generate_submission", plan.plan.pk, "--format", "pdf",
                     "--output", str(tmp_path / "x"), "--user", "ghost")  # fmt: skip
