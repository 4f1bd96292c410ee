"""Generate a source's submission (Word or PDF) or a plan's tracker export from the shell.

    python manage.py generate_submission 12 --source 31 --format pdf --output plan.pdf
    python manage.py generate_submission 12 --format xlsx --output tracker.xlsx

The first argument is the plan's id. A submission answers one source of the plan
(--source, a report's id; it may be left out when the plan has one source). Word and PDF
are recorded as document versions like those made on the page (with no person as their
author unless --user is given); spreadsheets are exports of the whole plan, not kept.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from actions.tracker import workbook as spreadsheet
from core.errors import DomainError
from core.models import User
from plans.models import Plan

from ... import services
from ...models import DocumentKind
from ...snapshot import build_plan_snapshot, iter_theme_chunks


class Command(BaseCommand):
    help = "Generate a source's plan submission (docx, pdf) or the plan's tracker (xlsx, csv)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("plan_id", type=int)
        parser.add_argument("--source", type=int, help="The id of the report it answers.")
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

    def _source(self, plan: Plan, source_id: int | None):
        sources = list(plan.sources.order_by("pk"))
        if source_id is None:
            if len(sources) != 1:
                listed = ", ".join(f"{s.pk} ({s})" for s in sources) or "none"
                raise CommandError(
                    f"Plan {plan.pk} has {len(sources)} sources: choose one with --source "
                    f"(its sources: {listed})."
                )
            return sources[0]
        found = next((s for s in sources if s.pk == source_id), None)
        if found is None:
            raise CommandError(f"Report {source_id} is not a source of plan {plan.pk}.")
        return found

    def handle(self, *args, **options) -> None:
        plan = Plan.objects.filter(pk=options["plan_id"]).first()
        if plan is None:
            raise CommandError(f"No plan has id {options['plan_id']}.")
        fmt, output = options["format"], options["output"]
        if fmt == "xlsx":
            output.write_bytes(spreadsheet.to_xlsx(build_plan_snapshot(plan)))
        elif fmt == "csv":
            with output.open("w", encoding="utf-8", newline="") as handle:
                for line in spreadsheet.csv_lines(iter_theme_chunks(plan)):
                    handle.write(line)
        else:
            source = self._source(plan, options["source"])
            try:
                version = services.request_document(
                    plan=plan,
                    inspection=source,
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
