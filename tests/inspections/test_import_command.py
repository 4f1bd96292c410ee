"""`manage.py import_report` over many files: folders, dry runs, JSON lines, refusals."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from core.models import Organisation
from inspections.models import Inspection, Recommendation
from tests.factories import OrganisationFactory

ROOT = Path(__file__).resolve().parents[2]
REPORTS = ROOT / "tests" / "fixtures" / "reports"
DERBYSHIRE = REPORTS / "derbyshire-2011-safeguarding-lac.txt"
DURHAM = REPORTS / "county-durham-2011-safeguarding-lac.txt"
ST_HELENS = REPORTS / "st-helens-2018-focused-visit.pdf"
# The two sample files that are not inspection reports.
NOT_REPORTS = {"derby-city-2017-cabinet-response.md", "derbyshire-ilacs-news-summary.txt"}
COUNCILS = [
    "Barnsley Metropolitan Borough Council",
    "Bath and North East Somerset Council",
    "Durham County Council",
    "Derby City Council",
    "Derbyshire County Council",
    "Isle of Wight Council",
    "Kent County Council",
    "St Helens Borough Council",
    "Warrington Borough Council",
]


@pytest.fixture
def councils(db) -> dict[str, Organisation]:
    return {name: OrganisationFactory(name=name) for name in COUNCILS}


def run(*args: str) -> tuple[list[dict], str, CommandError | None]:
    """The command's JSON lines, its standard error, and the error it ended with."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_report", *args, "--json", stdout=out, stderr=err)
    except CommandError as error:
        failure = error
    else:
        failure = None
    return [json.loads(line) for line in out.getvalue().splitlines()], err.getvalue(), failure


def folder(tmp_path: Path, *reports: Path, **texts: str) -> Path:
    """A folder holding copies of `reports`, and text files named by `texts`' keys.

    A folder of its own: the uploaded files of these tests are kept under `tmp_path` too.
    """
    made = tmp_path / "reports"
    made.mkdir()
    for report in reports:
        shutil.copy(report, made / report.name)
    for name, text in texts.items():
        (made / f"{name}.txt").write_text(text)
    return made


def test_a_folder_of_reports_is_imported_one_plan_per_report(councils):
    lines, _, failure = run(str(REPORTS))

    names = sorted(p.name for p in REPORTS.iterdir() if p.suffix in {".pdf", ".txt", ".md"})
    assert [Path(line["file"]).name for line in lines] == names
    imported = [line for line in lines if line["status"] == "imported"]
    assert len(imported) == len(COUNCILS) == Inspection.objects.count()
    for line in imported:
        inspection = Inspection.objects.get(pk=line["inspection"])
        assert line["plan"] == inspection.plan_id  # without --plan, each file a new plan
        assert line["held_as_history"] is False
        assert line["authority"] == inspection.local_authority_id
        assert inspection.source_filename == Path(line["file"]).name
        assert [r["order"] for r in line["recommendations"]] == list(
            range(len(line["recommendations"]))
        )
        assert [r["id"] for r in line["recommendations"]] == list(
            inspection.recommendations.order_by("order").values_list("pk", flat=True)
        )
        assert [r["text"] for r in line["recommendations"]] == list(
            inspection.recommendations.order_by("order").values_list("text", flat=True)
        )
    assert len({line["plan"] for line in imported}) == len(imported)
    durham = next(line for line in imported if line["file"].endswith(DURHAM.name))
    assert durham["authority"] == councils["Durham County Council"].pk
    assert {Path(line["file"]).name for line in lines if line["status"] == "refused"} == (
        NOT_REPORTS
    )
    assert failure is not None and failure.returncode == 1
    assert Organisation.objects.count() == len(COUNCILS)  # none made from a report's text


def test_the_json_line_carries_the_parsed_report_and_its_deadlines(councils):
    [line], _, failure = run(str(DERBYSHIRE), "--received", "2011-05-09")

    assert failure is None
    assert line["status"] == "imported"
    assert line["local_authority"] == "Derbyshire"
    assert line["inspection_type"] == "safeguarding_lac"
    assert line["publication_date"] == "2011-05-06"
    assert line["plan_due_date"] == Inspection.objects.get().plan_due_date.isoformat()
    assert "draft_plan_due_date" in line and "judgements" in line and "warnings" in line
    assert len(line["recommendations"]) == 13


def test_a_dry_run_reads_every_file_and_saves_nothing(db):
    lines, _, failure = run(str(REPORTS), "--dry-run")

    assert {line["status"] for line in lines} == {"parsed", "refused"}
    assert sum(line["status"] == "parsed" for line in lines) == len(COUNCILS)
    parsed = [line for line in lines if line["status"] == "parsed"]
    assert all("inspection" not in line and "plan" not in line for line in parsed)
    assert all(line["recommendations"] for line in parsed)
    assert not Inspection.objects.exists()
    assert not Recommendation.objects.exists()
    assert not Organisation.objects.exists()
    assert failure is not None  # the two files that are not reports


