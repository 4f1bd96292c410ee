"""Normalising grades printed on the different inspection scales.

Two eras use opposite numeric scales: the joint area review printed 4 = outstanding …
1 = inadequate; the 2009–2013 frameworks printed "Grade 1 (Outstanding)" … "Grade 4
(Inadequate)". "Adequate" (the old third grade) normalises to requires improvement.
"""

from __future__ import annotations

import re

_WORDS = (
    ("outstanding", "outstanding"),
    ("inadequate", "inadequate"),
    ("requires improvement", "requires_improvement"),
    ("adequate", "requires_improvement"),
    ("good", "good"),
)
_JAR = {"4": "outstanding", "3": "good", "2": "requires_improvement", "1": "inadequate"}
_GRADE_1_HIGH = {"1": "outstanding", "2": "good", "3": "requires_improvement", "4": "inadequate"}


def normalise_grade(grade_text: str, scale: str) -> str | None:
    """The normalised grade for `grade_text` printed on `scale`, or None if not a grade."""
    text = grade_text.strip().lower()
    if scale == "outcome" or not text:
        return None
    # Words win over numbers: "Grade 3 (Adequate)" is adequate on any scale.
    for word, grade in _WORDS:
        if re.search(rf"\b{word}\b", text):
            return grade
    digit = re.search(r"\b([1-4])\b", text)
    if not digit:
        return None
    if scale == "jar_4_high":
        return _JAR[digit.group(1)]
    if scale == "grade_1_high":
        return _GRADE_1_HIGH[digit.group(1)]
    return None
