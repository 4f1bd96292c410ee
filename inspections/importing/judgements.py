"""Judgements: the grades a report gives, as printed and normalised.

Four ways of printing them are read: "Grade 2 (Good)" under each heading (2009-2013,
1 = outstanding), the joint area review's table of numbers (4 = outstanding), a table or
sentence of words (single inspection framework and later: "Children's services in X are
good", "Overall effectiveness Good"), and the area SEND inspection outcome, a sentence.
"""

from __future__ import annotations

import re

from .clean import Para
from .result import ParsedJudgement
from .sections import heading_key, is_contents_entry, part_heading

_GRADE_1 = re.compile(
    r"^(?P<area>.*?)\s*(?P<grade>Grade\s*(?P<n>[1-4])\s*\((?P<word>[A-Za-z ]{3,40})\))\s*$"
)
_WORDS = r"(?:outstanding|good|requires? improvement(?: to be good)?|inadequate|adequate)"
_ROW = re.compile(rf"^(?P<area>.*?)[\s:]*(?P<grade>{_WORDS})$", re.I)
_ROW_NUMBER = re.compile(r"^(?P<number>\d{1,2}(?:\.\d{1,2})?)\.?\s+")
# "Children's services in X are good" / "… require improvement to be good"
# or, in 2014-15 single inspection reports, "The overall judgement is that children's
# services require improvement.2" (a footnote digit after the full stop)
# or, in others of 2014, "The overall judgement is requires improvement."
_OVERALL = re.compile(
    rf"^(?:(?:the overall judgement is that )?children['’]s services(?: in .+?)? (?:are |is )?"
    rf"|the overall judgement is )(?P<grade>{_WORDS})\.?\d{{0,2}}$",
    re.I,
)
# "The judgements on areas of the service that contribute to overall effectiveness are:"
_AREAS_INTRO = re.compile(r"^the judgements on areas of the service\b.*:$", re.I)
# "The Local Safeguarding Children Board is good", "The effectiveness of the Local
# Safeguarding Children Board (LSCB) is requires improvement." (2014)
_BOARD = re.compile(
    rf"^(?:the judgement for )?(?:the effectiveness of )?(?P<area>(?:the )?(?:local )?"
    rf"safeguarding children (?:board|partnership)(?: \(lscb\))?):? (?:is |are )?"
    rf"(?P<grade>{_WORDS})\.?$",
    re.I,
)
_HEADED = re.compile(
    r"^(?P<area>[A-Z].{3,120}?):\s*(?P<grade>outstanding|good|requires improvement to be good|"
    r"requires improvement|inadequate)$",
    re.I,
)
# An area and its grade for local services overall (a second column may follow).
_JAR_ROW = re.compile(r"^(?P<area>[A-Za-z][^\d]{2,80}?)\s+(?P<n>[1-4])(?:\s+[1-4])?$")
_JAR_LEGEND = re.compile(r"4\s*[:=]\s*outstanding", re.I)
_JAR_MAP = {"4": "outstanding", "3": "good", "2": "requires_improvement", "1": "inadequate"}
_GRADE_1_MAP = {"1": "outstanding", "2": "good", "3": "requires_improvement", "4": "inadequate"}


def normalise(grade_text: str, scale: str) -> str | None:
    """outstanding / good / requires_improvement / inadequate, or None for an outcome."""
    text = grade_text.lower()
    if scale == "outcome":
        return None
    for word, grade in (
        ("outstanding", "outstanding"),
        ("inadequate", "inadequate"),
        ("requires improvement", "requires_improvement"),
        ("require improvement", "requires_improvement"),
        ("adequate", "requires_improvement"),
        ("good", "good"),
    ):
        if word in text:
            return grade
    digit = re.search(r"[1-4]", text)
    if digit is None:
        return None
    return (_JAR_MAP if scale == "jar_4_high" else _GRADE_1_MAP).get(digit.group())


def _flat(para: Para) -> str:
    return " ".join(para.text.split())


def parse_judgements(paras: list[Para]) -> list[ParsedJudgement]:
    found = _numbered_grades(paras)
    if not found:
        found = _jar_table(paras) + _word_grades(paras) + _send_outcome(paras)
    if not found:
        found = _record_of_findings(paras)
    unique: dict[tuple[str, str], ParsedJudgement] = {}
    for judgement in found:
        unique.setdefault((judgement.section, judgement.area.lower()), judgement)
    return list(unique.values())


def _numbered_grades(paras: list[Para]) -> list[ParsedJudgement]:
    """2009-2013: "Grade 3 (Adequate)" after each heading, or at the end of it."""
    found: list[ParsedJudgement] = []
    part = ""
    previous = ""
    for para in paras:
        text = _flat(para)
        part = part_heading(para) or part
        match = _GRADE_1.match(text)
        if match and not is_contents_entry(para):
            area = match.group("area").strip(" :-–") or previous
            if area:
                grade = " ".join(match.group("grade").split())
                found.append(
                    ParsedJudgement(
                        area, part, grade, "grade_1_high", normalise(grade, "grade_1_high")
                    )
                )
        short = len(text.split()) <= 20 and not text.endswith((".", ";", ","))
        previous = text if short and not para.bullet else ""
    return found


def _jar_table(paras: list[Para]) -> list[ParsedJudgement]:
    """Joint area review: a "Grades" table of numbers, 4 = outstanding."""
    found: list[ParsedJudgement] = []
    for start, para in enumerate(paras):
        if heading_key(para.text) != "grades" or is_contents_entry(para):
            continue
        legend = False
        for row in paras[start + 1 : start + 30]:
            text = _flat(row)
            if _JAR_LEGEND.search(text):
                legend = True
                continue
            match = _JAR_ROW.match(text)
            if match and legend:
                grade = match.group("n")
                area = match.group("area").strip()
                found.append(ParsedJudgement(area, "", grade, "jar_4_high", _JAR_MAP[grade]))
            elif found or len(text.split()) > 6:
                break
        if found:
            break
    return found


