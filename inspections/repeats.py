"""Finding the items of a new report that repeat what Ofsted told the council before.

Ofsted often names the same weakness again in a later report of the same authority, in
other words: Derbyshire was told to improve "the effectiveness of front-line management
oversight and supervision" in 2019 and "the effectiveness of management oversight and
supervision in driving practice improvement" in 2024. This module compares a new item's
text with the earlier items' texts and suggests the likely repeats, best first; an officer
confirms or dismisses each suggestion, so the detector favours showing a plausible repeat
over hiding it, but must not bury the page in noise.

Pure Python on rapidfuzz (which ships everything it needs; nothing is fetched at run
time, no model is downloaded). Texts are first reduced to the words that name the
weakness (`normalise`), then scored (`score`): half on the subject words the two share,
each weighted by how rare it is among the texts being compared (`rarity`), half on
rapidfuzz's token measures. A new item is offered only its best few earlier items, and
only those that share at least two subject words with it (`find_repeats`).

Measured on pairs labelled by reading the reports: a tuning set
(tests/inspections/repeats_pairs.json) that chose the numbers below, and a held-out set
(tests/inspections/repeats_pairs_heldout.json) that did not; see `bench/bench_repeats.py`
and docs/benchmarks.md.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence

from rapidfuzz import fuzz

from inspections.importing.framework import without_cross_reference

# Chosen on the tuning pairs, each earlier item put to the detector among all the earlier
# items of its council as import does: the score with the best F1 there. See the
# benchmark for the precision and recall these give.
DEFAULT_THRESHOLD = 28.0
# At most this many earlier items are suggested for one new item: the best ones.
MOST_SUGGESTED = 3
# ... and only those scoring at least this share of the best one's score: when one earlier
# item clearly names the weakness again, a weaker second is noise.
NEAR_THE_BEST = 0.8
# Two different weaknesses often share one broad subject word ("plans", "care",
# "assessment"); one weakness named again shares at least two.
MIN_SHARED_WORDS = 2

# "(paragraph 26)", "(paragraphs 37,38,40,61)": older reports point at the paragraph that
# found the weakness. The number says where, not what, so it is no part of the comparison.
_PARAGRAPH_REFERENCE = re.compile(r"\(\s*paragraphs?\s[\d,\s–-]*\)", re.I)

# Words that frame what is asked rather than name the weakness. Recommendations ask for
# "the effectiveness of", "the quality and timeliness of", "ensure that", "improve" almost
# whatever the subject, so two different weaknesses would share them and look alike, and
# one weakness worded in two styles (2014's "Ensure that …" and 2024's "The quality of
# …") would look different. Findings are worded "there is not always sufficient …", "in
# cases seen by inspectors, for example …". The list holds only such general framing words
# and English function words, never the subject of an item (supervision, care leavers,
# missing …).
_FRAMING_WORDS = frozenset(
    re.findall(
        r"\w+",
        """
    a an and are as at be been by for from has have in into is it its of on or so such
    that the their them there these they this those to was were when where which who
    whose will with within all any more most other
    not no nor always sometimes some does do did doing can could may might also being
    how what well between than each every only however despite while whether about
    across after before over under through further yet still others own same very much
    many example examples
    ensure ensuring improve improving improvement improvements increase increasing
    continue develop strengthen review need needs should must make made
    effectiveness effective effectively quality consistency consistent consistently
    timeliness timely impact robustness robust rigour extent level standard
    sufficiently sufficient insufficient insufficiently fully full right time times
    seen inspectors evidence
    including particularly particular especially well good
    local authority council trust partners
    """,
    )
) | frozenset(
    # Nearly every item is about children's social work, so these say nothing either.
    re.findall(r"\w+", "children child young people family families service services work practice")
)


@dataclasses.dataclass(frozen=True)
class Repeat:
    """An earlier item that the new item likely repeats, with how alike they are (0–100)."""

    index: int  # position of the earlier item in the sequence given
    text: str  # the earlier item's text, as given
    score: float


def _stem(word: str) -> str:
    """A light English stem, so "plans" and "planning" or "leavers" and "leaver" meet.

    Only plural and verb endings are cut (-ies, -ing, -ed, -s) and a doubled final
    consonant left by -ing/-ed is undone ("planning" → "plan", "stepping" → "step");
    nothing language-specific beyond that is needed for the short items reports print.
    """
    for suffix, replacement in (("ies", "y"), ("ing", ""), ("ed", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)] + replacement
            break
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "aeiousl":
        word = word[:-1]
    return word


@functools.lru_cache(maxsize=4096)
def normalise(text: str) -> str:
    """The words of an item that name its weakness, in a form fit to compare.

    Rules, in order, and why:
    - the national framework cross-reference an item ends with ("(outcome 4, national
      framework)") is removed: different weaknesses share it;
    - a paragraph reference ("(paragraph 26)") is removed: it says where, not what;
    - case is folded and curly apostrophes made straight, and possessive 's dropped
      ("children's" = "children"): the same words are printed in many hands;
    - punctuation becomes space, hyphens included ("life-story" = "life story");
    - framing words and function words (`_FRAMING_WORDS`) are removed: they say how the
      recommendation asks, not what is weak;
    - words are lightly stemmed (`_stem`): "plans" and "planning" name one thing.
    """
    text = without_cross_reference(text)
    text = _PARAGRAPH_REFERENCE.sub(" ", text)
    text = text.lower().replace("’", "'").replace("‘", "'")
    text = re.sub(r"'s\b", "", text)
    words = re.sub(r"[^\w]+|_", " ", text).split()
    return " ".join(_stem(w) for w in words if w not in _FRAMING_WORDS and not w.isdigit())


def rarity(texts: Sequence[str]) -> dict[str, float]:
    """How much each word of these normalised texts tells, by how few of them hold it.

    The texts are the ones being compared (a new item and the council's earlier items),
    so a word that the council's reports use everywhere ("plan", "support", "assessment"
    in one council, "MASH" in another) weighs little, and a word only two items share
    weighs much: ln(1 + n / texts holding the word), n the number of texts.
    """
    held = Counter(word for text in texts for word in set(text.split()))
    return {word: math.log(1 + len(texts) / count) for word, count in held.items()}


def score(a: str, b: str, weight: Mapping[str, float] | None = None) -> float:
    """How alike two normalised texts are, 0–100.

    The mean of two halves:
    - the subject words the two share, each by its weight (`rarity`; 1 each when no
      weights are given), as the cosine of the two texts' sets of words: a long item shares
      many words with everything, and the cosine divides by both lengths;
    - the mean of two rapidfuzz measures: `token_set_ratio` finds a short item inside a
      long one (a 2020 item listing three care-leaver weaknesses, one of which 2025 names
      again), and `token_sort_ratio` keeps a short item from matching every long one that
      happens to contain its one or two words.
    Texts sharing fewer than `MIN_SHARED_WORDS` subject words (or, for a text of one word,
    not that word) score 0.
    """
    words_a, words_b = set(a.split()), set(b.split())
    shared = words_a & words_b
    if not shared or len(shared) < min(MIN_SHARED_WORDS, len(words_a), len(words_b)):
        return 0.0
    weight = weight or {}

    def mass(words: set[str]) -> float:
        return sum(weight.get(word, 1.0) ** 2 for word in words)

    cosine = 100 * mass(shared) / math.sqrt(mass(words_a) * mass(words_b))
    fuzzy = (fuzz.token_set_ratio(a, b) + fuzz.token_sort_ratio(a, b)) / 2
    return (cosine + fuzzy) / 2


def find_repeats(
    *,
    text: str,
    earlier: Sequence[str],
    threshold: float = DEFAULT_THRESHOLD,
    most: int = MOST_SUGGESTED,
) -> list[Repeat]:
    """The earlier items (of the same authority) that `text` likely repeats, best first.

    Every earlier item is scored against `text`, words weighted by their rarity among all
    these texts; of those scoring at or above `threshold`, the best `most` that score at
    least `NEAR_THE_BEST` of the best score are returned. Ties keep the earlier items'
    order. An empty text, or no earlier items, has no repeats.
    """
    new = normalise(text)
    if not new:
        return []
    olds = [normalise(old) for old in earlier]
    weight = rarity([new, *olds])
    found = [
        Repeat(index=i, text=earlier[i], score=round(s, 1))
        for i, old in enumerate(olds)
        if (s := score(new, old, weight)) >= threshold
    ]
    found.sort(key=lambda r: -r.score)
    return [r for r in found if r.score >= found[0].score * NEAR_THE_BEST][:most]
