"""Recommendations: the items under each recommendations heading, in report order.

Within a section, "Immediately:", "Within three months:" … set the timescale of the items
that follow. A line such as "The County Durham and Darlington NHS Foundation Trust should:"
names the addressee of the items after it, not their timescale; an item that names its own
addressee ("NHS Derbyshire County should ensure…", "Derbyshire County Council to
improve…") keeps that one. The board's section of a combined report is addressed to the
board. A row of a table of responsible bodies ("Responsible body | Areas for priority
action", area SEND reports) is one item, addressed to the body its first column names.
"""

from __future__ import annotations

import re
from collections import Counter

from .clean import Para
from .framework import cross_reference
from .result import ParsedRecommendation
from .sections import (
    BOARD_PART,
    Block,
    display_heading,
    heading_key,
    heading_timescale,
    is_numbered,
    timescale_heading,
)

_NUMBER = re.compile(r"^\(?((?:\d{1,3}(?:\.\d{1,3})*)|[a-z])(?:[.)]?\s+|\.(?=[A-Z][A-Za-z]))")
# "In order to improve …, the local authority and its partners should take the following
# action." introduces the list; it is not one of its items.
_LEAD_IN = re.compile(
    r"\b(?:should|must|needs? to|to) take the following actions?\b"
    r"|^(?:\d{1,3}\.\s+)?in order to improve\b",
    re.I,
)
_INTRO = re.compile(
    r"^(?P<who>[A-Z][^.;:]{1,160}?)\s+(?:should|must|needs? to|is asked to|are asked to|to)"
    r"(?:\s+(?:ensure|address|take the following actions?))?(?:\s+that)?\s*:$"
)
_MODAL = re.compile(
    r"^(?P<who>[A-Z][^.;:]{1,200}?)\s+(?:should|must|needs? to|is required to|are required to)"
    r"\s+[a-z]"
)
_TO_VERB = re.compile(
    r"^(?P<who>[A-Z][^.;:]{1,200}?)\s+to\s+(?:further\s+)?(?:improve|ensure|agree|develop|"
    r"establish|review|strengthen|increase|reduce|provide|implement|embed|address|undertake|"
    r"make|take|continue|consider|monitor|evaluate|secure|commission|deliver|put|set|work|"
    r"produce|publish|update|revise|introduce|raise|identify|complete|audit|arrange|"
    r"maximise|bring|promote|extend|enable|support|prioritise|clarify|share|sustain|"
    r"tackle|design|co-ordinate|coordinate|appoint|recruit|train|analyse|assess|record|"
    r"collect|use|reconsider|strengthen|invest|engage|fully)\b"
)
_ACTOR = re.compile(
    r"\b(?:council|nhs|trusts?|boards?|partnerships?|partners|police|constabulary|"
    r"authorit(?:y|ies)|ccgs?|icbs?|commissioners?|group|agenc(?:y|ies)|providers?|services|"
    r"leaders|managers|department|commission|schools|colleges|hospitals?|practitioners|"
    r"professionals|director|executive|body|bodies|forum|team|inspectorate|office|laps?|"
    # "The local area should ensure …" (area SEND): the area as a body, not "the local
    # area offer" or "the local area SEND strategy", which are things to improve.
    r"local areas?(?!\s+[a-z]))\b",
    re.I,
)
_NOT_A_SUBJECT = re.compile(
    r"\b(?:is|are|was|were|be|been|do|does|did|has|have|had|not|can|could|will|would|may|"
    r"might|this|these|those|that|which|who|when|where|if|there|although|however)\b",
    re.I,
)
_PASSIVE = re.compile(
    r"\s+(?:should|must|needs? to|is required to|are required to)\s+be\s+\w+(?:ed|en)\b"
)
_NOT_A_BODY = re.compile(r"\b(?:with|by|despite|through|without|[a-z]+ing)\b")
# "With the local safeguarding board, implement …": a phrase that opens with a
# preposition leads into an instruction; "How well the partnership understands …" is a
# question about the thing to improve. Neither is a body.
_OPENS_NOT_A_BODY = re.compile(
    r"^(?:with|by|despite|through|without|together|alongside|how|whether|what|why)\b", re.I
)
_IMPERATIVE = re.compile(
    r"^(?:ensure|improve|develop|strengthen|review|increase|make|take|revise|address|"
    r"establish|continue|provide|reduce|arrange|maximise|bring|monitor|undertake|implement|"
    r"embed|consider|put|secure|further|work|raise|identify|set|use|promote|extend|enable|"
    r"support|prioritise|clarify|share|sustain|tackle|evaluate|complete|introduce|update|"
    r"publish|produce|deliver|commission|agree|analyse|assess|record|collect|appoint|"
    r"recruit|train|audit|engage|invest)\b",
    re.I,
)
_COMMITTEE = re.compile(
    r"^to (?:note|approve|agree|endorse|consider|review|delegate|receive|recommend|"
    r"authorise|request|adopt|support)\b",
    re.I,
)
# "… to address the following areas of weakness at the front door:" (focused visits, 2018);
# "The areas for improvement continue to be those … with one additional area for
# improvement …:" (a focused visit, 2020): a line that speaks of the list itself.
_INTRODUCES_LIST = re.compile(
    r"\bthe following\b[^.]*:$|\b(?:areas? for (?:improvement|priority action)|"
    r"recommendations?)\b[^.]*:$",
    re.I,
)
_MODAL_WORD = re.compile(r"\b(?:should|must|needs?)\b", re.I)
_CUT_SHORT = re.compile(r"(?:[,\-–]|\b(?:and|or|the|of|to|a|an|for|with|in|by|that))$", re.I)
# "The inspection did not find any areas for priority and immediate action.", "There are
# no areas for priority action": the heading is printed with a sentence that says nothing
# is under it. That sentence is not an item.
_NONE_UNDER_HEADING = re.compile(
    r"^(?:there (?:are|were|is) no|no|(?:the )?(?:inspection|inspectors|visit) (?:did not|has "
    r"not|have not) (?:find|found|identify|identified) any)\s+(?:areas? for (?:priority|"
    r"improvement)|priority (?:or|and) immediate actions?|recommendations?)\b[^.;:]{0,60}"
    r"(?:were (?:found|identified))?\.?$"
    # "No areas were identified for immediate improvement." (a board's part, 2014)
    r"|^(?:there (?:are|were) )?no (?:areas?|recommendations?|(?:priority )?actions?)\s+(?:were|"
    r"was|have been|has been) (?:found|identified)\b[^.;:]{0,60}\.?$",
    re.I,
)


