"""Who and when: local authority, kind of inspection, dates and lead inspector.

The lead inspector is recorded by name only ("Lynne Staines", not "Lynne Staines HMI"),
whichever way the report prints the title. The local authority is recorded as Ofsted names
the area ("Derbyshire", "Isle of Wight"), without "Council" or "Local Area Partnership".
"""

from __future__ import annotations

import datetime as dt
import re

from .clean import Para
from .dates import DATE, MONTH, RANGE, make_date, parse_date, parse_range

# Earliest match in the report wins: the title comes before any mention of other kinds.
_TYPES = (
    ("joint_area_review", r"joint area review"),
    ("safeguarding_lac", r"safeguarding and looked after children (?:services|inspection)"),
    (
        "looked_after_children",
        r"inspection of looked after children|looked after children "
        r"services inspection",
    ),
    (
        "sif",
        r"inspection of services for children in need of help and protection|single "
        r"inspection framework"
        # the board's review, published on its own alongside the single inspection
        r"|review of the effectiveness of the local safeguarding children board",
    ),
    (
        "ilacs",
        r"inspection of children['’]s social care services|inspection of [\w\s,'’&.-]{2,60}"
        r"local authority children['’]s services|\bILACS\b"
        # a title that names a council or a trust rather than "local authority", and the
        # first judgement only this framework gives
        r"|^inspection of [\w\s,'’&.-]{2,60}?children['’]s services$"
        r"|the impact of leaders on social work practice with children and families",
    ),
    ("focused_visit", r"focused visit"),
    ("monitoring_visit", r"monitoring visit|post-inspection (?:progress|monitoring)"),
    ("jtai", r"joint targeted area inspection"),
    ("send_area", r"area SEND (?:inspection|revisit)|local area SEND|SEND inspection of"),
)
_TYPE_RE = [(kind, re.compile(pattern, re.I | re.M)) for kind, pattern in _TYPES]

