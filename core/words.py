"""How the service words a count, in one place: "1 recommendation", "3 working days"."""

from __future__ import annotations


def counted(number: int, singular: str, plural: str = "") -> str:
    """The number with its noun agreeing: "1 reading", "2 readings", "2 bodies"."""
    return f"{number} {singular if number == 1 else plural or singular + 's'}"


def in_sentence(name: str) -> str:
    """A name as it reads after other words: "For the local area partnership".

    Reports print an addressee as a heading or a sentence's subject ("The local
    safeguarding children board should:"), with its article capitalised; inside a
    sentence the article is lower case. Only that article changes: the name is the
    report's own.
    """
    return "the" + name[3:] if name.startswith("The ") else name