# The head of a subject: after a possessive ("X's oversight of …", "All agencies' quality
# assurance …"), before the words that qualify it ("Leaders at NHS …", "The capacity of …").
_POSSESSIVE = re.compile(r"(?:['’]s|s['’])\s")
_QUALIFIER = re.compile(
    r"\s(?:of|from|for|in|across|within|at|to|with|on|between|among|amongst|about|into)\s"
)
# An actor named as a word of its own, not in a compound adjective ("multi-agency").
_ACTOR_HEAD = re.compile(r"(?<![-‐])" + _ACTOR.pattern, re.I)
# "Robustly impress upon key agencies the …": an adverb and a verb, or a phrase cut off
# before its noun, are not a subject.
_NOT_A_PHRASE = re.compile(r"^[A-Z][a-z]+ly\s|\s(?:the|a|an)$", re.I)


def _head(who: str) -> str:
    parts = _POSSESSIVE.split(who, maxsplit=1)
    return _QUALIFIER.split(parts[-1], maxsplit=1)[0]


# "To ensure an improved understanding of …, the local partnership should …", "Across the
# partnership, leaders should …": the body comes after the opening purpose or place.
_PURPOSE = re.compile(r"^(?:To|In order to|Across|Within|Throughout)\s[^,;:.]{3,200},\s+(?=[a-z])")


