"""Demo data for `make run`: the real sample reports, imported through the importer, and
plans of actions in every state so the dashboard and the reminders have something to show.

The headline is Derbyshire's story (docs/plans.md): one improvement plan fed by its 2024
ILACS and its 2025 focused visit, with its 2011 and 2019 reports held as history, and
Ofsted asking again, report after report, for better management oversight and
supervision. Every row is written through the services a person's request goes through.

Clearly sample data: the people, the actions, the themes and the self-assessment are
invented; the reports are real.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group
from django.utils import timezone

from core import audit
from core.deadlines import working_day_on_or_after
from core.errors import DomainError
from core.models import Organisation, User
from core.roles import Role
from inspections import importer, repeat_links
from inspections.models import Inspection, Recommendation, RecommendationRepeat, RepeatStatus
from inspections.services import DuplicateReport, find_duplicate, import_report
from plans import services as plan_services
from plans.models import AreaOrigin, Plan, PlanStatus, Theme
from plans.themes import standard_themes

from . import services
from .models import Action

REPORTS_DIR = settings.BASE_DIR / "tests" / "fixtures" / "reports"
# Derbyshire's later reports, copied from the corpus so that the demo needs nothing beside
# the project (their source and licence: demo_reports/NOTICE).
STORY_DIR = Path(__file__).resolve().parent / "demo_reports"
# The demo people's own council. Every sample report but Derbyshire's (whatever council it
# names) becomes one of its plans, as a report the officer imports in the browser does: a
# plan belongs to a council the importer may act for, never to one made up from a
# report's text.
DEMO_COUNCIL = "Demo Council (sample data)"
# The council of the story. The demo council is its partner, so the demo people see its
# plan and may work on it (plans.visibility, inspections.authorities).
DERBYSHIRE = "Derbyshire County Council"
PLAN_TITLE = "Derbyshire children's services improvement plan (sample data)"
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


@dataclass(frozen=True)
class StoryReport:
    path: Path
    held_as_history: bool
    # The date the council received it, where the report prints no publication date.
    received: dt.date | None = None


# Derbyshire's reports in date order: imported in this order, each one's items are
# compared with all the earlier ones' (inspections.repeat_links).
STORY = [
    StoryReport(REPORTS_DIR / "derbyshire-2011-safeguarding-lac.txt", held_as_history=True),
    StoryReport(
        STORY_DIR / "derbyshire-children-s-services-inspection-19-september-2019.pdf",
        held_as_history=True,
    ),
    StoryReport(
        STORY_DIR / "derbyshire-children-s-services-inspection-12-january-2024.pdf",
        held_as_history=False,
        received=dt.date(2024, 1, 12),
    ),
    StoryReport(
        STORY_DIR / "derbyshire-children-s-services-focused-visit-09-june-2025.pdf",
        held_as_history=False,
    ),
]
STORY_FILES = frozenset(report.path.name for report in STORY)
# The repeats the officer confirms: every report since 2011 asks for better management
# (or "managerial") oversight.
OVERSIGHT = re.compile(r"\bmanag\w*\s+oversight\b", re.I)
# The plan's standard themes (plans.themes): leadership for the oversight items, and
# homes for children in care and care leavers.
THEMES = ("Enabler 2", "Outcome 4")
SELF_ASSESSMENT = (
    "Frequent changes of team manager in two localities weaken the management oversight "
    "that practice improvement depends on: stabilise the team manager workforce."
)


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


def derbyshire() -> Organisation:
    """Derbyshire, with the demo council as its partner, as an administrator would set
    them up (idempotent)."""
    council, _ = Organisation.objects.get_or_create(
        name=DERBYSHIRE, defaults={"kind": Organisation.Kind.LOCAL_AUTHORITY}
    )
    demo_council().partner_of.add(council)
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
    """Import every sample report but Derbyshire's story as the officer, as their council's
    plans; returns (file name, outcome) lines."""
    outcomes = []
    for path in sorted(reports_dir.iterdir()):
        if path.suffix.lower() not in {".pdf", ".txt", ".md"} or path.name in STORY_FILES:
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
    inspections = Inspection.objects.filter(source_filename__in=PLANNED, plan__isnull=False)
    for inspection in inspections.select_related("plan"):
        for index, recommendation in enumerate(inspection.recommendations.all()):
            if recommendation.actions.exists():
                continue
            _one_action(people, inspection.plan, recommendation, today, index)
            created += 1
    return created


def _one_action(people, plan: Plan, recommendation, today: dt.date, index: int) -> Action:
    officer = people["officer"]
    due = working_day_on_or_after(today + dt.timedelta(days=DUE_OFFSETS[index % len(DUE_OFFSETS)]))
    action = services.draft_action(
        plan=plan,
        recommendations=[recommendation],
        by=officer,
        title=f"Sample action: respond to “{recommendation.text[:70].rstrip()}…”",
        description="Sample data: an invented action answering a real recommendation.",
        due_date=due,
        expected_outcome="Children receive consistently good help at the right time.",
        resources="Two practice leads for six months.",
        risks="Staff turnover slows the change.",
    )
    return _deliver(people, action, today, index)


def _deliver(people, action: Action, today: dt.date, index: int) -> Action:
    """An owner, a measure with readings, progress and (for some) sign-off."""
    officer, director, owner = people["officer"], people["director"], people["owner"]
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


# Derbyshire's story -------------------------------------------------------------------


def tell_derbyshire_story(people: dict[str, User], today: dt.date) -> list[tuple[str, str]]:
    """Derbyshire's plan, its sources, its history, repeats, themes, a wider area and
    actions (each step once: running it again adds nothing)."""
    council = derbyshire()
    # Fresh people: the rule of what they see is read once per person and kept, and
    # Derbyshire's plan is new.
    people = {name: User.objects.get(pk=user.pk) for name, user in people.items()}
    officer = people["officer"]
    outcomes, plan, reports = [], None, []
    for report in STORY:
        inspection, outcome = _import_story_report(report, council, officer, plan)
        outcomes.append((report.path.name, outcome))
        if inspection is None:
            return outcomes
        reports.append(inspection)
        if not report.held_as_history:
            plan = plan or inspection.plan
    # Again in date order: a report held before the later ones were imported (an older
    # demo database) is compared with them too. Decisions already made are kept.
    for inspection in reports:
        repeat_links.suggest_for(inspection)
    people = {name: User.objects.get(pk=user.pk) for name, user in people.items()}
    _confirm_oversight_repeats(people, reports)
    links = RecommendationRepeat.objects.filter(recommendation__inspection__in=reports)
    outcomes.append(
        (
            "repeats",
            f"{links.filter(status=RepeatStatus.CONFIRMED).count()} confirmed, "
            f"{links.filter(status=RepeatStatus.SUGGESTED).count()} suggested for an officer",
        )
    )
    plan = _lead_plan(plan, people)
    themes = _themes(plan, people["officer"])
    outcomes.append(("actions created", str(_story_actions(people, plan, themes, reports, today))))
    return outcomes


def _import_story_report(
    report: StoryReport, council: Organisation, officer: User, plan: Plan | None
) -> tuple[Inspection | None, str]:
    if not report.path.exists():
        return None, f"not found ({report.path}): the story stops here"
    data = report.path.read_bytes()
    existing = find_duplicate(data)
    if existing is not None:
        if existing.local_authority_id == council.pk:
            return existing, "already imported"
        if report.held_as_history and _hold_as_history(existing, council):
            return existing, "moved to Derbyshire's history"
        return None, f"already imported for {existing.local_authority}: the story stops here"
    parsed = importer.parse(data, report.path.name)
    inspection = import_report(
        parsed=parsed,
        data=data,
        filename=report.path.name,
        imported_by=officer,
        authority=council,
        received_date=report.received,
        plan=plan,
        hold_as_history=report.held_as_history,
    )
    role = "held as history" if report.held_as_history else "a source of Derbyshire's plan"
    return inspection, f"{inspection.recommendations.count()} recommendations, {role}"


def _hold_as_history(inspection: Inspection, council: Organisation) -> bool:
    """A report an older demo imported as the demo council's own plan becomes Derbyshire's
    history, if nothing was done with it (its plan has no actions and no other source)."""
    old_plan = inspection.plan
    if old_plan is not None and (
        old_plan.actions.exists() or old_plan.sources.exclude(pk=inspection.pk).exists()
    ):
        return False
    before = audit.snapshot(inspection, ["local_authority_id", "plan_id"])
    Inspection.objects.filter(pk=inspection.pk).update(local_authority=council, plan=None)
    inspection.refresh_from_db()
    if old_plan is not None:
        old_plan.delete()
    audit.record(
        actor=None,
        verb="update",
        obj=inspection,
        summary="Sample data: held as Derbyshire's history",
        before=before,
        after=audit.snapshot(inspection, ["local_authority_id", "plan_id"]),
    )
    return True


def _confirm_oversight_repeats(people: dict[str, User], reports: list[Inspection]) -> int:
    """The officer confirms the suggested repeats about management oversight."""
    links = RecommendationRepeat.objects.filter(
        recommendation__inspection__in=reports, status=RepeatStatus.SUGGESTED
    ).select_related("recommendation__inspection", "earlier")
    confirmed = 0
    for link in links:
        if OVERSIGHT.search(link.recommendation.text) and OVERSIGHT.search(link.earlier.text):
            repeat_links.decide(link=link, by=people["officer"], confirmed=True)
            confirmed += 1
    return confirmed


def _lead_plan(plan: Plan, people: dict[str, User]) -> Plan:
    """The director leads the plan, in delivery (once)."""
    if plan.lead_director_id is not None:
        return plan
    return plan_services.change_plan(
        plan=plan,
        by=people["director"],
        title=PLAN_TITLE,
        lead_director=people["director"],
        status=PlanStatus.IN_DELIVERY,
    )


def _themes(plan: Plan, officer: User) -> dict[str, Theme]:
    """The plan's standard themes named in THEMES, by their short name ("Enabler 2")."""
    themes = {}
    for standard in standard_themes():
        short = standard.name.split(":")[0]
        if short not in THEMES:
            continue
        theme = plan.themes.filter(name=standard.name).first()
        if theme is None:
            theme = plan_services.add_theme(plan=plan, by=officer, name=standard.name)
        themes[short] = theme
    return themes


