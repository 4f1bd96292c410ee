"""Reading an Ofsted children's services inspection report into a `ParsedReport`.

    from inspections.importing import parse_report, ReportParseError, MAX_BYTES, MAX_PAGES
    result = parse_report(data, filename)

`parse_report` raises `ReportParseError`, and nothing else, for any input it cannot read;
the message is a sentence for the person who uploaded the file. Anything the parser is
unsure about is in `result.warnings` for a person to check before the import is saved.
No Django here: the module runs on its own (the benchmark, the command line).
"""

from __future__ import annotations

import logging
import re

from . import errors
from .clean import Para
from .deadlines import stated_deadlines
from .errors import ReportParseError
from .extract import MAX_BYTES, extract
from .judgements import parse_judgements
from .layout import build_paragraphs
from .metadata import (
    inspection_dates,
    inspection_type,
    lead_inspector,
    local_authority,
    publication_date,
)
from .monitoring import findings_to_respond_to
from .pdf_text import MAX_PAGES
from .recommendations import extract_recommendations
from .result import ParsedJudgement, ParsedRecommendation, ParsedReport
from .sections import find_blocks

__all__ = [
    "MAX_BYTES",
    "MAX_PAGES",
    "ParsedJudgement",
    "ParsedRecommendation",
    "ParsedReport",
    "ReportParseError",
    "parse_report",
]

logger = logging.getLogger(__name__)

_COMMITTEE_MARKERS = re.compile(
    r"^(?:report of the (?:cabinet member|strategic director|director|executive|leader|chief)"
    r"|reasons for recommendations?|background papers|list of appendices|other options "
    r"considered|this report has been approved by|(?:council )?cabinet\b|implications$)",
    re.I | re.M,
)


def parse_report(data: bytes, filename: str) -> ParsedReport:
    """Read `data` (a PDF, or text; told apart by content) as an inspection report."""
    try:
        return _parse(data, filename)
    except ReportParseError:
        raise
    except Exception as error:  # the one promise: no other exception escapes
        logger.exception("unexpected failure reading %r", filename)
        raise ReportParseError(errors.UNREADABLE) from error


def _parse(data: bytes, filename: str) -> ParsedReport:
    raw = extract(data, filename)
    paras = build_paragraphs(raw)
    text = "\n".join(" ".join(p.text.split()) for p in paras)
    fonts_known = raw.kind == "pdf" and any(p.heading_hint for p in paras)
    recommendations, warnings = extract_recommendations(find_blocks(paras, fonts_known))
    if not recommendations:
        if len(_COMMITTEE_MARKERS.findall(text)) >= 2:
            raise ReportParseError(errors.COMMITTEE_PAPER)
        if inspection_type(text[:3000]) == "monitoring_visit":
            # A progress letter makes no recommendations: its findings are the items.
            recommendations = findings_to_respond_to(paras, fonts_known)
            warnings = [
                errors.MONITORING_FINDINGS if recommendations else errors.MONITORING_NO_FINDINGS
            ]
        elif not _findings_without_improvements(paras, text):
            raise ReportParseError(errors.NO_RECOMMENDATIONS)
        else:
            warnings = [errors.NOTHING_TO_IMPROVE]

    report = ParsedReport(
        local_authority=local_authority(paras, text),
        inspection_type=inspection_type(text),
        publication_date=publication_date(paras, text),
        lead_inspector=lead_inspector(text),
        judgements=parse_judgements(paras),
        recommendations=recommendations,
    )
    report.inspection_start, report.inspection_end = inspection_dates(text)
    report.stated_plan_due_date, report.stated_draft_plan_due_date = stated_deadlines(text)
    report.warnings = _warnings(report, raw.kind, paras) + warnings
    return report


_FINDINGS = re.compile(r"^(?:main|headline) findings$", re.I)


def _findings_without_improvements(paras: list[Para], text: str) -> bool:
    """A focused visit letter whose findings name nothing to improve.

    When inspectors find nothing to improve, a focused visit letter goes from its
    "Headline findings" and "Main findings" to its close with no "What needs to improve"
    section. It is still a real inspection the council records (it counts in the plan's
    history), so it is read, with no items and a warning that says so, rather than
    refused as a file with no recommendations section.
    """
    if inspection_type(text[:3000]) != "focused_visit":
        return False
    return any(
        not para.bullet and _FINDINGS.match(" ".join(para.text.split()).rstrip(" :"))
        for para in paras
    )


def _warnings(report: ParsedReport, kind: str, paras: list[Para]) -> list[str]:
    found: list[str] = []
    if not report.local_authority:
        found.append("The local authority's name was not found: enter it by hand.")
    if report.inspection_type == "other":
        found.append("The kind of inspection was not recognised: choose it by hand.")
    if report.publication_date is None:
        found.append(errors.NO_PUBLICATION_DATE)
    if report.inspection_end is None:
        found.append("The inspection dates were not found: enter them by hand.")
    last = " ".join(paras[-1].text.split()) if paras else ""
    if kind == "text" and len(last.split()) >= 12 and (last[-1].islower() or last[-1] in ",-"):
        found.append(
            "The text seems to stop in the middle of a sentence: check that the whole report "
            "was copied."
        )
    return found
