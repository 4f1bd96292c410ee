"""python manage.py import_report PATH [PATH ...] [--plan ID | --hold-as-history]
[--authority NAME_OR_ID] [--dry-run] [--json] [--received YYYY-MM-DD]

Reads inspection reports and letters (PDF or text) and saves each one as a source of an
improvement plan. A PATH may be a folder: it is searched recursively for .pdf, .txt and
.md files, read in sorted order, so that a council can load its history of reports in one
go.

Which plan each report feeds, simply and predictably:

    --plan ID           every file becomes a source of that existing plan. Refused before
                        anything is read if there is no such plan, if it is closed, or if
                        --authority names another council; a report that names another
                        existing council than the plan's is refused (the others are saved).
    --hold-as-history   every file is held as history: it feeds no plan, and its items
                        are compared with later reports' items to find repeats.
    (neither)           each file starts a new plan of its own.

Each file is read and saved on its own, in its own transaction: a refused file leaves the
others imported, and a file imported before is reported as a duplicate, so running the
command again over the same folder picks up where a stopped run left off.

Each report belongs to an existing local authority; no organisation is ever made from a
report's text. With --plan, that is the plan's council. With --authority (an id, or a
name matched as the import page matches it) every report is that council's, and a report
naming another council gets a warning. Without either, each report goes to the one
existing council whose name the report prints, and a report naming none is refused.
--dry-run reads the files only: it does not read the database, so it neither finds
duplicates nor checks authorities or plans.

Standard output carries one result per file, and nothing else, so that it can be piped:
a short account of the report, or with --json one JSON object per line:

    file             the path as found
    status           "imported", "parsed" (--dry-run), "duplicate" or "refused"
    message          why the file was refused, or which import it duplicates
    inspection       the saved inspection's id (for a duplicate: the one imported before)
    authority        the id of the council whose report it is
    plan             the id of the plan the report is a source of (null: held as history)
    held_as_history  true when the report feeds no plan
    ...              the parsed report's fields (local_authority, inspection_type, dates,
                     judgements, recommendations, warnings, plan_due_date,
                     draft_plan_due_date, stated_*); each saved recommendation has its
                     "id" and its "order" in the report

Standard error carries the warnings, the summary table per kind of inspection and, when
any file was refused, one line per refused file with the reason; the exit status is then
1, otherwise 0 (duplicates are not failures).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.errors import DomainError
from core.models import Organisation
from inspections import authorities, batch, importer, services
from inspections.importing.result import ParsedReport
from inspections.models import Inspection
from plans.models import Plan, PlanStatus


@dataclasses.dataclass(frozen=True)
class _Destination:
    """Where every file goes: an existing plan, no plan (history), or (neither) a new plan
    for each."""

    plan: Plan | None = None
    hold_as_history: bool = False


@dataclasses.dataclass
class _Result:
    """One file's outcome, with what the printing needs beside the tally."""

    outcome: batch.Outcome
    report: ParsedReport | None = None
    inspection: Inspection | None = None  # saved now or, for a duplicate, before


