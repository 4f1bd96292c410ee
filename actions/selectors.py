"""Reads that several pages share, shaped so that each costs what the person sees."""

from __future__ import annotations

from core.models import User
from plans.visibility import plan_ids_seen_by

from .models import Action, ActionQuerySet


def actions_seen_by(user: User) -> ActionQuerySet:
    """The actions the user may see (plans.visibility), ready for indexed queries:
    narrowed to the recommendations of the plans they see (see ActionQuerySet.in_plans),
    without which listing or counting the hundred actions of one council's plan read all
    the actions of every council. Someone who sees every plan needs no narrowing.
    """
    plan_ids = plan_ids_seen_by(user)
    if plan_ids is None:
        return Action.objects.all()
    return Action.objects.in_plans(plan_ids)
