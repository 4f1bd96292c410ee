"""Headings: which paragraphs are headings, which start recommendations, and where each
recommendation section ends.

A contents entry ("Recommendations 7", "Areas for improvement<tab>28") is never a heading,
so a contents page cannot open a section. Footnote digits stuck to a heading ("What needs
to improve?1", "Board1") are ignored.
"""

from __future__ import annotations

import dataclasses
import re

from .clean import Para

# Headings that open a list of recommendations, and whether its items are priority actions.
_RECOMMENDATION_HEADINGS = (
    (re.compile(r"^recommendations?$"), False),
    (re.compile(r"^areas? for improvement$"), False),
    (re.compile(r"^areas? for development$"), False),
    (re.compile(r"^areas? for (?:priority|immediate) actions?$"), True),
    (re.compile(r"^priority actions?$"), True),
    # single inspection reports of 2014-15: "What does the local authority need to
    # improve?" then "Priority and immediate action" and "Areas for improvement"
    (re.compile(r"^priority and immediate actions?$"), True),
    (re.compile(r"^what needs to improve(?:\b.{0,80})?$"), False),
)
_TIMESCALES = (
    (re.compile(r"^(?:for )?immediate(?:ly| action)?$"), "immediately"),
    (
        re.compile(r"^(?:for action )?(?:within|over) (?:the next )?(?:three|3) months$"),
        "three_months",
    ),
    (
        re.compile(r"^(?:for action )?(?:within|over) (?:the next )?(?:six|6) months$"),
        "six_months",
    ),
    (
        re.compile(
            r"^(?:for action )?(?:in|over) the (?:longer|long|medium) term$|^longer term$"
            r"|^(?:for action )?(?:within|over) (?:the next )?(?:twelve|12) months$"
        ),
        "longer_term",
    ),
)
# Parts of a report that hold their own judgements and recommendations.
_PARTS = re.compile(
    r"^(?:section \d: )?(?:inspection of )?(?:the effectiveness of )?"
    r"(?:safeguarding services|services for looked after children|the local authority"
    r"|(?:the )?(?:local )?safeguarding children (?:board|partnership)(?: \(lscb\))?)$"
)
# "Section 2: The effectiveness of the Local Safeguarding Children Board" (2014), or the
# title of the board's own report bound after the council's ("Inspection of the
# effectiveness of the local safeguarding children board", 2015), names the part "the
# Local Safeguarding Children Board".
_PART_PREFIX = re.compile(r"^(?:section \d: )?(?:inspection of )?(?:the effectiveness of )?", re.I)
BOARD_PART = re.compile(r"safeguarding children (?:board|partnership)|\blscb\b", re.I)
_CONTENTS_ENTRY = re.compile(r"(?:\s|\.{2,})\d{1,3}$")
# "12. Ensure …", "2.1 Ensure …", "(a) …", and "145.Monitor …" (some 2014 reports print no
# space after the number)
_NUMBERED = re.compile(
    r"^(?:(?:\d{1,3}(?:\.\d{1,3})*[.)]|\d{1,3}\.\d{1,3}|\(?[a-z]\))\s+|\d{1,3}\.(?=[A-Z][A-Za-z]))"
)


_FOOTNOTE_MARK = re.compile(r"(?<=[A-Za-z?)])\d{1,2}$")


def heading_key(text: str) -> str:
    """A heading in a comparable form: lower case, no footnote digits, no final colon.

    Only its first 200 characters count: no heading is longer, and every paragraph of a
    report is asked whether it is one, so a long one is not worked through in full.
    """
    text = text[:200]
    return _FOOTNOTE_MARK.sub("", " ".join(text.split())).rstrip(" :.").lower()


def display_heading(text: str) -> str:
    """A heading as printed, without footnote digits or a final colon."""
    text = " ".join(text.split())
    return _FOOTNOTE_MARK.sub("", text).rstrip(" :")


def is_contents_entry(para: Para) -> bool:
    return bool(_CONTENTS_ENTRY.search(para.text.rstrip())) and not para.bullet


def recommendation_heading(para: Para) -> bool | None:
    """None if `para` is not a recommendations heading, else whether it is priority."""
    if para.bullet or len(para.text) > 120 or is_contents_entry(para):
        return None
    key = heading_key(para.text)
    for pattern, priority in _RECOMMENDATION_HEADINGS:
        if pattern.match(key):
            return priority
    return None


def heading_timescale(heading: str) -> str | None:
    """The timescale a section's own heading sets ("Priority and immediate action")."""
    return "immediately" if re.search(r"\bimmediate\b", heading, re.I) else None


def timescale_heading(para: Para) -> str | None:
    if para.bullet or len(para.text) > 80:
        return None
    key = heading_key(para.text)
    for pattern, timescale in _TIMESCALES:
        if pattern.match(key):
            return timescale
    return None


def part_heading(para: Para) -> str | None:
    if para.bullet or len(para.text) > 80 or is_contents_entry(para):
        return None
    if _PARTS.match(heading_key(para.text)):
        name = _PART_PREFIX.sub("", display_heading(para.text))
        return name[:1].upper() + name[1:]
    return None


