"""How the service words a count, in one place: "1 recommendation", "3 working days"."""

from __future__ import annotations


def counted(number: int, singular: str, plural: str = "") -> str:
    """The number with its noun agreeing: "1 reading", "2 readings", "2 bodies"."""
    return f"{number} {singular if number == 1 else plural or singular + 's'}"
