"""The demo (`make run`'s `load_demo`): Derbyshire's plan tells the story of issue #18 beside
the other sample plans, and loading it again adds nothing."""

from __future__ import annotations

import pytest

from actions import demo
from actions.models import Action
from core.models import Organisation
from inspections import importer
from inspections.models import Inspection, RecommendationRepeat, RepeatStatus
from plans.models import AreaOrigin, Plan, PlanStatus
from plans.permissions import can
from plans.themes import standard_themes
from plans.visibility import plans_seen_by


@pytest.fixture(autouse=True)
def demo_password(monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "demo-password-for-tests")


def counts() -> dict[str, int]:
    return {
        "plans": Plan.objects.count(),
        "reports": Inspection.objects.count(),
        "actions": Action.objects.count(),
        "repeats": RecommendationRepeat.objects.count(),
        "confirmed": RecommendationRepeat.objects.filter(status=RepeatStatus.CONFIRMED).count(),
    }


def derbyshire_plan() -> Plan:
    return Plan.objects.get(local_authority__name=demo.DERBYSHIRE)


def report(name_start: str) -> Inspection:
    return Inspection.objects.get(source_filename__startswith=name_start)


def test_the_demo_tells_derbyshires_story_beside_the_other_sample_plans(db):
    result = demo.load()

    plan = derbyshire_plan()
    ilacs = report("derbyshire-children-s-services-inspection-12-january-2024")
    visit = report("derbyshire-children-s-services-focused-visit-09-june-2025")
    history = [report("derbyshire-2011"), report("derbyshire-children-s-services-inspection-19")]
    # One plan fed by the 2024 ILACS and the 2025 focused visit; 2011 and 2019 held.
    assert set(plan.sources.all()) == {ilacs, visit}
    assert all(
        r.plan_id is None and r.local_authority_id == plan.local_authority_id for r in history
    )
    assert plan.status == PlanStatus.IN_DELIVERY
    assert plan.lead_director.username == "director"
    # The management oversight repeats, confirmed by the officer.
    confirmed = RecommendationRepeat.objects.filter(status=RepeatStatus.CONFIRMED)
    pairs = {(link.recommendation.inspection_id, link.earlier.inspection_id) for link in confirmed}
    assert (ilacs.pk, history[1].pk) in pairs  # 2024 says again what 2019 said
    assert (visit.pk, ilacs.pk) in pairs  # and 2025 what 2024 said
    for link in confirmed:
        assert demo.OVERSIGHT.search(link.recommendation.text)
        assert demo.OVERSIGHT.search(link.earlier.text)
        assert link.decided_by.username == "officer"
    assert RecommendationRepeat.objects.filter(status=RepeatStatus.SUGGESTED).exists()
    # Standard themes, a wider area from a self-assessment, and actions answering both.
    standard = {theme.name for theme in standard_themes()}
    assert plan.themes.count() == 2
    assert set(plan.themes.values_list("name", flat=True)) <= standard
    area = plan.wider_areas.get()
    assert area.origin == AreaOrigin.SELF_ASSESSMENT
    both = [
        a
        for a in plan.actions.all()
        if {r.inspection_id for r in a.recommendations.all()} == {ilacs.pk, visit.pk}
    ]
    assert len(both) == 1
    area_only = plan.actions.get(wider_area=area)
    assert not area_only.recommendations.exists()
    assert plan.actions.filter(theme__isnull=False).count() >= 3
    assert all(a.owner is not None for a in plan.actions.all())
    # The other sample plans are still there, each a plan of the demo council.
    council = Organisation.objects.get(name=demo.DEMO_COUNCIL)
    planned = Plan.objects.filter(
        local_authority=council, sources__source_filename__in=demo.PLANNED
    ).distinct()
    assert planned.count() == 2
    assert all(p.actions.exists() for p in planned)
    assert Plan.objects.filter(local_authority=council).count() >= 8
    assert not Inspection.objects.filter(
        local_authority=council, source_filename__startswith="derbyshire-2011"
    ).exists()
    # Every demo person sees Derbyshire's plan and the demo council's; the officer may
    # draft its actions and the reader may not.
    people = {user.username: user for user in council.people.all()}
    assert set(people) == {"director", "officer", "owner", "reader"}
    for user in people.values():
        seen = plans_seen_by(user)
        assert seen.filter(pk=plan.pk).exists()
        assert (
            seen.filter(local_authority=council).count()
            == Plan.objects.filter(local_authority=council).count()
        )
    assert can(people["officer"], "actions.draft_action", plan)
    assert not can(people["reader"], "actions.draft_action", plan)
    assert dict(result["story"])["actions created"] == "4"

    before = counts()
    again = demo.load()
    assert counts() == before
    assert again["actions"] == 0
    assert dict(again["story"])["actions created"] == "0"


