"""Reports since 2025: items cross-referenced to the national framework, four judgements,
and letters that name nothing to improve."""

from __future__ import annotations

import pytest

from inspections.importing import parse_report
from inspections.importing.errors import NOTHING_TO_IMPROVE
from inspections.importing.framework import ENABLERS, OUTCOMES, cross_reference

HEAD = (
    "Inspection of Anytown local authority children's services\n"
    "Inspection dates: 12 to 16 January 2026\n"
    "Lead inspector: Ann Example, His Majesty's Inspector\n\n"
)


@pytest.mark.parametrize(
    ("item", "kind", "number"),
    [
        ("The quality of plans. (outcome 4, national framework)", "outcome", 4),
        ("Supervision (Enabler 3, national framework)", "enabler", 3),
        ("Safety plans (outcome 3: national framework)", "outcome", 3),
        ("Audits (Enabler two: National Framework).", "enabler", 2),
        ("Homes (Outcome 4 National Social Care Framework)", "outcome", 4),
        ("Missing education (National Framework, Outcome 1)", "outcome", 1),
        ("Oversight (National Framework enabler two).", "enabler", 2),
        ("Neglect [Outcome 3, national framework].", "outcome", 3),
        ("Identity. Enabler three: National Framework.", "enabler", 3),
        ("Voice of the child (principle 2, national framework)", "principle", 2),
    ],
)
def test_a_cross_reference_by_number_gets_the_framework_name(item, kind, number):
    reference = cross_reference(item)
    assert reference is not None
    assert (reference.kind, reference.number) == (kind, number)
    assert reference.name


def test_a_cross_reference_by_name_gets_its_number():
    item = (
        "Caseloads (enabler: leaders drive conditions for effective practice, national framework)"
    )
    reference = cross_reference(item)
    assert reference is not None
    assert (reference.kind, reference.number) == ("enabler", 2)
    assert reference.name == ENABLERS[2]


@pytest.mark.parametrize(
    "item",
    [
        "Decisions about the outcome of reviews (outcome of the review).",
        "The timeliness of assessments.",
        "Plans that consider the outcome 3 months on.",
    ],
)
def test_an_item_without_a_cross_reference_has_none(item):
    assert cross_reference(item) is None


def test_items_keep_their_cross_reference_and_carry_it_as_data():
    report = parse_report(
        (
            HEAD + "What needs to improve?1\n"
            "- The response to children who have suffered long-term neglect. (outcome 3,\n"
            "national framework)\n"
            "- The frequency and quality of supervision. (enabler 3, national framework)\n\n"
            "The experiences and progress of children in care: good\n"
        ).encode(),
        "report.txt",
    )
    first, second = report.recommendations
    assert first.text.endswith("(outcome 3, national framework)")
    assert (first.framework_kind, first.framework_number) == ("outcome", 3)
    assert first.framework_name == OUTCOMES[3]
    assert (second.framework_kind, second.framework_number) == ("enabler", 3)
    assert first.section == "What needs to improve?"


def test_four_judgements_without_overall_effectiveness():
    table = (
        "Judgement Grade\n"
        "The impact of leaders on social work practice with children and families Good\n"
        "The experiences and progress of children who need help and protection Good\n"
        "The experiences and progress of children in care Requires improvement to be good\n"
        "The experiences and progress of care leavers Good\n\n"
    )
    report = parse_report(
        (HEAD + table + "What needs to improve?\n- The quality of plans.\n").encode(),
        "report.txt",
    )
    assert report.inspection_type == "ilacs"
    assert [j.grade for j in report.judgements] == [
        "good",
        "good",
        "requires_improvement",
        "good",
    ]
    assert not any("overall" in j.area.lower() for j in report.judgements)


def test_a_focused_visit_letter_with_nothing_to_improve_is_read_with_a_warning():
    letter = (
        "4 December 2025\n\nDear Ms Example\n\n"
        "Focused visit to Anytown children's services\n\n"
        "This letter summarises the findings of the focused visit to Anytown children's "
        "services on 5 and 6 November 2025.\n\n"
        "Headline findings\n\nChildren in care benefit from stable homes.\n\n"
        "Main findings\n\nSocial workers know their children well.\n"
    )
    report = parse_report(letter.encode(), "letter.txt")
    assert report.inspection_type == "focused_visit"
    assert report.recommendations == []
    assert NOTHING_TO_IMPROVE in report.warnings
    assert (str(report.inspection_start), str(report.inspection_end)) == (
        "2025-11-05",
        "2025-11-06",
    )
