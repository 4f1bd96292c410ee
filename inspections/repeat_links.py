"""Repeats kept with the plan: suggested on import, confirmed or dismissed by an officer.

When a report is imported, each of its items is compared (inspections.repeats) with every
earlier item of the same authority: all the reports held, whether a source of a plan or
kept as history. The likely repeats are stored as suggestions; the review page and the
plan show them with the earlier text and what the actions that answered it came to.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from core import audit
from core.errors import DomainError
from core.models import User

from .models import Inspection, Recommendation, RecommendationRepeat, RepeatStatus
from .repeats import find_repeats

# At most this many earlier items are suggested for one new item: the best ones.
MOST_SUGGESTED = 3


def earlier_items(inspection: Inspection) -> QuerySet[Recommendation]:
    """The items of the authority's reports that came before this one: published before
    it (a report without a date counts by the order it was imported)."""
    earlier_reports = Inspection.objects.filter(
        local_authority_id=inspection.local_authority_id
    ).exclude(pk=inspection.pk)
    if inspection.publication_date:
        earlier_reports = earlier_reports.filter(
            Q(publication_date__lt=inspection.publication_date)
            | Q(publication_date__isnull=True, pk__lt=inspection.pk)
        )
    else:
        earlier_reports = earlier_reports.filter(pk__lt=inspection.pk)
    return Recommendation.objects.filter(inspection__in=earlier_reports).order_by(
        "inspection__publication_date", "inspection_id", "order"
    )


def suggest_for(inspection: Inspection) -> list[RecommendationRepeat]:
    """Store the likely repeats of this report's items as suggestions (again: only new
    pairs are added, an officer's decisions are kept)."""
    earlier = list(earlier_items(inspection).only("pk", "text"))
    if not earlier:
        return []
    texts = [item.text for item in earlier]
    links = []
    for item in inspection.recommendations.order_by("order"):
        for found in find_repeats(text=item.text, earlier=texts)[:MOST_SUGGESTED]:
            links.append(
                RecommendationRepeat(
                    recommendation=item, earlier=earlier[found.index], score=found.score
                )
            )
    return RecommendationRepeat.objects.bulk_create(links, ignore_conflicts=True)


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