# How a letter ends: its standard last paragraph ("Ofsted will take the findings from this
# monitoring visit into account when planning your next …"), then the signature.
_LETTER_CLOSE = re.compile(
    r"^(?:ofsted will take the findings\b|yours sincerely\b|yours faithfully\b"
    r"|i am copying this letter\b)",
    re.I,
)


def is_letter_close(para: Para) -> bool:
    """The end of a letter, which ends any section: never part of an item."""
    return not para.bullet and bool(_LETTER_CLOSE.match(para.flat))


def is_numbered(text: str) -> bool:
    return bool(_NUMBERED.match(text))


def looks_like_heading(para: Para, fonts_known: bool) -> bool:
    """A short line with no closing punctuation; in a PDF with fonts, also set apart."""
    text = " ".join(para.text.split())
    if para.bullet or not text or len(text.split()) > 20 or is_contents_entry(para):
        return False
    if text[-1] in ".;,:" or is_numbered(text):
        return False
    if not (text[0].isupper() or text[0].isdigit()):
        return False
    return para.heading_hint or not fonts_known


@dataclasses.dataclass
class Block:
    """The paragraphs under one recommendations heading, up to the next heading."""

    heading: str
    priority: bool
    part: str
    paras: list[Para]
    # Its heading is set apart by type, so the next heading will be too.
    fonts: bool = False
    # Its items stand under themes of their own ("Leadership and management"), each a
    # heading over a bulleted list, as in joint targeted area inspections of 2016-2019.
    themed: bool = False
    # The rest of a themed section under a theme that names the board, so addressed to it
    # (the section's heading is the same one).
    continued: bool = False


# Headings of what a themed section is followed by, never a theme of its own.
_NOT_A_THEME = re.compile(r"\bstrengths?\b|\bcase stud(?:y|ies)\b|\bnext steps\b", re.I)


def _ends_block(para: Para, block: Block) -> bool:
    """Whether `para` is the next heading, which ends the section.

    A short line set apart and unpunctuated is a heading. In a PDF whose section heading
    is set apart by type, so is any other paragraph in that type that is not a list item
    or a line introducing one ("The local safeguarding children board should:"), even
    when it ends with a full stop: ILACS reports of 2019 follow "What needs to improve"
    with the bold judgement heading "The experiences and progress of children who need
    help and protection: requires improvement to be good.", whose numbered body
    paragraphs would otherwise read as more items.
    """
    if timescale_heading(para) is not None:
        return False
    if is_letter_close(para):
        return True
    if looks_like_heading(para, block.fonts):
        return True
    text = para.flat
    if para.heading_hint and not para.bullet and _NOT_A_THEME.search(text):
        return True  # "The local authority has the following strengths:" (2014)
    return (
        block.fonts
        and para.heading_hint
        and not para.bullet
        and not is_numbered(text)
        and not text.endswith(":")
        and len(text.split()) <= 30
    )


def _bulleted_list_follows(paras: list[Para], index: int) -> bool:
    return index + 1 < len(paras) and paras[index + 1].bullet


def _is_theme(paras: list[Para], index: int, block: Block) -> bool:
    """A heading inside the section that opens one of its themed lists.

    The first heading straight after the section heading, with a bulleted list under it,
    shows the section is organised by themes; after that each heading with a bulleted
    list under it is one more theme, unless it names what comes after such a section
    ("Key strengths", a case study).
    """
    para = paras[index]
    if _NOT_A_THEME.search(para.text) or not _bulleted_list_follows(paras, index):
        return False
    if not block.paras and not block.themed:
        block.themed = True
        return True
    return block.themed


def _leaves_bullets_for_numbers(para: Para, block: Block) -> bool:
    """A numbered paragraph after a bulleted list: the report's numbered body has begun."""
    listed = [p for p in block.paras if p.bullet or is_numbered(p.flat)]
    return bool(listed) and all(p.bullet for p in listed) and is_numbered(para.flat)


def find_blocks(paras: list[Para], fonts_known: bool) -> list[Block]:
    """Every recommendations section of the report, in order."""
    blocks: list[Block] = []
    part = ""
    current: Block | None = None
    for index, para in enumerate(paras):
        found_part = part_heading(para)
        priority = recommendation_heading(para)
        if priority is not None:
            same = current is not None and heading_key(para.text) == heading_key(current.heading)
            if same and current is not None and not current.paras:
                continue  # the same heading printed twice
            fonts = fonts_known and para.heading_hint
            current = Block(display_heading(para.text), priority, part, [], fonts)
            blocks.append(current)
            continue
        if found_part is not None:
            part = found_part
            if current is not None and current.themed and _bulleted_list_follows(paras, index):
                current = Block(
                    current.heading, current.priority, part, [], current.fonts, True, True
                )
                blocks.append(current)
            else:
                current = None
            continue
        if current is None:
            continue
        if _ends_block(para, current):
            if _is_theme(paras, index, current):
                current.paras.append(dataclasses.replace(para, theme=True))
            else:
                current = None
            continue
        if _leaves_bullets_for_numbers(para, current):
            current = None
            continue
        current.paras.append(para)
    return blocks