def named_addressee(text: str) -> str:
    """The body an item names as its own subject ("NHS Derbyshire County should…")."""
    if _IMPERATIVE.match(text):
        return ""
    purpose = _PURPOSE.match(text)
    if purpose:
        rest = text[purpose.end() :]
        who = named_addressee(rest[:1].upper() + rest[1:])
        return rest[: len(who)] if who else ""
    for pattern in (_MODAL, _TO_VERB):
        match = pattern.match(text)
        if not match:
            continue
        who = match.group("who").strip(" ,")
        if len(who.split()) > 25 or not _ACTOR.search(who) or _NOT_A_SUBJECT.search(who):
            continue
        # "Strategy discussions should always include relevant partner agencies to ensure
        # …": a subject that already holds its own "should" is a sentence, not a body.
        if _MODAL_WORD.search(who):
            continue
        # The body is the head of the phrase: "The quality and impact of services to …",
        # "The capacity of police and health resources to …", "Bedford Borough
        # Safeguarding Partnership's oversight of …" and "Single-agency audits of …" name
        # what is to improve, not who is to improve it.
        if not _ACTOR_HEAD.search(_head(who)) or _NOT_A_PHRASE.search(who):
            continue
        # "Derbyshire County Council to improve …" names a body; "Partnership working with
        # the police to ensure …" or "Insufficient challenge by agencies … to" is the
        # thing to improve, not who must improve it.
        if _NOT_A_BODY.search(who) or _OPENS_NOT_A_BODY.match(who):
            continue
        # "A robust performance management framework … should be developed": the
        # subject of a passive is the thing to be done, not a body.
        if _PASSIVE.match(text, match.end("who")):
            continue
        return who
    return ""


def intro_addressee(text: str) -> str:
    """The body named by a line that introduces the next items ("X should:")."""
    match = _INTRO.match(text)
    if not match or _LEAD_IN.search(text):
        return ""
    who = match.group("who").strip(" ,")
    if len(who.split()) > 15 or _NOT_A_SUBJECT.search(who) or _IMPERATIVE.match(who):
        return ""
    if _MODAL_WORD.search(who):  # "Leaders should develop … in relation to:" names a task
        return ""
    return who


def extract_recommendations(blocks: list[Block]) -> tuple[list[ParsedRecommendation], list[str]]:
    """Recommendations in report order, and warnings about any that are unsure."""
    counts = Counter(heading_key(block.heading) for block in blocks if not block.continued)
    uses_timescales = any(timescale_heading(p) for block in blocks for p in block.paras)
    found: list[ParsedRecommendation] = []
    warnings: list[str] = []
    for block in blocks:
        items = _block_items(block)
        if not items or all(_COMMITTEE.match(item.text) for item in items):
            continue
        section = block.heading
        if counts[heading_key(block.heading)] > 1 and block.part and not block.continued:
            section = f"{block.heading}: {block.part}"
        for item in items:
            item.section = f"{section} — {item.section}" if item.section else section
            found.append(item)
    for item in found:
        if uses_timescales and item.timescale == "none":
            warnings.append(
                f"The timescale of the recommendation '{_short(item.text)}' could not be "
                "found: set it by hand."
            )
        if _CUT_SHORT.search(item.text):
            warnings.append(
                f"The recommendation '{_short(item.text)}' seems to be cut short: check it "
                "against the report."
            )
    return found, warnings


def _short(text: str) -> str:
    return text if len(text) <= 70 else text[:67].rstrip() + "..."


def _block_items(block: Block) -> list[ParsedRecommendation]:
    board = block.part if BOARD_PART.search(block.part) else ""
    timescale: str | None = heading_timescale(block.heading)
    intro = ""
    intro_is_local = False  # named after a timescale heading: ends with that timescale
    theme = ""  # the theme heading the items stand under, within the section
    items: list[ParsedRecommendation] = []
    positions: list[tuple[Para, bool]] = []  # the paragraph that opened each item
    for index, para in enumerate(block.paras):
        following = block.paras[index + 1] if index + 1 < len(block.paras) else None
        found = timescale_heading(para)
        if found:
            timescale = found
            if intro_is_local:
                intro, intro_is_local = "", False
            continue
        text = " ".join(para.text.split())
        number = ""
        if para.row:
            # A row of a table of responsible bodies is one item, bullets and all,
            # addressed to the body its first column names.
            listed = False
            continues = bool(items) and positions[-1][0].row == para.row
        else:
            listed = para.bullet or is_numbered(text)
            if para.theme or (not listed and _is_theme_line(text, following)):
                theme = display_heading(text)
                continue
            if _LEAD_IN.search(text) or (
                not listed and text.endswith(":") and not _opens_item(text, following)
            ):
                who = intro_addressee(text)
                if who:
                    intro, intro_is_local = who, timescale is not None
                continue
            continues = (
                bool(items)
                and len(items[-1].text) < 20_000
                and _continues(para, text, listed, positions[-1], items[-1].text)
            )
            match = _NUMBER.match(text) if is_numbered(text) and not continues else None
            if match:
                number, text = match.group(1), text[match.end() :]
        if continues:
            items[-1].text = f"{items[-1].text} {text}"
            continue
        if _NONE_UNDER_HEADING.match(text):
            continue
        items.append(
            ParsedRecommendation(
                section=theme,  # the section's own heading is put before it by the caller
                timescale=timescale or "none",
                text=text,
                addressee=para.responsible or named_addressee(text) or intro or board,
                number=number,
                priority=block.priority,
            )
        )
        positions.append((para, listed))
    for item in items:
        reference = cross_reference(item.text)
        if reference is not None:
            item.framework_kind = reference.kind
            item.framework_number = reference.number
            item.framework_name = reference.name
    return items


