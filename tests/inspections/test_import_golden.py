"""The sample reports read as a person reads them.

Every expected value below was written from the report itself (the text files as printed,
the PDFs as their visible words read with pdfplumber), never from the parser's output.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import time
from collections import Counter
from pathlib import Path

import pytest

from inspections.importing import ParsedReport, ReportParseError, parse_report

REPORTS = Path(__file__).resolve().parent.parent / "fixtures" / "reports"
D = dt.date


@functools.cache
def parsed(name: str) -> ParsedReport:
    return parse_report((REPORTS / name).read_bytes(), name)


def timescales(report: ParsedReport) -> dict[str, int]:
    counts = Counter(r.timescale for r in report.recommendations)
    return {k: counts[k] for k in ("immediately", "three_months", "six_months", "longer_term")}


def judgement(report: ParsedReport, area: str, section: str = ""):
    matches = [j for j in report.judgements if j.area == area and j.section == section]
    assert len(matches) == 1, (area, section, report.judgements)
    return matches[0]


def summary(report: ParsedReport) -> tuple:
    return (
        report.local_authority,
        report.inspection_type,
        report.inspection_start,
        report.inspection_end,
        report.publication_date,
        report.lead_inspector,
    )


# --- Derbyshire 2011, safeguarding and looked after children ---------------------------

DERBYSHIRE = "derbyshire-2011-safeguarding-lac.txt"


def test_derbyshire_2011_metadata():
    report = parsed(DERBYSHIRE)
    assert summary(report) == (
        "Derbyshire",
        "safeguarding_lac",
        D(2011, 3, 7),
        D(2011, 3, 18),
        D(2011, 5, 6),
        "Lynne Staines",
    )
    assert report.stated_plan_due_date is None
    assert report.stated_draft_plan_due_date is None


def test_derbyshire_2011_counts_by_timescale_and_section():
    report = parsed(DERBYSHIRE)
    assert timescales(report) == {
        "immediately": 4,
        "three_months": 6,
        "six_months": 3,
        "longer_term": 0,
    }
    assert len(report.recommendations) == 13
    by_section = Counter((r.section, r.timescale) for r in report.recommendations)
    safeguarding = "Areas for improvement: Safeguarding services"
    looked_after = "Areas for improvement: Services for looked after children"
    assert by_section == {
        (safeguarding, "immediately"): 2,
        (safeguarding, "three_months"): 3,
        (safeguarding, "six_months"): 1,
        (looked_after, "immediately"): 2,
        (looked_after, "three_months"): 3,
        (looked_after, "six_months"): 2,
    }


def test_derbyshire_2011_recommendations_verbatim_with_addressees():
    recs = parsed(DERBYSHIRE).recommendations
    first = recs[0]
    assert first.text == (
        "Derbyshire County Council to improve and sustain improvements to the quality of "
        "social work assessments and planning and to ensure effective managerial oversight "
        "and decision-making is reflected fully in the files."
    )
    assert (first.addressee, first.timescale, first.number, first.priority) == (
        "Derbyshire County Council",
        "immediately",
        "",
        False,
    )
    camhs = recs[4]
    assert camhs.text == (
        "NHS Derbyshire County, health partners and the wider partnership to agree to "
        "commission a significantly improved CAMHS service that delivers stronger equity of "
        "service specification, access, pathways and arrangements and is accessible to all "
        "children and young people irrespective of where they live in the county. To review "
        "the lack of suitable child or young person age appropriate in-patient provision "
        "(Tier 4) which currently results in a young person in crisis being admitted to an "
        "adult ward or subject to a placement in another authority."
    )
    assert camhs.addressee == "NHS Derbyshire County, health partners and the wider partnership"
    assert recs[5].timescale == "six_months"
    assert recs[5].addressee == (
        "Derbyshire County Council, NHS Derbyshire County, Chesterfield Royal Hospital NHS "
        "Foundation Trust and NHS providers of accident, emergency and urgent care services"
    )
    health = recs[10]
    assert health.text == (
        "NHS Derbyshire County should ensure care leavers are provided with a full summary "
        "of their healthcare history in a format suitable to their needs."
    )
    assert (health.addressee, health.timescale, health.section) == (
        "NHS Derbyshire County",
        "three_months",
        "Areas for improvement: Services for looked after children",
    )
    last = recs[-1]
    assert last.text == (
        "NHS Derbyshire to develop a consistent countywide approach to the commissioning of "
        "initial and review health assessments for looked after children and young people, "
        "ensure that they are carried out by appropriately trained individuals and monitored "
        "to ensure consistent good quality of assessments countywide."
    )
    assert (last.addressee, last.timescale) == ("NHS Derbyshire", "six_months")


def test_derbyshire_2011_judgements():
    report = parsed(DERBYSHIRE)
    assert len(report.judgements) == 20
    assert {j.scale for j in report.judgements} == {"grade_1_high"}
    overall = judgement(report, "Overall effectiveness", "Safeguarding services")
    assert (overall.grade_text, overall.grade) == ("Grade 2 (good)", "good")
    health = judgement(
        report,
        "The contribution of health agencies to keeping children and young people safe",
        "Safeguarding services",
    )
    assert (health.grade_text, health.grade) == ("Grade 3 (adequate)", "requires_improvement")
    healthy = judgement(report, "Being healthy", "Services for looked after children")
    assert (healthy.grade_text, healthy.grade) == ("Grade 3 (adequate)", "requires_improvement")
    staying_safe = judgement(report, "Staying safe", "Services for looked after children")
    assert (staying_safe.grade_text, staying_safe.grade) == ("Grade 2 (good)", "good")


# --- County Durham 2011 ---------------------------------------------------------------

DURHAM = "county-durham-2011-safeguarding-lac.txt"
NHS_TRUST = "The County Durham and Darlington NHS Foundation Trust"


def test_county_durham_2011_metadata():
    assert summary(parsed(DURHAM)) == (
        "County Durham",
        "safeguarding_lac",
        D(2011, 11, 28),
        D(2011, 12, 13),
        D(2012, 1, 25),
        "Fiona J Millns",
    )


def test_county_durham_2011_counts():
    report = parsed(DURHAM)
    assert timescales(report) == {
        "immediately": 2,
        "three_months": 8,
        "six_months": 5,
        "longer_term": 0,
    }
    safeguarding = [
        r for r in report.recommendations if r.section.endswith("Safeguarding services")
    ]
    assert [r.timescale for r in safeguarding] == ["three_months"] * 5


def test_county_durham_2011_trust_line_changes_addressee_not_timescale():
    recs = parsed(DURHAM).recommendations
    assert recs[0].text == (
        "ensure that all children and young people are supported to fully participate in "
        "child protection case conferences and reviews where they choose to do so"
    )
    assert [r.addressee for r in recs[:5]] == ["", "", NHS_TRUST, NHS_TRUST, NHS_TRUST]
    assert [r.timescale for r in recs[:5]] == ["three_months"] * 5
    assert recs[4].text == (
        "ensure arrangements for the line management and resourcing of named professionals "
        "for safeguarding children comply with the Intercollegiate Guidance 'Safeguarding "
        "Children and Young people: roles and competences for health care staff' (2010)."
    )
    assert recs[4].section == "Areas for improvement: Safeguarding services"


def test_county_durham_2011_looked_after_recommendations():
    recs = parsed(DURHAM).recommendations
    looked_after = recs[5:]
    assert {r.section for r in looked_after} == {
        "Areas for improvement: Services for looked after children"
    }
    assert {r.addressee for r in looked_after} == {""}
    assert recs[6].text == (
        "ensure that all looked after children and young people are visited regularly in "
        "accordance with statutory requirements and that children and young people who could "
        "benefit from an independent visitor are identified."
    )
    assert recs[6].timescale == "immediately"
    assert recs[-1].text == (
        "maximise apprenticeship opportunities for looked after young people and care leavers."
    )
    assert recs[-1].timescale == "six_months"


def test_county_durham_2011_judgements_including_bold_markup_on_the_heading_line():
    report = parsed(DURHAM)
    quality = judgement(report, "Quality of provision", "Safeguarding services")
    assert (quality.grade_text, quality.grade, quality.scale) == (
        "Grade 2 (Good)",
        "good",
        "grade_1_high",
    )
    overall = judgement(report, "Overall effectiveness", "Safeguarding services")
    assert overall.grade == "outstanding"
    economic = judgement(report, "Economic well-being", "Services for looked after children")
    assert (economic.grade_text, economic.grade) == ("Grade 3 (Adequate)", "requires_improvement")
    performance = judgement(
        report, "Performance management and quality assurance", "Services for looked after children"
    )
    assert performance.grade_text == "Grade 1 (Outstanding)"


# --- Derby City 2008, joint area review -----------------------------------------------

DERBY_JAR = "derby-city-2008-joint-area-review.md"


def test_derby_city_2008_metadata():
    report = parsed(DERBY_JAR)
    assert summary(report) == (
        "Derby City",
        "joint_area_review",
        None,
        None,
        D(2008, 2, 19),
        "",
    )
    assert any("inspection dates" in w for w in report.warnings)


def test_derby_city_2008_recommendations():
    report = parsed(DERBY_JAR)
    assert timescales(report) == {
        "immediately": 3,
        "three_months": 0,
        "six_months": 4,
        "longer_term": 1,
    }
    recs = report.recommendations
    assert len(recs) == 8
    assert {r.section for r in recs} == {"Recommendations"}
    assert recs[0].text == (
        "ensure that an appropriate way is found for the successful dissemination of the "
        "findings of this report to children and young people in the area"
    )
    assert [r.addressee for r in recs[:3]] == ["The local partnership"] * 3
    assert recs[2].text == (
        "ensure that all action plans clearly identify responsible officers, dates of "
        "delivery, expected outcomes, resources required and risks associated with failure "
        "to achieve."
    )
    assert recs[3].text == (
        "Make further progress with recruitment and development initiatives to ensure that "
        "all children in care are allocated to a qualified social worker."
    )
    assert (recs[3].timescale, recs[3].addressee) == ("six_months", "")
    assert recs[-1].text == (
        "Increase the opportunities for more flexible college programmes and for work-based "
        "learning for young people with learning difficulties and/or disabilities."
    )
    assert recs[-1].timescale == "longer_term"


def test_derby_city_2008_grades_run_from_4_outstanding():
    report = parsed(DERBY_JAR)
    assert [(j.area, j.grade_text, j.scale, j.grade) for j in report.judgements] == [
        ("Safeguarding", "3", "jar_4_high", "good"),
        ("Looked after children", "3", "jar_4_high", "good"),
        ("Learning difficulties and/or disabilities", "3", "jar_4_high", "good"),
        ("Service management", "3", "jar_4_high", "good"),
        ("Capacity to improve", "3", "jar_4_high", "good"),
    ]


# --- Kent 2013, looked after children --------------------------------------------------

KENT = "kent-2013-lac-inspection.pdf"


def test_kent_2013_metadata():
    assert summary(parsed(KENT)) == (
        "Kent",
        "looked_after_children",
        D(2013, 7, 15),
        D(2013, 7, 19),
        D(2013, 8, 23),
        "Helen Cawston",
    )


def test_kent_2013_recommendations():
    report = parsed(KENT)
    assert timescales(report) == {
        "immediately": 3,
        "three_months": 6,
        "six_months": 3,
        "longer_term": 0,
    }
    recs = report.recommendations
    assert len(recs) == 12
    assert {(r.section, r.addressee, r.number) for r in recs} == {("Areas for improvement", "", "")}
    assert recs[0].text == (
        "improve the quality of supervision and management oversight in casework"
    )
    # the last item before a page break, and the page's running header after it
    assert recs[2].text == (
        "ensure that the voice of the child contributes effectively to care planning and "
        "service delivery."
    )
    assert recs[4].text == (
        "increase looked after children’s participation in strategic planning by making sure "
        "that all young people know and understand the Pledge and contribute to the Children "
        "in Care Council, Kentcarestown website and other opportunities for participation"
    )
    assert recs[4].timescale == "three_months"
    assert recs[-1].text == (
        "review the arrangements for the independent reviewing services to ensure that the "
        "case loads of the independent reviewing officers (IROs) are manageable."
    )
    assert recs[-1].timescale == "six_months"
    assert not any("Kent County Council Inspection" in r.text for r in recs)


def test_kent_2013_judgements():
    report = parsed(KENT)
    assert [(j.area, j.grade_text, j.grade) for j in report.judgements] == [
        (
            "Overall effectiveness of services for looked after children and young people",
            "Grade 3 (Adequate)",
            "requires_improvement",
        ),
        ("Capacity to improve", "Grade 2 (Good)", "good"),
        (
            "Outcomes for looked after children and young people",
            "Grade 3 (Adequate)",
            "requires_improvement",
        ),
        ("Quality of provision", "Grade 3 (Adequate)", "requires_improvement"),
        ("Leadership and management", "Grade 3 (Adequate)", "requires_improvement"),
    ]
    assert {j.scale for j in report.judgements} == {"grade_1_high"}


# --- Isle of Wight 2019, ILACS --------------------------------------------------------

WIGHT = "isle-of-wight-2019-ilacs.pdf"


def test_isle_of_wight_2019_metadata_and_missing_publication_date_warning():
    report = parsed(WIGHT)
    assert summary(report) == (
        "Isle of Wight",
        "ilacs",
        D(2018, 11, 19),
        D(2018, 11, 30),
        None,
        "Tracey Scott",
    )
    assert any("No publication date" in w for w in report.warnings)


def test_isle_of_wight_2019_what_needs_to_improve():
    recs = parsed(WIGHT).recommendations
    assert [r.text for r in recs] == [
        "The quality and oversight of children subject to pre-proceedings plans and the "
        "accessibility and clarity of letters before proceedings.",
        "The response to 16- and 17-year-olds who are homeless.",
        "The sufficiency of suitable housing to meet the needs of all care leavers who wish "
        "or need to live on the island.",
        "The recording of reflective discussion and actions to progress plans in case "
        "supervision records.",
    ]
    assert {(r.section, r.timescale, r.addressee, r.number, r.priority) for r in recs} == {
        ("What needs to improve", "none", "", "", False)
    }


def test_isle_of_wight_2019_judgements():
    report = parsed(WIGHT)
    assert [(j.area, j.grade_text, j.scale, j.grade) for j in report.judgements] == [
        (
            "The impact of leaders on social work practice with children and families",
            "Good",
            "words",
            "good",
        ),
        (
            "The experiences and progress of children who need help and protection",
            "Good",
            "words",
            "good",
        ),
        (
            "The experiences and progress of children in care and care leavers",
            "Good",
            "words",
            "good",
        ),
        ("Overall effectiveness", "Good", "words", "good"),
    ]


# --- Bath and North East Somerset 2017, single inspection with board review -----------

BANES = "bath-and-north-east-somerset-2017-sif.pdf"
BOARD = "The Local Safeguarding Children Board (LSCB)"


def test_banes_2017_metadata():
    assert summary(parsed(BANES)) == (
        "Bath and North East Somerset",
        "sif",
        D(2017, 4, 24),
        D(2017, 5, 18),
        D(2017, 7, 7),
        "Donna Marriott",
    )


def test_banes_2017_local_authority_and_board_recommendations():
    recs = parsed(BANES).recommendations
    council = [r for r in recs if r.addressee == ""]
    board = [r for r in recs if r.addressee == BOARD]
    assert len(council) == 8
    assert len(board) == 3
    assert len(recs) == 11
    assert [r.number for r in recs] == [*"12345678", "86", "87", "88"]
    assert {r.section for r in council} == {"Recommendations: The local authority"}
    assert {r.section for r in board} == {f"Recommendations: {BOARD}"}
    assert {r.timescale for r in recs} == {"none"}
    assert recs[0].text == (
        "Improve the quality of child in need, child protection and pathway plans so that "
        "they consistently set out specific measurable actions with timescales for delivery "
        "and clear contingencies."
    )
    assert recs[3].text == (
        "Strengthen arrangements to identify and respond to children who are privately "
        "fostered. Ensure that decisions to support arrangements are informed by appropriate "
        "assessments that include required checks and are overseen by managers."
    )
    assert recs[7].text == (
        "Improve the proportion of 16- to 18-year-olds who are engaged in education, "
        "employment or training."
    )
    assert recs[-1].text == (
        "Strengthen current arrangements for partners to raise awareness of child sexual "
        "exploitation through licensing activity in Bath and North East Somerset."
    )


def test_banes_2017_inline_recommendation_markers_and_contents_are_not_recommendations():
    recs = parsed(BANES).recommendations
    assert not any("(Recommendation)" in r.text for r in recs)
    assert not any(r.text.startswith(("Executive summary", "Summary for")) for r in recs)


def test_banes_2017_judgements():
    report = parsed(BANES)
    assert judgement(report, "Overall effectiveness").grade_text == "good"
    protection = judgement(report, "Children who need help and protection")
    assert (protection.grade_text, protection.grade) == (
        "Requires improvement",
        "requires_improvement",
    )
    permanence = judgement(report, "Children looked after and achieving permanence")
    assert (permanence.grade_text, permanence.grade) == ("Good", "good")
    adoption = judgement(
        report, "Adoption performance", "Children looked after and achieving permanence"
    )
    assert (adoption.grade_text, adoption.grade) == ("Outstanding", "outstanding")
    leavers = judgement(
        report,
        "Experiences and progress of care leavers",
        "Children looked after and achieving permanence",
    )
    assert leavers.grade == "requires_improvement"
    assert judgement(report, "Leadership, management and governance").grade == "good"
    board = judgement(report, "The Local Safeguarding Children Board")
    assert (board.grade_text, board.grade, board.scale) == ("good", "good", "words")
    assert len(report.judgements) == 7


# --- St Helens 2018, focused visit ----------------------------------------------------

ST_HELENS = "st-helens-2018-focused-visit.pdf"


def test_st_helens_2018_metadata_and_stated_deadlines():
    report = parsed(ST_HELENS)
    assert summary(report) == (
        "St Helens",
        "focused_visit",
        D(2018, 7, 11),
        D(2018, 7, 12),
        D(2018, 8, 8),
        "Stella Elliott",
    )
    assert report.stated_plan_due_date == D(2018, 12, 3)
    assert report.stated_draft_plan_due_date == D(2018, 9, 10)
    assert report.judgements == []


def test_st_helens_2018_priority_actions_and_what_needs_to_improve():
    recs = parsed(ST_HELENS).recommendations
    priority = [r for r in recs if r.priority]
    improve = [r for r in recs if not r.priority]
    assert len(priority) == 3
    assert len(improve) == 4
    assert recs[:3] == priority
    assert {r.section for r in priority} == {"Areas for priority action"}
    assert {r.section for r in improve} == {
        "What needs to improve in this area of social work practice"
    }
    assert priority[0].text == (
        "There are significant delays in escalating children’s cases from children in need to "
        "child protection and/or public law outline processes when risk increases. This is "
        "exposing children to further actual harm, particularly when children are "
        "experiencing long-term neglect."
    )
    assert improve[1].text == (
        "Services do not meet children’s levels of need for protection and welfare. "
        "Recording of decisions by managers regarding escalation of cases to higher levels "
        "of intervention are not clear."
    )
    assert improve[-1].text == (
        "Pre-proceedings letters to families do not clearly identify professionals’ concerns "
        "or provide the details of what needs to change in order to reduce risk for children."
    )
    assert {(r.timescale, r.addressee, r.number) for r in recs} == {("none", "", "")}


# --- Barnsley 2022, joint targeted area inspection ------------------------------------

BARNSLEY = "barnsley-2022-jtai.pdf"


def test_barnsley_2022_metadata_and_stated_deadline():
    report = parsed(BARNSLEY)
    assert summary(report) == (
        "Barnsley",
        "jtai",
        D(2022, 5, 23),
        D(2022, 5, 27),
        D(2022, 7, 18),
        "",
    )
    assert report.stated_plan_due_date == D(2022, 10, 25)
    assert report.stated_draft_plan_due_date is None
    assert report.judgements == []


def test_barnsley_2022_what_needs_to_improve():
    recs = parsed(BARNSLEY).recommendations
    assert len(recs) == 7
    assert {(r.section, r.timescale, r.addressee, r.number) for r in recs} == {
        ("What needs to improve?", "none", "", "")
    }
    assert recs[0].text == (
        "The quality and consistency of all agencies’ gathering, recording and responding to "
        "the expressed wishes and feelings of children with whom they work."
    )
    # the last item on page 1, then the first on page 2
    assert recs[4].text == (
        "The provision of an appropriate adult when children are arrested by the police."
    )
    assert recs[5].text == (
        "The timeliness of the police response to all incidents when there is an identified "
        "risk to children."
    )
    assert recs[-1].text == (
        "The availability of and the quality of the emergency duty team’s (EDT) response to "
        "children and partner agencies."
    )


# --- Warrington 2023, area SEND -------------------------------------------------------

WARRINGTON = "warrington-2023-area-send.pdf"


def test_warrington_2023_metadata():
    report = parsed(WARRINGTON)
    assert summary(report) == (
        "Warrington",
        "send_area",
        D(2023, 2, 6),
        D(2023, 2, 10),
        None,
        "Adam Sproston",
    )


def test_warrington_2023_outcome_is_a_sentence_not_a_grade():
    report = parsed(WARRINGTON)
    assert len(report.judgements) == 1
    outcome = report.judgements[0]
    assert (outcome.area, outcome.scale, outcome.grade) == ("Inspection outcome", "outcome", None)
    assert outcome.grade_text == (
        "The local area partnership’s arrangements lead to inconsistent experiences and "
        "outcomes for children and young people with special educational needs and/or "
        "disabilities (SEND). The local area partnership must work jointly to make "
        "improvements."
    )


def test_warrington_2023_areas_for_improvement_with_responsible_bodies():
    recs = parsed(WARRINGTON).recommendations
    assert [r.addressee for r in recs] == [
        "Leaders from across health, education and social care",
        "Leaders across the partnership",
        "Health commissioners and providers",
        "Leaders across health, social care and education",
    ]
    assert {(r.section, r.timescale, r.number, r.priority) for r in recs} == {
        ("Areas for improvement", "none", "", False)
    }
    assert recs[0].text == (
        "Leaders from across health, education and social care must improve the efficiency "
        "and quality of their information gathering processes to ensure that children's and "
        "young people's assessments are coordinated across providers and services."
    )
    assert recs[1].text == (
        "Leaders across the partnership should ensure that assessments for EHC plans are "
        "completed within the statutory time frames."
    )
    assert recs[-1].text == (
        "Leaders across health, social care and education should ensure that they have "
        "effective systems to share information about children’s and young people’s needs in "
        "a more useful, timely and effective way."
    )


# --- Not full reports -----------------------------------------------------------------


def test_cabinet_response_is_refused_as_a_committee_paper():
    """Its "RECOMMENDATIONS" are decisions for the cabinet ("To note…"), not Ofsted's."""
    name = "derby-city-2017-cabinet-response.md"
    with pytest.raises(ReportParseError, match="council committee report"):
        parse_report((REPORTS / name).read_bytes(), name)


