"""Demo data for `make run`: the real sample reports, imported through the importer, and a
plan of actions in every state so the dashboard and the reminders have something to show.

Clearly sample data: the people and actions are invented; the reports are real.
"""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group
from django.utils import timezone

from core.errors import DomainError
from core.models import Organisation, User
from core.roles import Role
from inspections import importer
from inspections.models import Inspection
from inspections.services import DuplicateReport

from . import services
from .models import Action

REPORTS_DIR = settings.BASE_DIR / "tests" / "fixtures" / "reports"
# The demo people's own council. Every sample report (whatever council it names) becomes
# one of its plans, as a report the officer imports in the browser does: a plan belongs
# to a council the importer may act for, never to one made up from a report's text.
DEMO_COUNCIL = "Demo Council (sample data)"
# (username, role, first name, last name)
PEOPLE = [
    ("director", Role.DIRECTOR, "Dana", "Director"),
    ("officer", Role.POLICY_OFFICER, "Priya", "Officer"),
    ("owner", Role.ACTION_OWNER, "Owen", "Owner"),
    ("reader", Role.READER, "Rita", "Reader"),
]
# Reports whose recommendations get demo actions (the others are imported only).
PLANNED = ("isle-of-wight-2019-ilacs.pdf", "st-helens-2018-focused-visit.pdf")
# Due dates relative to today, cycling: overdue, due soon, later.
DUE_OFFSETS = [-15, 4, 30, -3, 9, 60, 120]


def demo_password() -> str:
    """DEMO_PASSWORD when set, else one generated once and kept in var/demo-password."""
    import os

    if os.environ.get("DEMO_PASSWORD"):
        return os.environ["DEMO_PASSWORD"]
    path = Path(settings.VAR_DIR) / "demo-password"
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    password = secrets.token_urlsafe(12)
    path.write_text(password)
    return password


def demo_council() -> Organisation:
    """The demo's council, created as an administrator would (idempotent)."""
    council, _ = Organisation.objects.get_or_create(
        name=DEMO_COUNCIL, defaults={"kind": Organisation.Kind.LOCAL_AUTHORITY}
    )
    return council


def create_people(password: str) -> dict[str, User]:
    council = demo_council()
    people = {}
    for username, role, first, last in PEOPLE:
        user, _ = User.objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "email": f"{username}@example.org"},
        )
        user.organisation = council
        user.set_password(password)
        user.save()
        user.groups.add(Group.objects.get(name=role.value))
        people[username] = user
    return people


def import_reports(officer: User, reports_dir: Path = REPORTS_DIR) -> list[tuple[str, str]]:
    """Import every sample report as the officer, as their council's plans; returns (file
    name, outcome) lines."""
    outcomes = []
    for path in sorted(reports_dir.iterdir()):
        if path.suffix.lower() not in {".pdf", ".txt", ".md"}:
            continue
        try:
            inspection = importer.import_bytes(
                data=path.read_bytes(),
                filename=path.name,
                user=officer,
                authority=officer.organisation,
            )
        except DuplicateReport:
            outcomes.append((path.name, "already imported"))
        except DomainError as error:
            outcomes.append((path.name, f"not imported: {error.message}"))
        else:
            outcomes.append((path.name, f"{inspection.recommendations.count()} recommendations"))
    return outcomes


def plan_actions(people: dict[str, User], today: dt.date) -> int:
    """Actions for the planned reports' recommendations, once (idempotent)."""
    created = 0
    inspections = Inspection.objects.filter(source_filename__in=PLANNED)
    for inspection in inspections:
        for index, recommendation in enumerate(inspection.recommendations.all()):
            if recommendation.actions.exists():
                continue
            _one_action(people, recommendation, today, index)
            created += 1
    return created


def _one_action(people, recommendation, today: dt.date, index: int) -> Action:
    officer, director, owner = people["officer"], people["director"], people["owner"]
    due = today + dt.timedelta(days=DUE_OFFSETS[index % len(DUE_OFFSETS)])
    action = services.draft_action(
        recommendation=recommendation,
        by=officer,
        title=f"Sample action: respond to “{recommendation.text[:70].rstrip()}…”",
        description="Sample data: an invented action answering a real recommendation.",
        due_date=due,
        expected_outcome="Children receive consistently good help at the right time.",
        resources="Two practice leads for six months.",
        risks="Staff turnover slows the change.",
    )
    action = services.assign_owner(action=action, by=director, owner=owner)
    measure = services.add_measure(
        action=action,
        by=officer,
        name="Audited cases rated good or better",
        unit="%",
        baseline=Decimal(45),
        baseline_date=today - dt.timedelta(days=180),
        target=Decimal(80),
        direction="higher",
    )
    for months_ago, value in ((4, 50), (2, 58), (0, 63 + index * 4)):
        services.record_reading(
            measure=measure,
            by=officer,
            value=Decimal(value),
            date=today - dt.timedelta(days=30 * months_ago),
        )
    if index % 3 != 1:
        services.record_progress(
            action=action, by=owner, text="Sample data: audit programme under way."
        )
    if index == 2:
        action = services.mark_complete(action=action, by=owner)
        action = services.submit_impact(
            action=action, by=owner, summary="Audits show sustained improvement."
        )
        services.sign_off(
            action=action,
            by=director,
            justification="Sample data: improvement sustained; target expected next quarter.",
        )
    return action


def load(reports_dir: Path = REPORTS_DIR) -> dict:
    password = demo_password()
    people = create_people(password)
    outcomes = import_reports(people["officer"], reports_dir)
    created = plan_actions(people, timezone.localdate())
    return {"password": password, "people": list(people), "reports": outcomes, "actions": created}
