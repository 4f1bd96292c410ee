"""Dates as Ofsted prints them: "6 May 2011", "Tuesday 25 October 2022", "15 – 19 July 2013",
"15, 16 and 21 July 2025"."""

from __future__ import annotations

import datetime as dt
import re

MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?"  # noqa: E501
_MONTH = MONTH
_WEEKDAY = r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?"
_DAY = r"(?:0?[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?"  # "02 March 2020" in some 2020 reports
DATE = rf"{_WEEKDAY}(?P<day>{_DAY})\s+(?P<month>{_MONTH})\s+(?P<year>(?:19|20)\d\d)"
_DATE_RE = re.compile(DATE, re.I)
RANGE = re.compile(
    rf"{_WEEKDAY}(?P<d1>{_DAY})(?:\s+(?P<m1>{_MONTH}))?(?:\s+(?P<y1>(?:19|20)\d\d))?"
    # the days of a visit may be listed: "15, 16 and 21 July 2025"
    rf"(?:\s*,\s*{_DAY})*"
    rf"\s*(?:–|—|-|to|and|until)\s*{_WEEKDAY}(?P<d2>{_DAY})\s+(?P<m2>{_MONTH})\s+"
    rf"(?P<y2>(?:19|20)\d\d)",
    re.I,
)


def _month(name: str) -> int:
    key = name.lower().rstrip(".")[:3]
    return [m[:3] for m in MONTHS].index(key) + 1


def _day(text: str) -> int:
    return int(re.match(r"\d+", text).group())  # type: ignore[union-attr]


def make_date(day: str, month: str, year: str) -> dt.date | None:
    try:
        return dt.date(int(year), _month(month), _day(day))
    except ValueError:
        return None


def parse_date(text: str) -> dt.date | None:
    """The first full date in `text`."""
    match = _DATE_RE.search(text)
    if not match:
        return None
    return make_date(match.group("day"), match.group("month"), match.group("year"))


# A second visit of the same inspection, listed after the first, weeks later at most.
_SECOND_VISIT = re.compile(r"\s*,?\s*and\s+(?=\d)", re.I)
_VISITS_APART = dt.timedelta(days=120)


def parse_range(text: str) -> tuple[dt.date | None, dt.date | None]:
    """Start and end of "7 – 18 March 2011", "23 to 27 May 2022" or a single date. An
    inspection in two visits ("19 November–11 December 2013 and 28–30 January 2014")
    starts with the first and ends with the second."""
    text = text.strip()
    match = RANGE.match(text)
    if match:
        end = make_date(match.group("d2"), match.group("m2"), match.group("y2"))
        start = make_date(
            match.group("d1"),
            match.group("m1") or match.group("m2"),
            match.group("y1") or match.group("y2"),
        )
        if start and end and start > end and not match.group("y1"):
            # "28 November – 13 December 2011" has one year; across new year it is the one before
            start = start.replace(year=start.year - 1)
        second = _SECOND_VISIT.match(text, match.end())
        if second and end:
            later_start, later_end = parse_range(text[second.end() :])
            if later_start and later_end and end < later_start <= end + _VISITS_APART:
                end = later_end
        return start, end
    single = _DATE_RE.match(text.strip())
    if single:
        date = make_date(single.group("day"), single.group("month"), single.group("year"))
        return date, date
    return None, None