def _word_grades(paras: list[Para]) -> list[ParsedJudgement]:
    """Grades in words: the summary table of the reports since 2013, the board's grade."""
    found: list[ParsedJudgement] = []
    for index, para in enumerate(paras):
        text = _flat(para)
        overall = _OVERALL.match(text)
        if overall:
            grade = overall.group("grade")
            found.append(
                ParsedJudgement(
                    "Overall effectiveness", "", grade, "words", normalise(grade, "words")
                )
            )
            found += _word_rows(paras[index + 1 : index + 40])
        elif heading_key(text) == "judgement grade" or _AREAS_INTRO.match(text):
            found += _word_rows(paras[index + 1 : index + 40])
        board = _BOARD.match(text)
        following = _flat(paras[index + 1]) if index + 1 < len(paras) else ""
        if not board and not text.endswith(".") and len(following.split()) <= 3:
            board = _BOARD.match(f"{text} {following}")  # the grade wraps onto a line
        if board:
            grade = board.group("grade")
            area = board.group("area")
            area = area[:1].upper() + area[1:]
            found.append(ParsedJudgement(area, "", grade, "words", normalise(grade, "words")))
    if not any(j.area != "Overall effectiveness" and j.section == "" for j in found):
        for para in paras:
            headed = _HEADED.match(_flat(para))
            if headed and len(_flat(para).split()) <= 25:
                grade = headed.group("grade")
                found.append(
                    ParsedJudgement(
                        headed.group("area"), "", grade, "words", normalise(grade, "words")
                    )
                )
    return found


def _word_rows(paras: list[Para]) -> list[ParsedJudgement]:
    """Rows of "area grade"; an area may wrap over lines, the grade may stand alone."""
    rows: list[ParsedJudgement] = []
    parents: dict[str, str] = {}
    pending = ""
    # Under "The overall judgement is good." (2014) a few sentences explain the judgement
    # before the table of the others.
    explaining = 3
    for para in paras:
        text = _flat(para)
        # An area, or a grade ("Requires" / "Improvement"), may wrap onto the next line.
        match = _ROW.match(f"{pending} {text}".strip())
        if match:
            area = match.group("area").strip()
            pending = ""
            # "The effectiveness of the … Board (LSCB) is good": a sentence after the
            # table, not a row of it (the board's grade is read on its own).
            if not area or area.endswith(".") or re.search(r"\s(?:is|are)$", area):
                break
            number = _ROW_NUMBER.match(area)
            section = ""
            if number:
                area, key = area[number.end() :], number.group("number")
                if "." in key:  # a sub-judgement, e.g. 2.1 under 2
                    section = parents.get(key.split(".")[0], "")
                else:
                    parents[key] = area
            grade = match.group("grade")
            rows.append(ParsedJudgement(area, section, grade, "words", normalise(grade, "words")))
            continue
        if not rows and _AREAS_INTRO.match(text):
            break  # the table follows its own introduction, read from there
        if text.endswith((".", ";")) and not rows and not pending and explaining:
            explaining -= 1
            continue
        if text.endswith((".", ";")) or len(f"{pending} {text}".split()) > 25:
            break
        pending = f"{pending} {text}".strip()
    return rows


# What follows the outcome under its heading: when the next or a monitoring inspection
# will be, and what Ofsted, the CQC or His Majesty's Chief Inspector ask of the partnership.
_AFTER_OUTCOME = re.compile(
    r"^(?:the next|an? (?:full |monitoring )?(?:area send )?(?:re)?inspection|ofsted|hmci|"
    r"his majesty|her majesty|as a result)\b",
    re.I,
)


def _send_outcome(paras: list[Para]) -> list[ParsedJudgement]:
    """Area SEND: the inspection outcome is a sentence or two, not a grade.

    The second sentence ("The local area partnership must work jointly to make
    improvements.") may be printed as a paragraph of its own; the outcome ends at the
    paragraph about the next inspection, at what Ofsted asks, or at the next heading.
    """
    for index, para in enumerate(paras[:-1]):
        if heading_key(para.text) == "inspection outcome" and not is_contents_entry(para):
            sentences: list[str] = []
            for following in paras[index + 1 : index + 4]:
                text = _flat(following)
                if following.heading_hint or _AFTER_OUTCOME.match(text) or not text.endswith("."):
                    break
                sentences.append(text)
            if sentences:
                outcome = " ".join(sentences)
                return [ParsedJudgement("Inspection outcome", "", outcome, "outcome", None)]
    return []


def _record_of_findings(paras: list[Para]) -> list[ParsedJudgement]:
    """The 2009-2013 summary table, read only when the body printed no grades."""
    for index, para in enumerate(paras):
        if heading_key(para.text) == "record of main findings" and not is_contents_entry(para):
            found: list[ParsedJudgement] = []
            section = ""
            for row in paras[index + 1 : index + 60]:
                text = _flat(row)
                match = _ROW.match(text)
                if match and match.group("area").strip():
                    grade = match.group("grade")
                    found.append(
                        ParsedJudgement(
                            match.group("area").strip(),
                            section,
                            grade,
                            "words",
                            normalise(grade, "words"),
                        )
                    )
                elif len(text.split()) <= 12 and not text.endswith("."):
                    section = text
                else:
                    break
            return found
    return []