class Command(BaseCommand):
    help = (
        "Read inspection reports and letters (PDF or text files, or folders of them) into a "
        "plan: --plan ID, a new plan each (the default), or --hold-as-history."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "paths",
            nargs="+",
            type=Path,
            metavar="PATH",
            help="A report, or a folder searched recursively for .pdf, .txt and .md files.",
        )
        parser.add_argument(
            "--authority",
            metavar="NAME_OR_ID",
            help="The existing local authority whose plans these are (default: the council "
            "each report names, when it exists).",
        )
        where = parser.add_mutually_exclusive_group()
        where.add_argument(
            "--plan",
            type=int,
            metavar="ID",
            help="The existing plan every report becomes a source of (default: each report "
            "starts a new plan).",
        )
        where.add_argument(
            "--hold-as-history",
            action="store_true",
            help="Hold every report as history: it feeds no plan; its items are compared "
            "with later reports' to find repeats.",
        )
        parser.add_argument("--dry-run", action="store_true", help="Parse only; save nothing.")
        parser.add_argument(
            "--json",
            action="store_true",
            dest="as_json",
            help="Print one JSON object per file, one per line.",
        )
        parser.add_argument(
            "--received",
            type=dt.date.fromisoformat,
            help="Date the reports were received (YYYY-MM-DD).",
        )

    def handle(
        self,
        *args: Any,
        paths: list[Path],
        dry_run: bool,
        as_json: bool,
        received: dt.date | None,
        authority: str | None = None,
        plan: int | None = None,
        hold_as_history: bool = False,
        verbosity: int = 1,
        **options: Any,
    ) -> None:
        try:
            files = batch.collect_reports(paths)
        except batch.MissingPath as error:
            raise CommandError(str(error)) from None
        if not files:
            raise CommandError(
                "No reports found: a folder is searched for "
                f"{', '.join(batch.REPORT_SUFFIXES)} files."
            )
        if plan is not None and hold_as_history:  # call_command does not apply the group
            raise CommandError("Give --plan or --hold-as-history, not both.")
        council = _named_authority(authority) if authority and not dry_run else None
        target = _named_plan(plan, council) if plan is not None and not dry_run else None
        destination = _Destination(plan=target, hold_as_history=hold_as_history)
        summary = batch.Summary()
        for path in files:
            result = self._read(
                path, dry_run=dry_run, received=received, council=council, to=destination
            )
            summary.add(result.outcome)
            if as_json:
                self.stdout.write(json.dumps(_json_line(result, received), ensure_ascii=False))
            elif verbosity >= 1:
                self._print_result(result, received)
        self.stderr.write(summary.table())
        if dry_run and not as_json and verbosity >= 1:
            self.stderr.write("Dry run: nothing was saved.")
        if summary.refused:
            reasons = "\n".join(f"{o.path}: {o.message}" for o in summary.refused)
            raise CommandError(
                f"{len(summary.refused)} of {len(files)} files refused:\n{reasons}"
                if len(files) > 1
                else reasons
            )

    def _read(
        self,
        path: Path,
        *,
        dry_run: bool,
        received: dt.date | None,
        council: Organisation | None,
        to: _Destination,
    ) -> _Result:
        started = time.perf_counter()

        def outcome(
            status: str, report: ParsedReport | None = None, message: str = ""
        ) -> batch.Outcome:
            return batch.Outcome(
                path=path,
                status=status,
                seconds=time.perf_counter() - started,
                kind=report.inspection_type if report else batch.UNREAD_KIND,
                items=len(report.recommendations) if report else 0,
                warnings=len(report.warnings) if report else 0,
                message=message,
            )

        try:
            data = path.read_bytes()
        except OSError as error:
            return _Result(outcome(batch.REFUSED, message=f"Cannot read: {error.strerror}."))
        try:
            report = importer.parse(data, path.name)
        except DomainError as error:
            return _Result(outcome(batch.REFUSED, message=error.message))
        if dry_run:  # parse only: the database is not even read
            return _Result(outcome(batch.PARSED, report), report)
        # Before the council: a file imported under --authority is a duplicate, not a
        # refusal, when a later run is not told the council again.
        existing = services.find_duplicate(data)
        if existing is not None:
            return _duplicate(outcome, report, existing)
        if council is None and to.plan is not None:
            found = to.plan.local_authority
            named = authorities.find_authority(report.local_authority)
            if named is not None and named.pk != found.pk:
                message = (
                    f"The report is {named}'s, and plan {to.plan.pk} is {found}'s: a report "
                    "feeds only a plan of its own council."
                )
                return _Result(outcome(batch.REFUSED, report, message), report)
            mismatch = authorities.mismatch_warning(report.local_authority, found)
            if mismatch:
                report.warnings.append(mismatch)
        elif council is None:
            found = authorities.find_authority(report.local_authority)
            if found is None:
                return _Result(outcome(batch.REFUSED, report, _no_authority(report)), report)
        else:
            found = council
            mismatch = authorities.mismatch_warning(report.local_authority, council)
            if mismatch:
                report.warnings.append(mismatch)
        try:
            inspection = importer.import_bytes(
                data=data,
                filename=path.name,
                user=None,
                authority=found,
                received_date=received,
                parsed=report,
                plan=to.plan,
                hold_as_history=to.hold_as_history,
            )
        except services.DuplicateReport as duplicate:
            return _duplicate(outcome, report, duplicate.existing)
        except DomainError as error:
            return _Result(outcome(batch.REFUSED, report, error.message), report)
        return _Result(outcome(batch.IMPORTED, report), report, inspection)

    def _print_result(self, result: _Result, received: dt.date | None) -> None:
        """A short account of one file: what was read and what became of it."""
        outcome, report, inspection = result.outcome, result.report, result.inspection
        if report is None:
            return  # refused before it was read: the reason is on standard error
        out = self.stdout.write
        if outcome.status == batch.IMPORTED:
            where = (
                f"a source of plan {inspection.plan_id}"
                if inspection.plan_id
                else "held as history"
            )
            out(f"{outcome.path}: imported as inspection {inspection.pk}, {where}.")
        elif outcome.status == batch.REFUSED:
            out(f"{outcome.path}: read but not saved.")
        elif outcome.status == batch.DUPLICATE:
            out(f"{outcome.path}: not imported again. {outcome.message}")
        else:
            out(f"{outcome.path}: read (dry run).")
        plan, draft = services.expected_deadlines(parsed=report, received_date=received)
        out(f"  {report.local_authority or 'Unknown authority'}: {report.inspection_type}")
        out(f"  Published: {_iso(report.publication_date) or 'not found'}")
        out(f"  Judgements: {len(report.judgements)}")
        out(f"  Recommendations: {len(report.recommendations)}")
        for number, rec in enumerate(report.recommendations, 1):
            out(f"    {number}. [{rec.timescale}] {rec.text[:100]}")
        out(f"  Plan due: {_iso(plan) or 'not known'}")
        if draft:
            out(f"  Draft plan due: {_iso(draft)}")
        for warning in report.warnings:
            self.stderr.write(f"Warning: {outcome.path}: {warning}")


