"""The Children's Social Care National Framework, and the cross-references reports make to it.

Since 2025 every item under "What needs to improve?" (ILACS) or "What needs to improve in
this area of social work practice?" (focused visits) ends with a cross-reference to the
framework (statutory guidance, December 2023), printed in many hands: "(outcome 4,
national framework)", "(Enabler two: National Framework)", "(Outcome 4 National Social
Care Framework)", "(enabler: the workforce is equipped and effective, national
framework)", "(Enabler 2: Leaders drive conditions for effective practice)". This module
is the one definition of the framework's outcomes, enablers and principles, so that a
reference by name gets its number and a reference by number its name.

The numbering is the framework's own, and the reports confirm it where they print both
(for instance "(enabler 2, leaders drive conditions for effective practice)").
Principles 5 and 6 are not listed: no report yet cites them, and a reference to them keeps
its number with no name rather than a guessed one.
"""

from __future__ import annotations

import dataclasses
import re

OUTCOMES = {
    1: "Children, young people and families stay together and get the help they need",
    2: "Children and young people are supported by their family network",
    3: "Children and young people are safe in and outside of their homes",
    4: "Children in care and care leavers have stable, loving homes",
}
ENABLERS = {
    1: "Multi-agency working is prioritised and effective",
    2: "Leaders drive conditions for effective practice",
    3: "The workforce is equipped and effective",
}
PRINCIPLES = {
    1: "Children's welfare is paramount",
    2: "Children's wishes and feelings are sought, heard and responded to",
    3: "Children's social care works in partnership with whole families",
    4: "Children are raised by their families, with their family networks or in family "
    "environments wherever possible",
}
FRAMEWORK = {"outcome": OUTCOMES, "enabler": ENABLERS, "principle": PRINCIPLES}

_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}

_FRAMEWORK_WORDS = (
    r"(?:the\s+)?(?:children['’]s\s+)?(?:social\s+care\s+)?national\s+(?:social\s+care\s+)?"
    r"framework"
)
_KIND_AND_NUMBER = (
    r"(?P<kind>outcome|enabler|principle)s?\b\s*"
    r"(?P<number>\d|one|two|three|four|five|six)?\b"
)
# "(kind [number][,:–] [name][,:] [national [social care] framework])" or "(National
# Framework, kind number)", in round or square brackets, at the end of an item (perhaps
# followed by the sentence's full stop).
_BRACKETED = re.compile(
    rf"[(\[]\s*(?:(?P<before>{_FRAMEWORK_WORDS})\s*[,:;–-]?\s*)?{_KIND_AND_NUMBER}\s*"
    rf"[,:;–-]?\s*(?P<name>[^()\[\]]*?)\s*[,:;–-]?\s*(?P<after>{_FRAMEWORK_WORDS})?\s*[)\]]"
    r"\s*[.;]?\s*$",
    re.I,
)
# "… change. Enabler three: National Framework." (no brackets: the number and the
# framework's own words must both be there).
_BARE = re.compile(
    rf"(?<=[.;])\s+{_KIND_AND_NUMBER}\s*[,:;–-]?\s*(?P<name>)(?P<after>{_FRAMEWORK_WORDS})"
    r"\s*[.;]?\s*$",
    re.I,
)


@dataclasses.dataclass(frozen=True)
class CrossReference:
    kind: str  # "outcome", "enabler" or "principle"
    number: int | None
    name: str  # the framework's name for it; as printed if the framework has no such name


def _key(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.replace("’", "'")).lower().split())


def _ending(text: str) -> tuple[re.Match[str], int] | None:
    """The match of a cross-reference at the end of `text`, and where its search began."""
    start = max(len(text) - 300, 0)
    tail = text[start:]
    match = _BRACKETED.search(tail) if any(c in tail[-4:] for c in ")]") else None
    if match is None:
        match = _BARE.search(tail)
        if match is None or not match.group("number"):
            return None
    return match, start


def without_cross_reference(text: str) -> str:
    """The item's text without the framework cross-reference it ends with, if it has one.

    Comparing items (to find repeats, for instance) must not count the cross-reference:
    two different weaknesses under outcome 4 share those words and nothing else.
    """
    if cross_reference(text) is None:
        return text
    match, start = _ending(text)  # type: ignore[misc]  # found, as cross_reference says
    return text[: start + match.start()].rstrip()


def cross_reference(text: str) -> CrossReference | None:
    """The framework cross-reference an item ends with, or None if it has none."""
    found = _ending(text)
    if found is None:
        return None
    match = found[0]
    kind = match.group("kind").lower()
    names = FRAMEWORK[kind]
    printed = match.group("name").strip(" ,:;–-")
    number_text = (match.group("number") or "").lower()
    number = int(number_text) if number_text.isdigit() else _NUMBER_WORDS.get(number_text)
    if number is None:
        wanted = _key(printed)
        number = next((n for n, name in names.items() if _key(name) == wanted), None)
        # "(outcome of the review)" is no cross-reference: a name alone counts only when
        # the framework knows it or the reference says it is the framework's.
        if number is None and not (printed and (match.group("before") or match.group("after"))):
            return None
    if number in names:
        return CrossReference(kind, number, names[number])
    return CrossReference(kind, number, printed)
