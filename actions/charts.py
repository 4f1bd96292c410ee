"""Server-drawn SVG bar charts (no JavaScript). Every chart is also shown as a table."""

from __future__ import annotations

import dataclasses

# The GOV.UK Design System's colours: the one palette of every chart, on pages and in
# documents (actions/documents/charts.py).
PALETTE = {
    "red": "#d4351c",
    "yellow": "#ffdd00",
    "green": "#00703c",
    "blue": "#1d70b8",
    "black": "#0b0c0c",
    "dark_grey": "#505a5f",
    "mid_grey": "#b1b4b6",
}
COLOURS = {
    "red": PALETTE["red"],
    "amber": PALETTE["yellow"],
    "green": PALETTE["green"],
    "blue": PALETTE["blue"],
    "on_target": PALETTE["green"],
    "off_target": PALETTE["red"],
    "no_reading": PALETTE["mid_grey"],
}


@dataclasses.dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    fill: str
    label: str


@dataclasses.dataclass
class Chart:
    width: int
    height: int
    bars: list[Bar]
    labels: list[tuple[float, float, str]]  # x, y, text


def stacked_columns(
    columns: list[tuple[str, dict[str, int]]], keys: list[str], height: int = 160
) -> Chart:
    """Vertical stacked columns, one per (label, {key: count})."""
    column_width, gap = 28, 10
    top = max((sum(values.values()) for _, values in columns), default=0) or 1
    bars, labels = [], []
    for index, (label, values) in enumerate(columns):
        x = index * (column_width + gap)
        y = float(height)
        for key in keys:
            h = values.get(key, 0) / top * height
            y -= h
            if h:
                bars.append(
                    Bar(x, y, column_width, h, COLOURS[key], f"{label}: {values[key]} {key}")
                )
        labels.append((x, height + 14, label))
    width = max(len(columns) * (column_width + gap), 40)
    return Chart(width=width, height=height + 20, bars=bars, labels=labels)


def stacked_row(values: dict[str, int], keys: list[str], width: int = 400) -> Chart:
    """One horizontal stacked bar of proportions."""
    total = sum(values.get(k, 0) for k in keys) or 1
    x, bars = 0.0, []
    for key in keys:
        w = values.get(key, 0) / total * width
        if w:
            bars.append(Bar(x, 0, w, 24, COLOURS[key], f"{values[key]} {key.replace('_', ' ')}"))
        x += w
    return Chart(width=width, height=24, bars=bars, labels=[])