_INLINE_AUTHORITY = [
    re.compile(p, re.I)
    for p in (
        # "Focused visit to Derbyshire local authority children's services"
        r"^focused visit to (?P<la>.+?) (?:local authority )?children['’]s services",
        r"^monitoring visit (?:to|of) (?P<la>.+?) (?:local authority )?children['’]s services",
        # The title names the area after "in", unless it is too long to (Greenwich 2018).
        r"^joint targeted area inspection of the multi-agency response to .+ in (?P<la>.+?)$",
        r"^joint targeted area inspection of (?!the multi-agency response)(?P<la>.+?)$",
        r"^(?:joint )?(?:area SEND inspection|local area SEND (?:inspection|revisit)) (?:of|in) "
        r"(?P<la>.+?)$",
        r"^inspection of (?P<la>.+?) local authority children['’]s services$",
        # "Inspection of Buckinghamshire Council children's services", "… Children and
        # Families Trust" (a trust runs the services for the council)
        r"^inspection of (?!local authority)(?P<la>.+?) (?:children['’]s services|children and "
        r"families trust|children['’]s (?:services )?trust)$",
        r"^inspection of safeguarding and looked after children services\s+(?P<la>\S.+)$",
        r"^joint area review(?: of)?\s+(?P<la>\S.+?)(?: children['’]s services authority area)?$",
        r"^(?P<la>.+?) children['’]s services authority area$",
    )
]
_TITLES = re.compile(
    r"^(?:inspection of safeguarding and looked after children services|inspection of looked "
    r"after children services|inspection of local authority children['’]s services|"
    r"review of the effectiveness of the local safeguarding children board\d{0,2}|"
    r"inspection of children['’]s social care services|inspection of "
    r"services for children in need of help and protection.*|joint area review)$",
    re.I,
)
_IN_SENTENCE = re.compile(
    r"children['’]s services in (?P<la>[A-Z][\w ,&'’.-]{1,60}?) (?:are|is|requires?) ", re.I
)
# A joint targeted area inspection letter "outlines our findings about the effectiveness
# of partnership working and the work of individual agencies in Greenwich local authority."
_AGENCIES_IN = re.compile(
    r"work of individual agencies in (?P<la>[A-Z][\w ,&'’-]{1,60}?)\s*(?:local authority|local "
    r"area)?\s*[.,]"
)
_SUFFIX = re.compile(
    r"(?:\s+(?:(?:metropolitan\s+)?(?:borough|county|city|district)\s+)?council|\s+local area"
    r"(?:\s+partnership)?|\s+children['’]s services(?: authority area)?|\s+partnership"
    r"|\s+(?:local\s+)?safeguarding\s+children\s+board)$",
    re.I,
)
_NAME = (
    r"(?P<name>(?:Dr\.? )?[A-Z][A-Za-z'’\-]+"
    r"(?:[ \t]+(?:[A-Z][A-Za-z'’\-]+|[A-Z]\.?(?![A-Za-z'’])))*)"
)
_NOT_NAME = {"HMI", "OI", "Her", "His", "Ofsted", "Senior", "Inspector", "CQC", "Lead", "Age"}
_COURTESY_TITLES = {"Mr", "Mrs", "Ms", "Miss", "Mx"}
_LEAD = [
    re.compile(p)
    for p in (
        # "Sue Eastwood, Ofsted Lead inspector" (area SEND, 2024) prints no "HMI"
        rf"{_NAME},?[ \t]+(?:Ofsted[ \t]+)?(?:HMI,?[ \t]+)?[Ll]ead [Ii]nspector",
        rf"(?m)^(?:[Ll]ead|[Rr]eporting) [Ii]nspector\s*:?[ \t]*{_NAME}",
        rf"[Tt]he (?:lead )?inspectors? (?:were|was)[ \t]+{_NAME},?[ \t]+(?:Her|His) Majesty",
        rf"Yours sincerely\s*\n{_NAME}\s*\n(?:Her|His) Majesty['’]s Inspector",
    )
]
_INSPECTION_DATES = [
    re.compile(p, re.I | re.M)
    for p in (
        r"\b(?<!previous )inspection dates?\s*:?\s*",
        r"\bdates? of (?:the )?inspection\s*:?\s*",
        r"\b(?:inspection|visit|review)\b[^.\n]{0,100}?\btook place (?:from |on |between )?",
        r"\b(?:focused|monitoring) visit\b[^.\n]{0,120}?\bon ",
        # joint targeted area inspection letters: "Between 25 and 29 September 2017, Ofsted,
        # the Care Quality Commission … undertook a joint inspection"
        r"(?:^|[.:]\s+)between\s+(?=\d)",
    )
]
# The earliest letters leave out the year ("Between 20 and 24 June, Ofsted …"): it is the
# year of the letter's own date, printed above.
_YEARLESS_RANGE = re.compile(
    rf"(?:^|[.:]\s+)between\s+(?P<d1>\d{{1,2}})\s+and\s+(?P<d2>\d{{1,2}})\s+(?P<month>{MONTH})"
    r"(?![\s\d]*(?:19|20)\d\d)",
    re.I | re.M,
)
_PUBLISHED = [
    re.compile(rf"\b(?:report )?published\s*:?\s*{DATE}", re.I),
    re.compile(rf"\bpublication (?:on|date:?) {DATE}", re.I),
]


def inspection_type(text: str) -> str:
    """The kind named first: the title, before any mention of other kinds."""
    for window in (text[:6000], text):
        best, where = "other", len(window) + 1
        for kind, pattern in _TYPE_RE:
            match = pattern.search(window)
            if match and match.start() < where:
                best, where = kind, match.start()
        if best != "other":
            return best
    return "other"


def clean_authority(name: str) -> str:
    name = " ".join(name.split()).strip(" ,.:")
    name = re.sub(r"^the\s+", "", name, flags=re.I)
    for _ in range(2):
        name = _SUFFIX.sub("", name).strip(" ,")
    return name


def _name_like(text: str) -> bool:
    words = text.split()
    return (
        0 < len(words) <= 7
        and text[0].isupper()
        and not re.search(r"[\d:;.,?]|ofsted|report|inspection|review|crown|contents", text, re.I)
    )