def test_an_older_demos_2011_report_becomes_derbyshires_history(db):
    """Demos before plans imported Derbyshire's 2011 report as the demo council's plan:
    loading the demo again holds it as Derbyshire's history, and the empty plan goes."""
    people = demo.create_people("demo-password-for-tests")
    path = demo.REPORTS_DIR / "derbyshire-2011-safeguarding-lac.txt"
    old = importer.import_bytes(
        data=path.read_bytes(),
        filename=path.name,
        user=people["officer"],
        authority=people["officer"].organisation,
    )
    old_plan = old.plan

    story = dict(demo.tell_derbyshire_story(people, demo.timezone.localdate()))

    assert story[path.name] == "moved to Derbyshire's history"
    old.refresh_from_db()
    assert old.plan_id is None
    assert old.local_authority.name == demo.DERBYSHIRE
    assert not Plan.objects.filter(pk=old_plan.pk).exists()
    # Its items are compared with the later reports' like any held report's.
    assert RecommendationRepeat.objects.filter(
        earlier__inspection=old, status=RepeatStatus.CONFIRMED
    ).exists()


def test_a_report_with_actions_elsewhere_is_not_moved(db):
    """A report someone already planned under another council is left where it is, and the
    story says why it stops."""
    people = demo.create_people("demo-password-for-tests")
    path = demo.REPORTS_DIR / "derbyshire-2011-safeguarding-lac.txt"
    old = importer.import_bytes(
        data=path.read_bytes(),
        filename=path.name,
        user=people["officer"],
        authority=people["officer"].organisation,
    )
    demo._one_action(people, old.plan, old.recommendations.first(), demo.timezone.localdate(), 0)

    story = demo.tell_derbyshire_story(people, demo.timezone.localdate())

    assert story[-1][1].startswith("already imported for Demo Council")
    old.refresh_from_db()
    assert old.plan is not None and old.local_authority.name == demo.DEMO_COUNCIL
    assert not Plan.objects.filter(local_authority__name=demo.DERBYSHIRE).exists()


def test_generated_plans_have_sources_and_actions_answering_their_items(db):
    """`generate_demo_data` (bench.generator): one plan per council with its sources; its
    actions answer one item, two items, or a wider area only, always the plan's own."""
    from bench import generator

    result = generator.generate(councils=6, actions=600, seed=5)

    plans = Plan.objects.filter(local_authority__name__startswith="Generated council")
    assert plans.count() == result["plans"] == 6
    assert result["actions"] == Action.objects.filter(plan__in=plans).count() == 600
    assert Inspection.objects.filter(plan__in=plans).count() == result["sources"]
    assert any(plan.sources.count() == 2 for plan in plans)  # a later letter feeds some
    actions = Action.objects.filter(plan__in=plans).prefetch_related("recommendations")
    answering = {0: 0, 1: 0, 2: 0}
    for action in actions:
        items = list(action.recommendations.all())
        answering[len(items)] += 1
        assert all(item.inspection.plan_id == action.plan_id for item in items)
        if not items:
            assert action.wider_area.plan_id == action.plan_id
        if action.theme_id:
            assert action.theme.plan_id == action.plan_id
    assert all(count > 0 for count in answering.values()), answering
    two_sources = [
        a for a in actions if len({r.inspection_id for r in a.recommendations.all()}) == 2
    ]
    assert two_sources
    assert sum(answering.values()) == 600
    assert result["answers"] == answering[1] + 2 * answering[2]
    for plan in plans:  # the dashboard's counts are kept for bulk-inserted plans too
        assert plan.summary.actions == plan.actions.count()