def _item(reports: list[Inspection], index: int, pattern: str) -> Recommendation | None:
    """The first item of one of the story's reports whose text matches."""
    return reports[index].recommendations.filter(text__iregex=pattern).order_by("order").first()


def _story_actions(
    people: dict[str, User],
    plan: Plan,
    themes: dict[str, Theme],
    reports: list[Inspection],
    today: dt.date,
) -> int:
    """Actions of Derbyshire's plan: one answering items of both sources, one answering
    the self-assessment's wider area only, one for each source's other items."""
    officer = people["officer"]
    area = plan.wider_areas.filter(text=SELF_ASSESSMENT).first()
    if area is None:
        area = plan_services.add_wider_area(
            plan=plan,
            by=officer,
            text=SELF_ASSESSMENT,
            origin=AreaOrigin.SELF_ASSESSMENT,
            origin_detail="Derbyshire's self-evaluation of social work practice (sample data)",
            theme=themes["Enabler 2"],
        )
    ilacs, visit = 2, 3
    oversight = [
        item
        for item in (
            _item(reports, ilacs, r"manag\w*\s+oversight"),
            _item(reports, visit, r"manag\w*\s+oversight"),
        )
        if item is not None
    ]
    wanted = [
        (
            "Strengthen management oversight and supervision, and record its rationale on "
            "every child's file",
            oversight,
            None,
            themes["Enabler 2"],
        ),
        ("Stabilise team manager posts in the two localities", [], area, themes["Enabler 2"]),
        (
            "Offer every older care leaver not in education, training or employment a "
            "personal adviser and a place with a local employer",
            [_item(reports, ilacs, r"care leavers")],
            None,
            themes["Outcome 4"],
        ),
        (
            "Rewrite pre-proceedings letters with parents so that they are clear and easy to read",
            [_item(reports, visit, r"pre-proceedings")],
            None,
            None,
        ),
    ]
    created = 0
    for index, (title, items, wider_area, theme) in enumerate(wanted):
        items = [item for item in items if item is not None]
        if plan.actions.filter(title=title).exists() or not (items or wider_area):
            continue
        action = services.draft_action(
            plan=plan,
            by=officer,
            title=title,
            recommendations=items,
            wider_area=wider_area,
            theme=theme,
            description="Sample data: an invented action of Derbyshire's plan.",
            due_date=working_day_on_or_after(
                today + dt.timedelta(days=DUE_OFFSETS[(index + 2) % len(DUE_OFFSETS)])
            ),
            expected_outcome="Managers' oversight is seen on every child's file.",
            resources="A practice lead in each locality for a year.",
            risks="Team manager vacancies slow the change.",
        )
        _deliver(people, action, today, index)
        created += 1
    return created


def load(reports_dir: Path = REPORTS_DIR) -> dict:
    password = demo_password()
    people = create_people(password)
    derbyshire()  # before the imports: the officer may act for it
    outcomes = import_reports(people["officer"], reports_dir)
    today = timezone.localdate()
    created = plan_actions(people, today)
    story = tell_derbyshire_story(people, today)
    return {
        "password": password,
        "people": list(people),
        "reports": outcomes,
        "actions": created,
        "story": story,
    }
