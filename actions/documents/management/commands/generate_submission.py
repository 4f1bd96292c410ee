"""Generate a plan's submission (Word or PDF) or its spreadsheet export from the shell.

    python manage.py generate_submission 12 --format pdf --output plan.pdf

Word and PDF are recorded as document versions like those made on the page (with no
person as their author unless --user is given); spreadsheets are exports, not kept.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from actions.tracker import workbook as spreadsheet
from core.errors import DomainError
from core.models import User
from inspections.models import Inspection

from ... import services
from ...models import DocumentKind
from ...snapshot import build_plan_snapshot, iter_recommendation_chunks


class Command(BaseCommand):
    help = "Generate an inspection's plan submission (docx, pdf) or export (xlsx, csv)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("inspection_id", type=int)
        parser.add_argument("--format", required=True, choices=["docx", "pdf", "xlsx", "csv"])
        parser.add_argument("--output", required=True, type=Path)
        parser.add_argument("--user", help="Username recorded as having generated it.")
        parser.add_argument("--signed-by", help="Username of the director signing the plan.")
        parser.add_argument("--signed-on", type=dt.date.fromisoformat, help="YYYY-MM-DD")

    def _user(self, username: str | None) -> User | None:
        if not username:
            return None
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user is called {username!r}.")
        return user

    def handle(self, *args, **options) -> None:
        inspection = Inspection.objects.filter(pk=options["inspection_id"]).first()
        if inspection is None:
            raise CommandError(f"No inspection has id {options['inspection_id']}.")
        fmt, output = options["format"], options["output"]
        if fmt == "xlsx":
            output.write_bytes(spreadsheet.to_xlsx(build_plan_snapshot(inspection)))
        elif fmt == "csv":
            with output.open("w", encoding="utf-8", newline="") as handle:
                for line in spreadsheet.csv_lines(iter_recommendation_chunks(inspection)):
                    handle.write(line)
        else:
            try:
                version = services.request_document(
                    inspection=inspection,
                    by=self._user(options["user"]),
                    kind=DocumentKind.SUBMISSION,
                    fmt=fmt,
                    signed_by=self._user(options["signed_by"]),
                    signed_on=options["signed_on"],
                    background=False,
                )
            except DomainError as error:
                raise CommandError(error.message) from error
            if version.status != "ready":
                raise CommandError(version.message or "The document could not be generated.")
            with version.file.open("rb") as handle:
                output.write_bytes(handle.read())
            draft = " (draft — incomplete)" if version.is_draft else ""
            self.stdout.write(f"Version {version.pk}{draft}, sha256 {version.sha256}")
        self.stdout.write(self.style.SUCCESS(f"Wrote {output}"))
