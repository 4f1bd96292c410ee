"""What the plan page reads, in a fixed number of queries whatever the plan's size:
its sources, its actions read by theme (the way an improvement board reads the plan),
its wider areas for improvement with their actions, and the repeats of earlier items
that its sources' items bring."""

from __future__ import annotations

import dataclasses
from typing import Any

from django.db.models import Count, Prefetch, QuerySet

from actions.models import Action
from core.models import User
from inspections import repeat_links
from inspections.models import Inspection, Recommendation, RecommendationRepeat, RepeatStatus

from .models import Plan, Theme, WiderArea
from .visibility import reports_seen_by

IMPACT_DID_NOT_LAST = "The impact did not last: this was answered before and has been raised again."


def sources_of(plan: Plan) -> QuerySet[Inspection]:
    """The reports and letters the plan responds to, oldest first, with their item counts."""
    return (
        plan.sources.select_related("local_authority")
        .annotate(item_count=Count("recommendations"))
        .order_by("publication_date", "pk")
    )


def items_of(plan: Plan) -> QuerySet[Recommendation]:
    """Every item of every source of the plan, source by source, in the report's order."""
    return (
        Recommendation.objects.filter(inspection__plan=plan)
        .select_related("inspection")
        .order_by("inspection__publication_date", "inspection_id", "order")
    )


def answered_items() -> Prefetch:
    """The items an action answers, each with its report: for the tables that name them."""
    return Prefetch(
        "recommendations",
        queryset=Recommendation.objects.select_related("inspection").order_by(
            "inspection__publication_date", "inspection_id", "order"
        ),
    )


@dataclasses.dataclass
class ThemeGroup:
    theme: Theme | None
    actions: list[Action]

    @property
    def name(self) -> str:
        return self.theme.name if self.theme else "No theme"


def actions_by_theme(plan: Plan) -> tuple[list[ThemeGroup], list[Action]]:
    """The plan's themes in order, each with its actions, then the actions of no theme
    (the group is left out when empty); and all the actions, for the wider areas."""
    actions = list(
        plan.actions.select_related("owner", "organisation", "plan__local_authority")
        .prefetch_related(answered_items())
        .order_by("order", "id")
    )
    groups = [ThemeGroup(theme, []) for theme in plan.themes.all()]
    by_id = {group.theme.pk: group for group in groups}
    unthemed = ThemeGroup(None, [])
    for action in actions:
        by_id.get(action.theme_id, unthemed).actions.append(action)
    if unthemed.actions:
        groups.append(unthemed)
    return groups, actions


def wider_areas_of(plan: Plan, actions: list[Action]) -> list[WiderArea]:
    """The plan's wider areas for improvement, each with `.answering`: its actions."""
    areas = list(plan.wider_areas.select_related("theme"))
    for area in areas:
        area.answering = [action for action in actions if action.wider_area_id == area.pk]
    return areas


def repeats_of(plan: Plan, user: User) -> list[RecommendationRepeat]:
    """The suggested and confirmed repeats of earlier items by the items of the plan's
    sources, the earlier item and its report seen by the user, each with the actions that
    answered it (those the user sees) and `.impact_lasted`: False for a confirmed
    repeat of an item whose actions were closed (inspections.repeat_links.closed_answers)."""
    earlier_actions = Action.objects.seen_by(user).only("pk", "title", "status", "plan_id")
    links = list(
        RecommendationRepeat.objects.filter(
            recommendation__inspection__plan=plan,
            status__in=[RepeatStatus.SUGGESTED, RepeatStatus.CONFIRMED],
            earlier__inspection__in=reports_seen_by(user),
        )
        .select_related(
            "recommendation__inspection",
            "earlier__inspection__local_authority",
            "decided_by",
        )
        .prefetch_related(Prefetch("earlier__actions", queryset=earlier_actions))
        .annotate(answered=Count("earlier__actions", distinct=True))
        .order_by(
            "recommendation__inspection__publication_date",
            "recommendation__inspection_id",
            "recommendation__order",
            "-score",
            "pk",
        )
    )
    for link in links:
        link.impact_lasted = not (
            link.status == RepeatStatus.CONFIRMED and repeat_links.closed_answers(link.earlier)
        )
    return links


def plan_page(plan: Plan, user: User) -> dict[str, Any]:
    groups, actions = actions_by_theme(plan)
    return {
        "sources": list(sources_of(plan)),
        "theme_groups": groups,
        "actions": actions,
        "wider_areas": wider_areas_of(plan, actions),
        "repeats": repeats_of(plan, user),
        "impact_did_not_last": IMPACT_DID_NOT_LAST,
    }
