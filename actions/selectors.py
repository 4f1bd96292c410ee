"""Reads that several pages share, shaped so that each costs what the person sees."""

from __future__ import annotations

from core.models import User

from .models import ActionQuerySet
from .permissions import visible_actions, visible_inspection_ids


def actions_seen_by(user: User) -> ActionQuerySet:
    """The actions the user may see (actions.permissions), ready for indexed queries.

    The same rows as visible_actions(user), also narrowed to the recommendations of the
    plans they see (see ActionQuerySet.in_plans): without it, listing or counting the
    hundred actions of one council's plan read all the actions of every council.
    Someone who sees every plan needs no narrowing.
    """
    actions = visible_actions(user)
    inspection_ids = visible_inspection_ids(user)
    if inspection_ids is None:
        return actions
    return actions.in_plans(inspection_ids)
