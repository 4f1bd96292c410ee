from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile

from actions.models import Evidence
from inspections.models import Inspection, Recommendation
from tests.factories import (
    ActionFactory,
    InspectionFactory,
    JudgementFactory,
    MeasureFactory,
    MeasureReadingFactory,
    OrganisationFactory,
    RecommendationFactory,
    UserFactory,
)

# Verbatim recommendations in the shape of a 2011 safeguarding and looked after children
# report, listed here in report order.
REPORT = [
    (
        "Safeguarding: areas for improvement",
        "immediately",
        "",
        "Ensure that all children in need have an up-to-date plan that is reviewed regularly.",
    ),
    (
        "Safeguarding: areas for improvement",
        "three_months",
        "",
        "Improve the quality of supervision so that it is reflective and recorded; this "
        "includes the use of a consistent model across all teams.",
    ),
    (
        "Looked after children: areas for improvement",
        "immediately",
        "",
        "Ensure that every looked after child has a health assessment within statutory timescales.",
    ),
    (
        "Looked after children: areas for improvement",
        "six_months",
        "The County Durham and Darlington NHS Foundation Trust",
        "Ensure that care leavers receive a summary of their health history — including "
        "immunisations — before they leave care.",
    ),
]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@dataclass
class Plan:
    """A plan with one source (`inspection`), its recommendations and actions."""

    inspection: Inspection
    recommendations: list[Recommendation]
    actions: list = field(default_factory=list)

    @property
    def plan(self):
        return self.inspection.plan


def person(username: str, *roles: str, organisation: str = "Test Council", **extra):
    user = UserFactory(username=username, organisation__name=organisation, **extra)
    for role in roles:
        user.groups.add(Group.objects.get_or_create(name=role)[0])  # as UserFactory does
    return user


@pytest.fixture
def outsider(db):
    """A director and policy officer of another council: sees nothing of Test Council's."""
    return person("outsider", "Directors", "Policy officers", organisation="Other Council")


@pytest.fixture
def lead(db):
    """A director who is also a policy officer: may draft, assign and move dates."""
    return person(
        "lead", "Directors", "Policy officers", job_title="Director of children's services"
    )


def build_plan(*, complete: bool = True) -> Plan:
    """Four recommendations in two sections and three timescales, created out of report
    order, each answered by actions with owners, measures, readings and evidence."""
    inspection = InspectionFactory(
        inspection_type="safeguarding_lac",
        title="Inspection of safeguarding and looked after children services",
        publication_date=dt.date(2024, 3, 1),
        lead_inspector="A. Inspector",
    )
    JudgementFactory(
        inspection=inspection,
        area="Overall effectiveness (safeguarding)",
        grade_text="Grade 3 (Adequate)",
        scale="grade_1_high",
        grade="requires_improvement",
        order=1,
    )
    JudgementFactory(
        inspection=inspection,
        area="Capacity for improvement",
        grade_text="Grade 2 (Good)",
        scale="grade_1_high",
        grade="good",
        order=2,
    )
    recs: dict[int, Recommendation] = {}
    for order in (3, 1, 4, 2):  # created out of order on purpose
        section, timescale, addressee, text = REPORT[order - 1]
        recs[order] = RecommendationFactory(
            inspection=inspection,
            section=section,
            timescale=timescale,
            addressee=addressee,
            text=text,
            order=order * 10,
        )
    nhs = OrganisationFactory(name="NHS Test Trust", kind="nhs")
    nhs.partner_of.add(inspection.local_authority)  # its officers may own the council's actions
    alice = person(
        "alice",
        "Action owners",
        first_name="Alice",
        last_name="Owner",
        job_title="Head of safeguarding",
    )
    bob = person(
        "bob",
        "Action owners",
        first_name="Bob",
        last_name="Nurse",
        organisation="NHS Test Trust",
        job_title="Designated nurse",
    )
    plan = Plan(inspection, [recs[i] for i in (1, 2, 3, 4)])
    specs = [
        (1, "Audit every child in need plan and review those out of date", alice, None, 3),
        (1, "Introduce monthly plan reviews with team managers", alice, None, 2),
        (2, "Adopt one supervision model and train all managers", alice, None, 1),
        (3, "Book health assessments for every child without one", bob, nhs, 3),
        (4, "Give every care leaver a health summary", bob, nhs, 0),
    ]
    for position, (rec_order, title, owner, org, readings) in enumerate(specs):
        action = ActionFactory(
            recommendation=recs[rec_order],
            title=title,
            owner=owner,
            organisation=org or owner.organisation,
            order=position,
            due_date=dt.date(2024, 4 + position, 15),
            expected_outcome=f"Outcome of “{title}”.",
            resources="Two team managers' time",
            risks="Staff turnover",
        )
        plan.actions.append(action)
        if readings or position == 4:
            measure = MeasureFactory(
                action=action,
                name=f"Measure for {title[:20]}",
                unit="%",
                baseline=60,
                target=90,
                direction="higher",
            )
            for n in range(readings):
                MeasureReadingFactory(
                    measure=measure, date=dt.date(2024, 4 + n, 1), value=(65, 72, 70)[n]
                )
    Evidence.objects.create(
        action=plan.actions[0],
        description="Audit report to the board",
        link="https://intranet.example.org/audit",
        added_by=alice,
    )
    evidence = Evidence(
        action=plan.actions[3],
        description="Health assessment tracker",
        original_filename="tracker.xlsx",
        added_by=bob,
    )
    evidence.file.save("tracker.xlsx", ContentFile(b"PK data"), save=True)
    if not complete:
        gap = plan.actions[2]
        gap.owner, gap.expected_outcome = None, ""
        gap.save()
        plan.recommendations.append(
            RecommendationFactory(
                inspection=inspection,
                section="Looked after children: areas for improvement",
                timescale="six_months",
                order=50,
                text="Ensure that the virtual school monitors personal education plans.",
            )
        )
    return plan


@pytest.fixture
def plan(db) -> Plan:
    return build_plan()


@pytest.fixture
def incomplete_plan(db) -> Plan:
    return build_plan(complete=False)
