"""What changed between two plan snapshots: "the plan sent in September and today".

Recommendations and actions are matched by their identity in the database, not by their
position, so a moved or renumbered action shows as changed, not as removed and added.
"""

from __future__ import annotations

from typing import Any

from .formatting import long_date, number

REC_FIELDS = [
    ("text", "Recommendation"),
    ("section", "Section"),
    ("timescale_label", "Timescale"),
    ("addressee", "Addressed to"),
]
ACTION_FIELDS = [
    ("title", "What will be done"),
    ("description", "Description"),
    ("owner", "Responsible officer"),
    ("organisation", "Organisation"),
    ("due_date", "Due date"),
    ("expected_outcome", "What difference it will make"),
    ("measures", "How we will know"),
    ("resources", "Resources"),
    ("risks", "Risks"),
    ("status_label", "Status"),
]


def _measures(action: dict[str, Any]) -> str:
    return "; ".join(
        f"{m['name']}: baseline {number(m['baseline'], m['unit'])}, "
        f"target {number(m['target'], m['unit'])}"
        for m in action["measures"]
    )


def _value(item: dict[str, Any], field: str) -> str:
    if field == "owner":
        return item["owner"]["name"] if item.get("owner") else ""
    if field == "due_date":
        return long_date(item.get("due_date"))
    if field == "measures":
        return _measures(item)
    return str(item.get(field) or "")


def _changes(old: dict[str, Any], new: dict[str, Any], fields) -> list[dict[str, str]]:
    changes = []
    for field, label in fields:
        before, after = _value(old, field), _value(new, field)
        if before != after:
            changes.append({"field": label, "before": before, "after": after})
    return changes


def _diff(old_items: list, new_items: list, fields, label_field: str) -> dict[str, list]:
    old_by_id = {item["id"]: item for item in old_items}
    new_by_id = {item["id"]: item for item in new_items}

    def brief(item: dict[str, Any]) -> dict[str, str]:
        return {"ref": item["ref"], "label": item[label_field]}

    changed = []
    for item in new_items:
        if item["id"] in old_by_id:
            changes = _changes(old_by_id[item["id"]], item, fields)
            if changes:
                changed.append({**brief(item), "changes": changes})
    return {
        "added": [brief(item) for item in new_items if item["id"] not in old_by_id],
        "removed": [brief(item) for item in old_items if item["id"] not in new_by_id],
        "changed": changed,
    }


def _cover(old: dict[str, Any], new: dict[str, Any]) -> list[dict[str, str]]:
    def sign_off(snap: dict[str, Any]) -> str:
        s = snap.get("sign_off")
        return f"{s['name']}, {long_date(s['date'])}" if s else "Not yet signed"

    def judgements(snap: dict[str, Any]) -> str:
        return "; ".join(f"{j['area']}: {j['grade_text']}" for j in snap["judgements"])

    pairs = [
        (
            "Plan submission deadline",
            long_date(old["inspection"]["plan_due_date"]),
            long_date(new["inspection"]["plan_due_date"]),
        ),
        ("Signed off by", sign_off(old), sign_off(new)),
        ("Judgements", judgements(old), judgements(new)),
    ]
    return [{"field": f, "before": b, "after": a} for f, b, a in pairs if b != a]


def compare(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """Changes from `old` to `new`, two snapshots made by build_plan_snapshot."""
    old_actions = [a for rec in old["recommendations"] for a in rec["actions"]]
    new_actions = [a for rec in new["recommendations"] for a in rec["actions"]]
    result = {
        "cover": _cover(old, new),
        "recommendations": _diff(
            old["recommendations"], new["recommendations"], REC_FIELDS, "text"
        ),
        "actions": _diff(old_actions, new_actions, ACTION_FIELDS, "title"),
    }
    result["has_changes"] = bool(
        result["cover"]
        or any(any(part.values()) for part in (result["recommendations"], result["actions"]))
    )
    return result
