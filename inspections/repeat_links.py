"""Repeats kept with the plan: suggested on import, confirmed or dismissed by an officer.

When a report is imported, each of its items is compared (inspections.repeats) with every
earlier item of the same authority: all the reports held, whether a source of a plan or
kept as history. The likely repeats are stored as suggestions; the review page and the
plan show them with the earlier text and what the actions that answered it came to.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from core import audit
from core.errors import DomainError
from core.models import User

from .models import Inspection, Recommendation, RecommendationRepeat, RepeatStatus
from .repeats import find_repeats

CLOSED = "closed"  # actions.models.Status.CLOSED (actions depends on inspections, not back)


def _when(inspection: Inspection) -> dt.date | None:
    """When a report came: published, else received, else the inspection's last day (most
    ILACS PDFs print no publication date)."""
    return inspection.publication_date or inspection.received_date or inspection.inspection_end


def _dated(reports: QuerySet[Inspection]) -> QuerySet[Inspection]:
    return reports.annotate(came=Coalesce("publication_date", "received_date", "inspection_end"))


def earlier_items(inspection: Inspection) -> QuerySet[Recommendation]:
    """The items of the authority's reports that came before this one (by _when; a
    report without any date counts by the order it was imported)."""
    earlier_reports = _dated(
        Inspection.objects.filter(local_authority_id=inspection.local_authority_id)
    ).exclude(pk=inspection.pk)
    when = _when(inspection)
    if when:
        earlier_reports = earlier_reports.filter(
            Q(came__lt=when) | Q(came__isnull=True, pk__lt=inspection.pk)
        )
    else:
        earlier_reports = earlier_reports.filter(pk__lt=inspection.pk)
    return _items_of(earlier_reports)


def later_items(inspection: Inspection) -> QuerySet[Recommendation]:
    """The items of the authority's reports that came after this one (none when this one
    has no date: it counts as the latest)."""
    when = _when(inspection)
    if not when:
        return Recommendation.objects.none()
    return _items_of(
        _dated(Inspection.objects.filter(local_authority_id=inspection.local_authority_id))
        .exclude(pk=inspection.pk)
        .filter(came__gt=when)
    )


def items_before(*, authority_id: int, when: dt.date | None) -> QuerySet[Recommendation]:
    """The authority's items a report not saved yet would be compared with: those of its
    reports that came before `when` (see _when), or have no date; every report held when
    the new one has no date (all of them came before it, being saved already)."""
    reports = _dated(Inspection.objects.filter(local_authority_id=authority_id))
    if when:
        reports = reports.filter(Q(came__lt=when) | Q(came__isnull=True))
    return _items_of(reports)


def _items_of(reports: QuerySet[Inspection]) -> QuerySet[Recommendation]:
    return Recommendation.objects.filter(inspection__in=reports).order_by(
        "inspection__publication_date", "inspection_id", "order"
    )


@dataclasses.dataclass(frozen=True)
class LikelyRepeat:
    """An earlier item a new one likely repeats, with how alike the detector found them."""

    earlier: Recommendation
    score: float
    status: str = ""  # not stored yet

    @property
    def earlier_closed(self) -> bool:
        return closed_answers(self.earlier)


def closed_answers(item: Recommendation) -> bool:
    """Whether the actions that answered an item were closed (all of them, at least one):
    if a later report repeats it, their impact did not last. Reads the item's prefetched
    actions."""
    answered = list(item.actions.all())
    return bool(answered) and all(action.status == CLOSED for action in answered)


def likely_repeats(
    texts: Sequence[str], earlier: QuerySet[Recommendation]
) -> list[list[LikelyRepeat]]:
    """For each text (the items of a report under review), its likely repeats among
    `earlier`, best first, at most repeats.MOST_SUGGESTED: what import would store as suggestions.

    The earlier items come with their report and their actions (and those actions'
    owners), for a page to show what answered them and how it ended.
    """
    earlier = list(
        earlier.select_related("inspection__local_authority", "inspection__plan").prefetch_related(
            "actions__owner"
        )
    )
    if not earlier:
        return [[] for _ in texts]
    earlier_texts = [item.text for item in earlier]
    return [
        [
            LikelyRepeat(earlier=earlier[found.index], score=found.score)
            for found in find_repeats(text=text, earlier=earlier_texts)
        ]
        for text in texts
    ]


def suggest_for(inspection: Inspection) -> list[RecommendationRepeat]:
    """Store the likely repeats of this report's items as suggestions (again: only new
    pairs are added, an officer's decisions are kept).

    A report published before others already held (a council loading its history after
    its latest report) is the earlier side too: the later reports' items that repeat its
    items are suggested as well.
    """
    items = list(inspection.recommendations.order_by("order").only("pk", "text"))
    if not items:
        return []
    links = _links(items, list(earlier_items(inspection).only("pk", "text")))
    links += _links(list(later_items(inspection).only("pk", "text")), items)
    return RecommendationRepeat.objects.bulk_create(links, ignore_conflicts=True)


def _links(
    items: list[Recommendation], earlier: list[Recommendation]
) -> list[RecommendationRepeat]:
    """Each of `items` linked to the `earlier` items it likely repeats, best first."""
    if not earlier or not items:
        return []
    texts = [item.text for item in earlier]
    return [
        RecommendationRepeat(recommendation=item, earlier=earlier[found.index], score=found.score)
        for item in items
        for found in find_repeats(text=item.text, earlier=texts)
    ]


@transaction.atomic
def decide(*, link: RecommendationRepeat, by: User, confirmed: bool) -> RecommendationRepeat:
    """An officer confirms that the later item repeats the earlier one, or dismisses it."""
    if not by.has_perm("inspections.decide_repeat", link.recommendation.inspection):
        raise DomainError("You cannot decide repeats of this report.")
    link = RecommendationRepeat.objects.select_for_update().get(pk=link.pk)
    before = {"status": link.status}
    link.status = RepeatStatus.CONFIRMED if confirmed else RepeatStatus.DISMISSED
    link.decided_by = by
    link.decided_at = timezone.now()
    link.save()
    audit.record(
        actor=by,
        verb="confirm_repeat" if confirmed else "dismiss_repeat",
        obj=link.recommendation,
        before=before,
        after={"status": link.status, "earlier": link.earlier_id},
    )
    return link
