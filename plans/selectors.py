"""What the plan page reads, in a fixed number of queries whatever the plan's size:
its sources, its actions read by theme (the way an improvement board reads the plan),
its wider areas for improvement with their actions, and the repeats of earlier items
that its sources' items bring. Here too the rules the dashboard shares: reports in the
order they came (oldest_report_first) and the submission in hand (submission_in_hand,
next_submissions)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    F,
    OrderBy,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)

from actions.models import Action
from core.deadlines import working_days_between
from core.models import User
from inspections import repeat_links
from inspections.models import (
    Inspection,
    Recommendation,
    RecommendationRepeat,
    RepeatStatus,
    asks_for_a_plan,
    report_date,
)

from .models import Plan, Theme, WiderArea
from .visibility import reports_seen_by

IMPACT_DID_NOT_LAST = "The impact did not last: this was answered before and has been raised again."


def oldest_report_first(path: str = "") -> tuple[OrderBy, str]:
    """Reports in the order they came, by report_date (an undated one last)."""
    return report_date(path).asc(nulls_last=True), f"{path}id"


def submission_in_hand() -> Q:
    """The one rule for a source whose plan submission is in hand, read by the order of
    the dashboard and by what it and the plan page show: not yet submitted, and due by a
    date, ahead or passed (it is overdue until submitted), or asked for with its date not
    yet known (someone has to enter when the report was received). A report that asks
    for no plan and states no date has none in hand."""
    return Q(plan_submitted_at__isnull=True) & (Q(plan_due_date__isnull=False) | asks_for_a_plan())


def next_submissions(sources: QuerySet[Inspection]) -> QuerySet[Inspection]:
    """Of these sources, those whose submission is in hand, the next first: the earliest
    deadline, overdue ones included, then those whose date is not yet known."""
    return sources.filter(submission_in_hand()).order_by(
        F("plan_due_date").asc(nulls_last=True), "pk"
    )


def with_submissions(sources: QuerySet[Inspection], today: dt.date) -> list[Inspection]:
    """These sources, each with `.in_hand` (submission_in_hand), `.is_next` (its plan's
    next submission, see next_submissions) and `.working_days_left` for a dated
    submission in hand (below 0: overdue), else None. One query whatever their number."""
    of_its_plan = Inspection.objects.filter(plan=OuterRef("plan"))
    found = list(
        sources.annotate(
            in_hand=ExpressionWrapper(submission_in_hand(), output_field=BooleanField()),
            next_pk=Subquery(next_submissions(of_its_plan).values("pk")[:1]),
        )
    )
    for source in found:
        source.is_next = source.pk == source.next_pk
        due = source.plan_due_date if source.in_hand else None
        source.working_days_left = working_days_between(today, due) if due else None
    return found


def sources_of(plan: Plan) -> QuerySet[Inspection]:
    """The reports and letters the plan responds to, oldest first, with their item counts."""
    return (
        plan.sources.select_related("local_authority")
        .annotate(item_count=Count("recommendations"))
        .order_by(*oldest_report_first())
    )


def items_of(plan: Plan) -> QuerySet[Recommendation]:
    """Every item of every source of the plan, source by source, in the report's order."""
    return (
        Recommendation.objects.filter(inspection__plan=plan)
        .select_related("inspection")
        .order_by(*oldest_report_first("inspection__"), "order")
    )


def answered_items() -> Prefetch:
    """The items an action answers, each with its report: for the tables that name them."""
    return Prefetch(
        "recommendations",
        queryset=Recommendation.objects.select_related("inspection").order_by(
            *oldest_report_first("inspection__"), "order"
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
            *oldest_report_first("recommendation__inspection__"),
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


def plan_page(plan: Plan, user: User, today: dt.date) -> dict[str, Any]:
    groups, actions = actions_by_theme(plan)
    return {
        "sources": with_submissions(sources_of(plan), today),
        "theme_groups": groups,
        "actions": actions,
        "wider_areas": wider_areas_of(plan, actions),
        "repeats": repeats_of(plan, user),
        "impact_did_not_last": IMPACT_DID_NOT_LAST,
    }