_ROW_OPENING = re.compile(r"^[A-Z][^.;:!?]{0,100}?\s(?:should|must|needs? to)\s(?!also\b)")


def opens_row(line: str) -> bool:
    """Whether a line starts a sentence in which a body is told to act, as a table row does.

    Area SEND reports print their areas for improvement as rows of a table, each opening
    with the body responsible ("The local area partnership should …", "Health leaders
    need to …"). Where rows are drawn with no space between them, such a line after a
    finished sentence is where the next row starts. A later sentence of the same row goes
    on with a pronoun or "also" ("They should also …", "The local partnership should also
    …"), so it does not count.
    """
    return bool(_ROW_OPENING.match(line)) and bool(named_addressee(line))


def _is_theme_line(text: str, following: Para | None) -> bool:
    """A short unpunctuated line over listed items: a theme ("Care leavers"), not an item.

    Single inspection reports of 2014-15 group their numbered recommendations, and the
    board's bulleted ones, under themes ("Data and performance management") set apart
    from the list, which neither end the section nor belong to the item before.
    """
    if len(text.split()) > 10 or text[-1:] in ".:;," or not text[:1].isupper():
        return False
    return following is not None and (following.bullet or is_numbered(following.flat))


def _opens_item(text: str, following: Para | None) -> bool:
    """Whether an unnumbered paragraph ending in ":" is an item with its own sub-list.

    Area SEND reports print each area for improvement as a table row that may end "…
    This should particularly focus on:" over a bulleted list; the row with its bullets is
    one item. A line that only names who the next items are for ("The local
    safeguarding children board should:") is not an item, and neither is a line that
    introduces the whole list.
    """
    who = intro_addressee(text)
    if who and len(text.split()) <= len(who.split()) + 4:
        return False
    if _INTRODUCES_LIST.search(text):
        return False
    return following is not None and _sub_item(following) and len(text.split()) >= 8


# "− reducing waiting times …": a sub-list marked with minus signs (area SEND, 2023), which
# stay in the text as printed, as they do where the sub-list is read as the item's own text.
_MINUS_MARKER = re.compile(r"^\s*\u2212\s")


def _sub_item(para: Para) -> bool:
    return para.bullet or bool(_MINUS_MARKER.match(para.text))


# "(i) they are privately fostered" under an item that breaks off mid-sentence ("… where")
_SUB_MARKER = re.compile(r"^\((?:[ivx]{1,4}|[a-h])\)\s")


def _continues(para: Para, text: str, listed: bool, opened: tuple[Para, bool], so_far: str) -> bool:
    """Whether `para` goes on with the item before it rather than starting another."""
    first, first_listed = opened
    if _SUB_MARKER.match(text) and so_far.rstrip()[-1:] not in ".;!?":
        return True
    if text[:1].islower() and not listed:
        return True
    if _sub_item(para) and not first_listed and first.flat.endswith(":"):
        return True  # the sub-list of an item that ends "… should include:"
    if first_listed and not listed:
        # In a list, an unmarked paragraph is the item's second paragraph (or the rest of
        # an item a page break cut), never an item of its own.
        return True
    if para.bullet and first_listed and first.text.rstrip().endswith(":"):
        # sub-items under "… so that:" belong to the item that introduced them
        return para.x0 is not None and first.x0 is not None and para.x0 > first.x0 + 4
    return False
