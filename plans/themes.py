"""Themes (workstreams) of a plan, and the national framework's standard ones.

The Children's Social Care National Framework's outcomes and enablers are offered as
standard themes; an item that cross-refers to one of them (inspections.importing.framework)
is filed under that theme by default, so a board reading the plan by theme finds the
2025 reports' items where Ofsted put them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Max

from inspections.importing.framework import ENABLERS, OUTCOMES
from inspections.models import FrameworkKind, Recommendation

from .models import Plan, Theme


@dataclass(frozen=True)
class StandardTheme:
    kind: str
    number: int
    framework_name: str

    @property
    def name(self) -> str:
        return f"{FrameworkKind(self.kind).label} {self.number}: {self.framework_name}"


def standard_themes() -> list[StandardTheme]:
    """The framework's outcomes, then its enablers, in the framework's own order."""
    return [StandardTheme(FrameworkKind.OUTCOME, n, name) for n, name in OUTCOMES.items()] + [
        StandardTheme(FrameworkKind.ENABLER, n, name) for n, name in ENABLERS.items()
    ]


def _standard(kind: str, number: int | None) -> StandardTheme | None:
    return next((t for t in standard_themes() if (t.kind, t.number) == (kind, number)), None)


def theme_for_framework(plan: Plan, kind: str, number: int | None) -> Theme | None:
    """The plan's theme for a framework outcome or enabler, added if the plan has none
    yet; None for anything else (a principle, or a number the framework lacks)."""
    standard = _standard(kind, number)
    if standard is None:
        return None
    theme = plan.themes.filter(framework_kind=kind, framework_number=number).first()
    if theme is None:
        theme, _ = plan.themes.get_or_create(
            name=standard.name,
            defaults={"framework_kind": kind, "framework_number": number, "order": _next(plan)},
        )
    return theme


def default_theme(plan: Plan, recommendations: Iterable[Recommendation]) -> Theme | None:
    """The theme an action answering these items is filed under unless an officer says
    otherwise: that of the first item with a framework cross-reference."""
    for recommendation in recommendations:
        if recommendation.framework_kind:
            theme = theme_for_framework(
                plan, recommendation.framework_kind, recommendation.framework_number
            )
            if theme is not None:
                return theme
    return None


def _next(plan: Plan) -> int:
    return (plan.themes.aggregate(last=Max("order"))["last"] or 0) + 1