# A line that cannot end a council's name: the name goes on over the next line.
_WRAPS_ON = re.compile(r"\b(?:and|of|upon|on|&)$", re.I)
_STYLE_ONLY = re.compile(
    r"^(?:(?:metropolitan\s+)?(?:borough|county|city|district)\s+)?council$", re.I
)


def _wrapped_rest(paras: list[Para], head: list[str], index: int) -> str:
    """The rest of a title line's area on the next line, when a title in large type wraps
    ("Area SEND inspection of East" / "Sussex Local Area Partnership")."""
    if index + 1 >= len(head) or not (paras[index].heading_hint and paras[index + 1].heading_hint):
        return ""
    following = head[index + 1]
    if not _name_like(following) or _TITLES.match(following):
        return ""
    if any(pattern.match(following) for pattern in _INLINE_AUTHORITY):
        return ""
    return f" {following}"


def _name_above(paras: list[Para], head: list[str], index: int) -> str:
    """The council's name printed above a report's title, over one line or two
    ("The Royal Borough of Windsor and" / "Maidenhead", "Doncaster Metropolitan Borough"
    / "Council")."""
    if not index:
        return ""
    name = head[index - 1]
    if index >= 2 and paras[index - 1].heading_hint and paras[index - 2].heading_hint:
        upper = head[index - 2]
        if _name_like(upper) and (_WRAPS_ON.search(upper) or _STYLE_ONLY.match(name)):
            return f"{upper} {name}"
    return name


def local_authority(paras: list[Para], text: str) -> str:
    head = [" ".join(p.text.split()) for p in paras[:60]]
    # A title set in large type may wrap onto a second line that reads as a paragraph of
    # its own ("Inspection of Bath and North East" / "Somerset local authority …").
    titles = [
        f"{line} {head[index + 1]}"
        for index, line in enumerate(head[:-1])
        if paras[index].heading_hint and paras[index + 1].heading_hint
    ]
    for index, line in enumerate(head + titles):
        for pattern in _INLINE_AUTHORITY:
            match = pattern.match(line)
            if match:
                rest = _wrapped_rest(paras, head, index) if match.end("la") == len(line) else ""
                return clean_authority(match.group("la") + rest)
    for index, line in enumerate(head):
        if _TITLES.match(line):
            before = _name_above(paras, head, index)
            after = head[index + 1] if index + 1 < len(head) else ""
            for candidate in (before, after):
                if candidate and _name_like(candidate):
                    return clean_authority(candidate)
    for pattern in (_IN_SENTENCE, _AGENCIES_IN):
        match = pattern.search(text)
        if match:
            return clean_authority(match.group("la"))
    return ""


def lead_inspector(text: str) -> str:
    for pattern in _LEAD:
        match = pattern.search(text)
        if match:
            words: list[str] = []
            for word in match.group("name").split():
                if word in _NOT_NAME:
                    break
                words.append(word)
            if words and words[0] in _COURTESY_TITLES:
                words = words[1:]  # "Mr Chris Ellison, Ofsted Lead inspector"
            if len(words) >= 2:
                return " ".join(words)
    return ""


def inspection_dates(text: str) -> tuple[dt.date | None, dt.date | None]:
    for pattern in _INSPECTION_DATES:
        for match in pattern.finditer(text):
            start, end = parse_range(text[match.end() : match.end() + 90])
            if end:
                return start, end
    yearless = _YEARLESS_RANGE.search(text)
    letter_date = parse_date(text[:3000])
    if yearless and letter_date:
        year = str(letter_date.year)
        start = make_date(yearless.group("d1"), yearless.group("month"), year)
        end = make_date(yearless.group("d2"), yearless.group("month"), year)
        if start and end and end <= letter_date:
            return start, end
    return None, None


def publication_date(paras: list[Para], text: str) -> dt.date | None:
    for pattern in _PUBLISHED:
        match = pattern.search(text)
        if match:
            return parse_date(match.group())
    # A letter is dated on its own line near the top: the day it was published.
    for para in paras[:25]:
        line = " ".join(para.text.split())
        if len(line) <= 30 and parse_date(line) and not RANGE.match(line):
            date = parse_date(line)
            if date and re.fullmatch(rf"{DATE}", line, re.I):
                return date
    return None
