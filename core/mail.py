"""What every e-mail the service sends has in common."""

from __future__ import annotations

import re

SUBJECT_MAX_LENGTH = 200
_BREAKS = re.compile(r"[\s\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def email_subject(text: str) -> str:
    """A subject line no field can break: every run of white space or control
    characters (line breaks included) becomes one space, and a long subject is cut with
    an ellipsis. Django refuses a subject with a line break (BadHeaderError), so a title
    saved with one, before titles were checked, would otherwise stop every e-mail about
    its action."""
    line = _BREAKS.sub(" ", text).strip()
    if len(line) > SUBJECT_MAX_LENGTH:
        line = line[: SUBJECT_MAX_LENGTH - 1].rstrip() + "…"
    return line
