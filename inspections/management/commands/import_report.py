"""python manage.py import_report PATH [--dry-run] [--json] [--received YYYY-MM-DD]"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.errors import DomainError
from inspections import importer, services
from inspections.importing.result import ParsedReport


def _deadlines(report: ParsedReport, received: dt.date | None) -> tuple[dt.date | None, ...]:
    """The plan and draft plan due dates the import records, by the model's own rules."""
    inspection = services.unsaved_inspection(report, received_date=received)
    inspection.refresh_deadlines()
    return inspection.plan_due_date, inspection.draft_plan_due_date


class Command(BaseCommand):
    help = "Read an inspection report (PDF or text) and create its plan skeleton."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Parse only; save nothing.")
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="Print the result as JSON."
        )
        parser.add_argument(
            "--received", type=dt.date.fromisoformat, help="Date the report was received."
        )

    def handle(self, *args, path: Path, dry_run: bool, as_json: bool, received, **options) -> None:
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from None
        try:
            report = importer.parse(data, path.name)
            if not dry_run:
                existing = services.find_duplicate(data)
                if existing is not None:
                    raise CommandError(
                        f"This report has already been imported: {existing} (id {existing.pk})."
                    )
                inspection = importer.import_bytes(
                    data=data, filename=path.name, user=None, received_date=received
                )
        except DomainError as error:
            raise CommandError(error.message) from None
        plan, draft = _deadlines(report, received)
        if as_json:
            self._print_json(report, plan, draft)
            return
        self._print_summary(report, plan, draft)
        if dry_run:
            self.stdout.write("Dry run: nothing was saved.")
        else:
            self.stdout.write(self.style.SUCCESS(f"Imported as inspection {inspection.pk}."))

    def _print_json(self, report: ParsedReport, plan, draft) -> None:
        data = report.to_dict()
        data.pop("stated_plan_due_date", None)
        data.pop("stated_draft_plan_due_date", None)
        data["plan_due_date"] = plan.isoformat() if plan else None
        data["draft_plan_due_date"] = draft.isoformat() if draft else None
        data["stated_plan_due_date"] = _iso(report.stated_plan_due_date)
        data["stated_draft_plan_due_date"] = _iso(report.stated_draft_plan_due_date)
        self.stdout.write(json.dumps(data, indent=2, ensure_ascii=False))

    def _print_summary(self, report: ParsedReport, plan, draft) -> None:
        out = self.stdout.write
        out(f"{report.local_authority or 'Unknown authority'}: {report.inspection_type}")
        out(f"Published: {_iso(report.publication_date) or 'not found'}")
        out(f"Judgements: {len(report.judgements)}")
        out(f"Recommendations: {len(report.recommendations)}")
        for number, rec in enumerate(report.recommendations, 1):
            out(f"  {number}. [{rec.timescale}] {rec.text[:100]}")
        out(f"Plan due: {_iso(plan) or 'not known'}")
        if draft:
            out(f"Draft plan due: {_iso(draft)}")
        for warning in report.warnings:
            self.stderr.write(f"Warning: {warning}")


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None
