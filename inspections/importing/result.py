"""The structured result of reading an inspection report.

The parser fills these plain dataclasses; the import service turns them into models and
`import_report --json` prints them. Their field names are a stable interface.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

# Values shared with the models' choices (inspections.models).
INSPECTION_TYPES = (
    "joint_area_review",
    "safeguarding_lac",  # safeguarding and looked after children, 2009-2012
    "looked_after_children",  # looked after children inspection, 2012-2013
    "sif",  # single inspection framework, 2013-2018
    "ilacs",  # inspection of local authority children's services, 2018-
    "focused_visit",
    "monitoring_visit",
    "jtai",  # joint targeted area inspection
    "send_area",
    "other",
)
TIMESCALES = ("immediately", "three_months", "six_months", "longer_term", "none")
FRAMEWORK_KINDS = ("outcome", "enabler", "principle")
GRADES = ("outstanding", "good", "requires_improvement", "inadequate")
SCALES = (
    "words",  # outstanding / good / requires improvement / inadequate, in words
    "jar_4_high",  # joint area review: 4 = outstanding ... 1 = inadequate
    "grade_1_high",  # 2009-2013: Grade 1 (Outstanding) ... Grade 4 (Inadequate)
    "outcome",  # a sentence rather than a grade (area SEND outcomes)
)


@dataclasses.dataclass
class ParsedJudgement:
    area: str
    section: str
    grade_text: str  # exactly as printed, e.g. "Grade 3 (Adequate)" or "3"
    scale: str  # one of SCALES
    grade: str | None  # one of GRADES, or None when the judgement is not a grade


@dataclasses.dataclass
class ParsedRecommendation:
    section: str  # the heading it stands under, e.g. "Areas for improvement: safeguarding"
    timescale: str  # one of TIMESCALES
    text: str  # verbatim, whitespace normalised, hyphenation across lines undone
    addressee: str = ""  # as printed, e.g. "NHS Derbyshire County"; "" when not named
    number: str = ""  # number or paragraph reference as printed, "" when unnumbered
    priority: bool = False  # an area for priority action
    # The Children's Social Care National Framework cross-reference that reports since 2025
    # print at the end of an item ("(outcome 4, national framework)"); the text keeps it.
    framework_kind: str = ""  # one of FRAMEWORK_KINDS, "" when the item prints none
    framework_number: int | None = None  # e.g. 4 for outcome 4; None when not known
    framework_name: str = ""  # the framework's own name for it, e.g. "Leaders drive …"


@dataclasses.dataclass
class ParsedReport:
    local_authority: str = ""
    inspection_type: str = "other"
    inspection_start: dt.date | None = None
    inspection_end: dt.date | None = None
    publication_date: dt.date | None = None
    lead_inspector: str = ""
    stated_plan_due_date: dt.date | None = None  # a date the report states for the plan
    stated_draft_plan_due_date: dt.date | None = None
    judgements: list[ParsedJudgement] = dataclasses.field(default_factory=list)
    recommendations: list[ParsedRecommendation] = dataclasses.field(default_factory=list)
    warnings: list[str] = dataclasses.field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        def value(v: Any) -> Any:
            return v.isoformat() if isinstance(v, dt.date) else v

        data = {k: value(v) for k, v in dataclasses.asdict(self).items()}
        return data
