"""RAG status derived from dates, progress and measure readings, with its reason in words.

Committees ask why an action is red, not only that it is: every derived value comes with
a sentence. The sentence does not repeat the colour, which the tag beside it shows
("Red: 12 working days overdue"). The rules, in order:

1. closed → blue;
2. complete or impact evidenced → green (delivered, awaiting or with evidence of impact);
3. overdue → red ("12 working days overdue");
4. a measure whose latest reading has moved away from target past its baseline by more
   than RAG_MEASURE_SLIPPAGE_PERCENT → red;
5. due within RAG_AMBER_WORKING_DAYS working days without progress recorded in the last
   RAG_STALE_DAYS days → amber;
6. otherwise green.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone

from core.deadlines import working_days_between
from core.words import counted

from .models import Action, Measure, Rag, Status


@dataclasses.dataclass(frozen=True)
class MeasureSignal:
    name: str
    direction: str
    baseline: Decimal
    target: Decimal
    latest: Decimal | None


@dataclasses.dataclass(frozen=True)
class RagResult:
    rag: str
    reason: str


def _slipped(signal: MeasureSignal) -> bool:
    """True when the latest reading is worse than the baseline by more than the threshold."""
    if signal.latest is None:
        return False
    gap = abs(signal.target - signal.baseline) or abs(signal.baseline) or Decimal(1)
    threshold = gap * Decimal(settings.RAG_MEASURE_SLIPPAGE_PERCENT) / 100
    if signal.direction == Measure.Direction.HIGHER:
        return signal.latest < signal.baseline - threshold
    return signal.latest > signal.baseline + threshold


def derive_rag(
    *,
    status: str,
    due_date: dt.date,
    today: dt.date,
    last_progress_on: dt.date | None,
    measures: Iterable[MeasureSignal] = (),
) -> RagResult:
    """The RAG of one action and the reason for it, from plain values (see module doc)."""
    if status == Status.CLOSED:
        return RagResult(Rag.BLUE, "impact signed off")
    if status == Status.IMPACT_EVIDENCED:
        return RagResult(Rag.GREEN, "impact evidenced, awaiting sign-off")
    if status == Status.COMPLETE:
        return RagResult(Rag.GREEN, "complete, impact not yet evidenced")
    if due_date < today:
        late = working_days_between(due_date, today)
        if late == 0:
            return RagResult(Rag.RED, "overdue since the last working day")
        return RagResult(Rag.RED, f"{counted(late, 'working day')} overdue")
    for signal in measures:
        if _slipped(signal):
            return RagResult(
                Rag.RED,
                f"“{signal.name}” has moved away from its target "
                f"(latest {signal.latest:g}, baseline {signal.baseline:g}, "
                f"target {signal.target:g})",
            )
    left = working_days_between(today, due_date)
    window = settings.RAG_AMBER_WORKING_DAYS
    stale_since = today - dt.timedelta(days=settings.RAG_STALE_DAYS)
    if left <= window and (last_progress_on is None or last_progress_on < stale_since):
        when = "today" if left == 0 else f"in {counted(left, 'working day')}"
        if last_progress_on is None:
            return RagResult(Rag.AMBER, f"due {when} with no progress recorded")
        return RagResult(
            Rag.AMBER,
            f"due {when}, no progress recorded since {last_progress_on:%-d %B %Y}",
        )
    when = "today" if left == 0 else f"in {counted(left, 'working day')}"
    return RagResult(Rag.GREEN, f"on track, due {when}")


def signals_for(action: Action) -> list[MeasureSignal]:
    """Measure signals of an action; uses prefetched measures and readings when present."""
    signals = []
    for measure in action.measures.all():
        readings = sorted(measure.readings.all(), key=lambda r: (r.date, r.pk))
        signals.append(
            MeasureSignal(
                name=measure.name,
                direction=measure.direction,
                baseline=measure.baseline,
                target=measure.target,
                latest=readings[-1].value if readings else None,
            )
        )
    return signals


def compute_for(action: Action, today: dt.date) -> RagResult:
    last = action.progress_updates.filter(returned_at__isnull=True).order_by("-created_at").first()
    return derive_rag(
        status=action.status,
        due_date=action.due_date,
        today=today,
        last_progress_on=last.created_at.date() if last else None,
        measures=signals_for(action),
    )


def refresh_rag(action: Action, today: dt.date) -> bool:
    """Store the derived RAG on the action; True when it changed. Does not bump version."""
    result = compute_for(action, today)
    if (action.rag, action.rag_reason) == (result.rag, result.reason):
        return False
    action.rag, action.rag_reason = result.rag, result.reason
    # updated_at moves too, so systems syncing with `updated_since` see the new RAG.
    action.updated_at = timezone.now()
    Action.objects.filter(pk=action.pk).update(
        rag=result.rag, rag_reason=result.reason, updated_at=action.updated_at
    )
    return True


RAG_FIELDS = ["rag", "rag_reason", "updated_at"]


def refresh_all(today: dt.date, batch_size: int = 500) -> int:
    """Recompute every open action's RAG in batches; returns how many changed."""
    changed = 0
    queryset = (
        Action.objects.exclude(status=Status.CLOSED, rag=Rag.BLUE)
        .prefetch_related("measures__readings")
        .annotate(
            last_progress_at=models.Max(
                "progress_updates__created_at",
                filter=models.Q(progress_updates__returned_at__isnull=True),
            )
        )
        .order_by("pk")
    )
    pending: list[Action] = []
    for action in queryset.iterator(chunk_size=batch_size):
        last = action.last_progress_at
        result = derive_rag(
            status=action.status,
            due_date=action.due_date,
            today=today,
            last_progress_on=timezone.localdate(last) if last else None,
            measures=signals_for(action),
        )
        if (action.rag, action.rag_reason) != (result.rag, result.reason):
            action.rag, action.rag_reason = result.rag, result.reason
            action.updated_at = timezone.now()
            pending.append(action)
        if len(pending) >= batch_size:
            changed += Action.objects.bulk_update(pending, RAG_FIELDS)
            pending = []
    if pending:
        changed += Action.objects.bulk_update(pending, RAG_FIELDS)
    return changed


def shown_rag_counts() -> dict[str, models.Aggregate]:
    """Count expressions of the RAG people see (override first), for Action querysets."""
    return {
        rag: models.Count(
            "pk",
            filter=models.Q(rag_override=rag) | models.Q(rag_override="", rag=rag),
        )
        for rag in Rag.values
    }


def record_snapshots(today: dt.date) -> int:
    """Store today's RAG counts for every plan (idempotent: one row a plan a day)."""
    from .models import RagSnapshot

    rows = Action.objects.values("plan").order_by("plan").annotate(**shown_rag_counts())
    for row in rows:
        RagSnapshot.objects.update_or_create(
            plan_id=row["plan"],
            date=today,
            defaults={rag: row[rag] for rag in Rag.values},
        )
    return len(rows)