def _duplicate(
    outcome: Callable[..., batch.Outcome], report: ParsedReport, existing: Inspection
) -> _Result:
    message = f"Already imported as {existing} (inspection {existing.pk})."
    return _Result(outcome(batch.DUPLICATE, report, message), report, existing)


def _named_authority(value: str) -> Organisation:
    """The council --authority names: by id, or by name as the import page matches it."""
    if value.isdigit():
        found = authorities.local_authorities().filter(pk=int(value)).first()
    else:
        found = authorities.find_authority(value)
    if found is None:
        raise CommandError(
            f"No local authority “{value}”, or more than one: give an existing council's id "
            "or name (an administrator adds councils)."
        )
    return found


def _named_plan(pk: int, council: Organisation | None) -> Plan:
    """The plan --plan names, refused unless it exists, is open and is --authority's."""
    plan = Plan.objects.select_related("local_authority").filter(pk=pk).first()
    if plan is None:
        raise CommandError(f"No plan {pk}: give the id of an existing plan.")
    if council is not None and plan.local_authority_id != council.pk:
        raise CommandError(
            f"Plan {pk} is {plan.local_authority}'s plan, not {council}'s: a report feeds "
            "only a plan of its own council."
        )
    if plan.status == PlanStatus.CLOSED:
        raise CommandError(f"Plan {pk} is closed: a report can feed only an open plan.")
    return plan


def _no_authority(report: ParsedReport) -> str:
    printed = report.local_authority.strip()
    if not printed:
        return "The report's local authority could not be read: name it with --authority."
    return (
        f"No existing local authority, or more than one, is named “{printed}”: name the "
        "council with --authority (an administrator adds councils)."
    )


def _json_line(result: _Result, received: dt.date | None) -> dict[str, Any]:
    """One file's JSON object (the fields are listed in the module's docstring)."""
    outcome, report, inspection = result.outcome, result.report, result.inspection
    line: dict[str, Any] = {"file": str(outcome.path), "status": outcome.status}
    if outcome.message:
        line["message"] = outcome.message
    if inspection is not None:
        line["inspection"] = inspection.pk
        line["plan"] = inspection.plan_id
        line["held_as_history"] = inspection.plan_id is None
        line["authority"] = inspection.local_authority_id
    if report is None:
        return line
    plan, draft = services.expected_deadlines(parsed=report, received_date=received)
    data = report.to_dict()
    data.pop("stated_plan_due_date", None)
    data.pop("stated_draft_plan_due_date", None)
    data["plan_due_date"] = _iso(plan)
    data["draft_plan_due_date"] = _iso(draft)
    data["stated_plan_due_date"] = _iso(report.stated_plan_due_date)
    data["stated_draft_plan_due_date"] = _iso(report.stated_draft_plan_due_date)
    if outcome.status == batch.IMPORTED:
        saved = inspection.recommendations.order_by("order").values_list("pk", "order")
        for item, (pk, order) in zip(data["recommendations"], saved, strict=True):
            item["id"] = pk
            item["order"] = order
    return {**line, **data}


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None
