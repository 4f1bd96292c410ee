"""Monitoring visit letters: findings to respond to, where the letter makes no
recommendations.

While a council is judged inadequate, Ofsted visits it every few months and writes a
letter: "Monitoring visit to … children's services", the areas of concern it looked at
("Areas covered by the visit"), "Headline findings", "Findings and evaluation of
progress", and the standard close ("Ofsted will take the findings from this monitoring
visit into account …"). Such a letter makes no new recommendations, but the plan must
respond to what it finds still wanting. (No real monitoring letter is among the samples:
these rules were written from that published shape and tested on letters written in it,
tests/fixtures/monitoring/.)

The parser proposes the items it can find, for the officer to check on the review page:

1. a list under a heading that names what needs to improve ("Areas for development",
   "What needs to improve") is read by the usual recommendations rules (sections.py);
2. else each sentence of the findings that says something still falls short ("… needs to
   improve", "… is not yet consistent", "… remains too variable", "… is still too
   vague") is an item, in the letter's words, under the findings heading. The
   "Findings and evaluation of progress" section is read, or if the letter has none, its
   headline or main findings;
3. else the letter is imported with no items and a warning that asks the officer to enter
   the findings the plan must respond to.
"""

from __future__ import annotations

import re

from .clean import Para
from .result import ParsedRecommendation
from .sections import display_heading, heading_key, is_letter_close, looks_like_heading

# The findings sections, best first: the detailed evaluation, then the summary.
_FINDINGS_HEADINGS = (
    re.compile(r"^(?:findings and )?evaluation of progress$"),
    re.compile(r"^(?:main |headline |key )?findings$"),
)

# A sentence that says something still falls short. Each names the shortfall itself, not
# the subject, so the rule holds whatever the letter is about.
_SHORTFALL = re.compile(
    r"\b(?:needs?|continues? to need|still needs?) to (?:improve|be improved|be strengthened"
    r"|strengthen|be addressed|address)\b"
    r"|\brequires? (?:further |more )?improvement\b"
    r"|\bnot yet\b"
    r"|\b(?:remains?|is still|are still|still)\s+(?:too|not|high|low|limited|variable"
    r"|inconsistent|weak|poor|slow|underdeveloped|under-developed|insufficient)\b"
    r"|\b(?:is|are)\s+too\s+(?:variable|inconsistent|slow|weak|vague|brief|high|low|limited"
    r"|few|many|long)\b"
    r"|\b(?:further|more) (?:work|progress|improvement|action) (?:is|are) (?:needed|required)\b"
    r"|\bareas? for (?:further )?(?:development|improvement)\b"
    r"|\bnot\b[^.;]{0,60}\b(?:quickly|consistently|well|robustly|effectively) enough\b",
    re.I,
)
# A sentence that starts "However, …" names the shortfall after the comma; the letter's
# words are kept whole all the same.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z“\"‘'(])")

SECTION = "Findings and evaluation of progress"


def findings_to_respond_to(paras: list[Para], fonts_known: bool) -> list[ParsedRecommendation]:
    """The findings of a monitoring letter that say something still falls short, as
    items: rule 2 of the module's docstring (rule 1 is the usual recommendations path)."""
    for pattern in _FINDINGS_HEADINGS:
        section = _section(paras, pattern, fonts_known)
        if section is None:
            continue
        heading, body = section
        items = [
            ParsedRecommendation(section=heading, timescale="none", text=sentence)
            for sentence in _sentences(body)
            if _SHORTFALL.search(sentence)
        ]
        if items:
            return items
    return []


def _section(
    paras: list[Para], pattern: re.Pattern[str], fonts_known: bool
) -> tuple[str, list[Para]] | None:
    """The heading and paragraphs of the first section whose heading matches `pattern`,
    up to the next heading or the letter's close."""
    for index, para in enumerate(paras):
        if para.bullet or not _ends_with_heading(para.flat, pattern):
            continue
        body: list[Para] = []
        for following in paras[index + 1 :]:
            if is_letter_close(following) or looks_like_heading(following, fonts_known):
                break
            body.append(following)
        return display_heading(_SENTENCE_END.split(para.flat)[-1]), body
    return None


def _ends_with_heading(text: str, pattern: re.Pattern[str]) -> bool:
    """Whether the paragraph is the heading, or ends with it: a PDF's layout can join a
    heading set in body type to the paragraph before it ("… remains too variable.
    Findings and evaluation of progress")."""
    last = _SENTENCE_END.split(text)[-1]
    return len(last) <= 80 and bool(pattern.match(heading_key(last)))


def _sentences(paras: list[Para]) -> list[str]:
    found: list[str] = []
    for para in paras:
        for sentence in _SENTENCE_END.split(para.flat):
            sentence = sentence.strip()
            if len(sentence.split()) >= 4 and sentence not in found:
                found.append(sentence)
    return found