def test_news_summary_is_refused_for_having_no_recommendations_section():
    """It paraphrases the report's recommendations in running prose, not verbatim."""
    name = "derbyshire-ilacs-news-summary.txt"
    with pytest.raises(ReportParseError, match="No recommendations could be found"):
        parse_report((REPORTS / name).read_bytes(), name)


# --- Every report ---------------------------------------------------------------------

FULL_REPORTS = [
    DERBYSHIRE,
    DURHAM,
    DERBY_JAR,
    KENT,
    WIGHT,
    BANES,
    ST_HELENS,
    BARNSLEY,
    WARRINGTON,
]


@pytest.mark.parametrize("name", FULL_REPORTS)
def test_recommendation_text_is_clean(name):
    for rec in parsed(name).recommendations:
        assert rec.text == " ".join(rec.text.split())
        assert not any(mark in rec.text for mark in ("**", "<b>", "<sup>", "\uf06e", "◼", "▪"))
        assert rec.text[:1] not in "-•*"
        assert rec.timescale in ("immediately", "three_months", "six_months", "longer_term", "none")


@pytest.mark.parametrize("name", FULL_REPORTS)
def test_no_timescale_warnings_for_complete_reports(name):
    assert not [w for w in parsed(name).warnings if "timescale" in w or "cut short" in w]


@pytest.mark.parametrize("name", sorted(p.name for p in REPORTS.iterdir() if p.name != "NOTICE"))
def test_each_sample_parses_well_under_a_second(name):
    """Measured in this process's CPU time, so that a busy machine does not fail it."""
    data = (REPORTS / name).read_bytes()
    with contextlib.suppress(ReportParseError):
        parse_report(data, name)  # imports and caches
    started = time.process_time()
    with contextlib.suppress(ReportParseError):
        parse_report(data, name)
    assert time.process_time() - started < 1.0


def test_kind_is_decided_by_content_not_by_name():
    pdf = (REPORTS / KENT).read_bytes()
    assert parse_report(pdf, "report.txt").recommendations == parsed(KENT).recommendations
    text = (REPORTS / DERBYSHIRE).read_bytes()
    assert parse_report(text, "report.pdf").recommendations == parsed(DERBYSHIRE).recommendations
