"""Dates the report itself sets for the plan: they win over the 70-working-day formula.

Letters say so in a sentence: "send the written statement of action … by Tuesday 25
October 2022", "your final action plan on or before 3 December 2018 and your draft plan by
10 September 2018". Each date is read with the words just before it (back to the previous
date or the start of the sentence), so a draft and a final plan in one sentence are told
apart.
"""

from __future__ import annotations

import datetime as dt
import re

from .dates import DATE, make_date

_DUE = re.compile(rf"\b(?:by|on or before|no later than|before)\s+{DATE}", re.I)
_ABOUT_PLAN = re.compile(
    r"\b(?:plan|statement of (?:proposed )?action|written statement|action plan)\b", re.I
)
_DRAFT = re.compile(r"\b(?:draft|early draft)\b", re.I)


def stated_deadlines(text: str) -> tuple[dt.date | None, dt.date | None]:
    """(plan due date, draft plan due date) as the report states them, or None."""
    plan: dt.date | None = None
    draft: dt.date | None = None
    text = " ".join(text.split())
    previous_end = 0
    for match in _DUE.finditer(text):
        window = max(previous_end, match.start() - 200)
        sentence = text.rfind(". ", window, match.start())
        context = text[sentence + 2 if sentence >= 0 else window : match.start()]
        previous_end = match.end()
        if not _ABOUT_PLAN.search(context):
            continue
        date = make_date(match.group("day"), match.group("month"), match.group("year"))
        if date is None:
            continue
        if _DRAFT.search(context):
            draft = draft or date
        else:
            plan = plan or date
    return plan, draft
