"""`field__in_ids=<subquery of ids>`: `__in` for a subquery that PostgreSQL should run once.

With `IN (subquery)` PostgreSQL weighs joining the subquery into the outer query, and
for the visibility rules (a few OR-ed conditions over four tables) that planning took
longer than running the page of actions it filtered. As `= ANY(ARRAY(subquery))` the
subquery is planned and run on its own, once, and the outer query filters on the array
as it would on a list of ids. Other databases get a plain `IN`.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Field, ForeignObject, lookups


class InIds(lookups.In):
    lookup_name = "in_ids"

    def get_rhs_op(self, connection: Any, rhs: str) -> str:
        if connection.vendor == "postgresql" and not self.rhs_is_direct_value():
            return f"= ANY(ARRAY{rhs})"
        return super().get_rhs_op(connection, rhs)


def register() -> None:
    """Offer the lookup on every field, foreign keys included (they keep their own)."""
    Field.register_lookup(InIds)
    ForeignObject.register_lookup(InIds)
