"""Small SVG charts drawn here, inline in pages and PDFs: no script, no image files.

Each chart is an image with a title and a description in words (role="img"); the page
also shows the same figures as a table, which is what a screen reader should read.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from actions.charts import COLOURS, PALETTE

from .formatting import number, short_date

RAG_COLOURS = {rag: COLOURS[rag] for rag in ("red", "amber", "green", "blue")}
INK = PALETTE["black"]
GREY = PALETTE["dark_grey"]
LINE = PALETTE["blue"]


def _svg(chart_id: str, width: int, height: int, title: str, desc: str, body: str) -> SafeString:
    return mark_safe(  # noqa: S308 - every text below goes through escape()
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>{body}</svg>'
    )


def rag_bar_chart(chart_id: str, summary: list[dict[str, Any]]) -> SafeString:
    """Horizontal bars, one per RAG colour, labelled with the count."""
    bar_h, gap, label_w, width = 22, 8, 110, 520
    longest = max((row["count"] for row in summary), default=0) or 1
    height = len(summary) * (bar_h + gap) + gap
    parts = []
    for i, row in enumerate(summary):
        y = gap + i * (bar_h + gap)
        w = round((width - label_w - 60) * row["count"] / longest)
        parts.append(
            f'<text x="0" y="{y + 16}" font-size="13" fill="{INK}">{escape(row["label"])}</text>'
            f'<rect x="{label_w}" y="{y}" width="{max(w, 1)}" height="{bar_h}" '
            f'fill="{RAG_COLOURS.get(row["rag"], GREY)}" stroke="{INK}" stroke-width="0.5"/>'
            f'<text x="{label_w + max(w, 1) + 6}" y="{y + 16}" font-size="13" '
            f'fill="{INK}">{row["count"]}</text>'
        )
    desc = "; ".join(f"{row['label']}: {row['count']}" for row in summary)
    return _svg(chart_id, width, height, "Actions by RAG status", desc, "".join(parts))


def measure_line_chart(chart_id: str, measure: dict[str, Any]) -> SafeString:
    """Readings over time against the baseline (dotted) and the target (dashed)."""
    width, height = 520, 200
    left, right, top, bottom = 64, 110, 12, 28
    readings = measure["readings"]
    unit = measure["unit"]
    values = [Decimal(r["value"]) for r in readings]
    baseline, target = Decimal(measure["baseline"]), Decimal(measure["target"])
    low, high = min([baseline, target, *values]), max([baseline, target, *values])
    pad = (high - low) * Decimal("0.1") or Decimal(1)
    low, high = low - pad, high + pad
    plot_w, plot_h = width - left - right, height - top - bottom

    def y(value: Decimal) -> float:
        return round(top + float((high - value) / (high - low)) * plot_h, 1)

    dates = [dt.date.fromisoformat(r["date"]) for r in readings]
    span = ((dates[-1] - dates[0]).days if len(dates) > 1 else 0) or 1

    def x(day: dt.date) -> float:
        if len(dates) == 1:
            return left + plot_w / 2
        return round(left + (day - dates[0]).days / span * plot_w, 1)

    parts = [
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" stroke="{GREY}"/>',
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" '
        f'stroke="{GREY}"/>',
    ]
    for value, label, dash in ((baseline, "Baseline", "2 3"), (target, "Target", "6 4")):
        parts.append(
            f'<line x1="{left}" y1="{y(value)}" x2="{left + plot_w}" y2="{y(value)}" '
            f'stroke="{INK}" stroke-dasharray="{dash}"/>'
            f'<text x="{left + plot_w + 6}" y="{y(value) + 4}" font-size="12" fill="{INK}">'
            f"{label} {escape(number(value, unit))}</text>"
        )
    if readings:
        points = " ".join(f"{x(d)},{y(v)}" for d, v in zip(dates, values, strict=True))
        parts.append(f'<polyline points="{points}" fill="none" stroke="{LINE}" stroke-width="2"/>')
        for d, v in zip(dates, values, strict=True):
            parts.append(f'<circle cx="{x(d)}" cy="{y(v)}" r="3.5" fill="{LINE}"/>')
        parts.append(
            f'<text x="{left}" y="{height - 8}" font-size="12" fill="{GREY}">'
            f"{escape(short_date(dates[0]))}</text>"
            f'<text x="{left + plot_w}" y="{height - 8}" font-size="12" fill="{GREY}" '
            f'text-anchor="end">{escape(short_date(dates[-1]))}</text>'
        )
    else:
        parts.append(
            f'<text x="{left + 8}" y="{top + plot_h / 2}" font-size="13" fill="{GREY}">'
            "No reading yet</text>"
        )
    for value in (high - pad, low + pad):
        parts.append(
            f'<text x="{left - 6}" y="{y(value) + 4}" font-size="12" fill="{GREY}" '
            f'text-anchor="end">{escape(number(value.quantize(Decimal("0.1")), unit))}</text>'
        )
    desc = f"Baseline {number(baseline, unit)}, target {number(target, unit)}. " + (
        "Readings: "
        + "; ".join(f"{short_date(r['date'])}: {number(r['value'], unit)}" for r in readings)
        if readings
        else "No reading yet."
    )
    return _svg(chart_id, width, height, measure["name"], desc, "".join(parts))
