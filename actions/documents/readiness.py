"""Is a source's submission ready? What is still unanswered, with a link to answer it.

Every recommendation of the source needs at least one action of the plan; every such
action an owner, a due date, an expected outcome ("what difference will it make") and a
measure ("how will we know"). The check reads a submission snapshot, so the page, the
documents and the watermark agree.
"""

from __future__ import annotations

from typing import Any


def _action_gaps(action: dict[str, Any]) -> list[str]:
    missing = []
    if not action.get("owner"):
        missing.append("a responsible officer")
    if not action.get("due_date"):
        missing.append("a due date")
    if not (action.get("expected_outcome") or "").strip():
        missing.append("an expected outcome (what difference it will make)")
    if not action.get("measures"):
        missing.append("a measure (how we will know)")
    return missing


def check(snapshot: dict[str, Any]) -> dict[str, Any]:
    """{"ready": bool, "gaps": [...], "recommendations": n, "actions": n} for a
    submission snapshot. Each gap names what is missing and links to where it is
    answered; an action answering two of the items is counted and listed once."""
    gaps: list[dict[str, Any]] = []
    recommendations = snapshot["recommendations"]
    if not recommendations:
        gaps.append(
            {
                "kind": "plan",
                "ref": "",
                "label": "The report has no recommendations",
                "url": snapshot["inspection"]["url"],
                "missing": ["the report's recommendations"],
            }
        )
    seen: set[int] = set()
    for rec in recommendations:
        if not rec["actions"]:
            gaps.append(
                {
                    "kind": "recommendation",
                    "ref": rec["ref"],
                    "label": rec["text"],
                    "url": rec["url"],
                    "missing": ["an action"],
                }
            )
        for action in rec["actions"]:
            if action["id"] in seen:
                continue
            seen.add(action["id"])
            missing = _action_gaps(action)
            if missing:
                gaps.append(
                    {
                        "kind": "action",
                        "ref": action["ref"],
                        "label": action["title"],
                        "url": action["url"],
                        "missing": missing,
                    }
                )
    return {
        "ready": not gaps,
        "gaps": gaps,
        "recommendations": len(recommendations),
        "actions": len(seen),
    }