def test_a_refused_file_exits_1_with_its_reason_and_the_others_are_saved(councils, tmp_path):
    reports = folder(tmp_path, DERBYSHIRE, ST_HELENS, notes="Shopping list: eggs, milk.")

    lines, _, failure = run(str(reports))

    assert [(Path(line["file"]).name, line["status"]) for line in lines] == [
        (DERBYSHIRE.name, "imported"),
        ("notes.txt", "refused"),
        (ST_HELENS.name, "imported"),
    ]
    assert lines[1]["message"].startswith("No recommendations could be found")
    assert Inspection.objects.count() == 2
    assert failure.returncode == 1
    refusals = str(failure).splitlines()
    assert refusals[0] == "1 of 3 files refused:"
    assert refusals[1:] == [f"{reports / 'notes.txt'}: {lines[1]['message']}"]


def test_a_report_imported_before_is_reported_as_a_duplicate_not_a_failure(councils, tmp_path):
    [first], _, _ = run(str(DERBYSHIRE))
    reports = folder(tmp_path, DERBYSHIRE, DURHAM)
    shutil.copy(DERBYSHIRE, reports / "copy-of-derbyshire.txt")

    lines, err, failure = run(str(reports))

    assert failure is None  # exit status 0
    by_name = {Path(line["file"]).name: line for line in lines}
    assert by_name[DURHAM.name]["status"] == "imported"
    for name in (DERBYSHIRE.name, "copy-of-derbyshire.txt"):
        assert by_name[name]["status"] == "duplicate"
        assert by_name[name]["inspection"] == first["inspection"]
        assert "Already imported" in by_name[name]["message"]
    assert Inspection.objects.count() == 2
    assert "2 duplicate" in err


def test_a_report_of_a_council_not_yet_here_is_refused_and_no_council_is_made(db):
    OrganisationFactory(name="Derbyshire County Council")

    lines, _, failure = run(str(DERBYSHIRE), str(ST_HELENS))

    assert [line["status"] for line in lines] == ["imported", "refused"]
    assert "St Helens" in lines[1]["message"] and "--authority" in lines[1]["message"]
    assert failure.returncode == 1
    assert not Organisation.objects.filter(name__icontains="Helens").exists()


def test_authority_names_the_council_for_every_report_and_warns_of_another_name(db):
    council = OrganisationFactory(name="Derbyshire County Council")

    lines, _, failure = run(str(DERBYSHIRE), str(ST_HELENS), "--authority", str(council.pk))

    assert failure is None
    assert [line["authority"] for line in lines] == [council.pk, council.pk]
    assert not any("St Helens" in w for w in lines[0]["warnings"])
    assert any("St Helens" in w and str(council) in w for w in lines[1]["warnings"])

    lines, _, failure = run(str(DURHAM), "--authority", "derbyshire")
    assert lines[0]["authority"] == council.pk

    # Run again without --authority: no council is named St Helens, but the report is
    # known, so it is a duplicate, not a refusal.
    lines, _, failure = run(str(ST_HELENS))
    assert failure is None
    assert lines[0]["status"] == "duplicate"


def test_an_unknown_authority_or_path_stops_before_anything_is_read(db, tmp_path):
    with pytest.raises(CommandError, match="No local authority “Atlantis”"):
        call_command("import_report", str(DERBYSHIRE), "--authority", "Atlantis")
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_report", str(DERBYSHIRE), str(tmp_path / "missing"))
    with pytest.raises(CommandError, match="No reports found"):
        call_command("import_report", str(tmp_path))
    assert not Inspection.objects.exists()


def test_the_summary_table_counts_each_kind_on_standard_error(councils):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_report", str(DERBYSHIRE), str(DURHAM), str(ST_HELENS), stdout=out,
                 stderr=err)  # fmt: skip

    rows = {line.split()[0]: line.split() for line in err.getvalue().splitlines() if line}
    assert rows["kind"][:5] == ["kind", "files", "refused", "items", "warnings"]
    assert rows["safeguarding_lac"][1:5] == ["2", "0", "28", "0"]  # 13 + 15 items
    assert rows["focused_visit"][1:5] == ["1", "0", "7", "0"]
    assert rows["all"][1:5] == ["3", "0", "35", "0"]
    assert rows["all"][-1].endswith((".txt", ".pdf"))  # the slowest file, named
    assert "3 files: 3 imported." in err.getvalue()
    # Standard output has the account of each file, and nothing else.
    text = out.getvalue()
    assert text.count(": imported as inspection") == 3
    assert "Plan due: 2011-08-15" in text
    assert "3 files:" not in text


def test_from_the_shell_the_exit_status_is_1_with_a_line_per_refused_file(tmp_path):
    reports = folder(tmp_path, DERBYSHIRE, notes="Shopping list: eggs, milk.", empty="")

    result = subprocess.run(
        [sys.executable, "manage.py", "import_report", str(reports), "--dry-run", "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )

    assert result.returncode == 1
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["status"] for line in lines] == ["parsed", "refused", "refused"]
    refusals = [line for line in result.stderr.splitlines() if line.startswith(str(reports))]
    assert [line.split(":")[0] for line in refusals] == [
        str(reports / "empty.txt"),
        str(reports / "notes.txt"),
    ]
    assert "No recommendations could be found" in refusals[1]
