"""The rules the parser applies to any report, one at a time, on small made-up inputs."""

from __future__ import annotations

import datetime as dt

import pytest

from inspections.importing import ReportParseError, parse_report
from inspections.importing.clean import Para, clean_markup, split_bullet
from inspections.importing.dates import parse_range
from inspections.importing.deadlines import stated_deadlines
from inspections.importing.judgements import parse_judgements
from inspections.importing.layout import build_paragraphs
from inspections.importing.lines import RawDocument, RawLine
from inspections.importing.recommendations import intro_addressee, named_addressee
from inspections.importing.sections import recommendation_heading, timescale_heading

HEAD = """Inspection of looked after children services
Testshire County Council
Inspection dates: 1 – 5 July 2013
Reporting inspector Ann Example HMI
Published: 2 August 2013

"""


def paragraphs(*lines: str) -> list[str]:
    document = RawDocument(kind="text", pages=[[RawLine(text=line) for line in lines]])
    return [p.text for p in build_paragraphs(document)]


def recs(body: str):
    return parse_report((HEAD + body).encode(), "report.txt")


# --- markup and glyphs ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("printed", "clean"),
    [
        ("**Published:** 19 February 2008", "Published: 19 February 2008"),
        ("<b>Recommendations</b>\t<b>5</b>", "Recommendations\t5"),
        ("It ranks 44<sup>th</sup> out of 354", "It ranks 44th out of 354"),
        (
            "the Guidance *'Safeguarding Children'* (2010).",
            "the Guidance 'Safeguarding Children' (2010).",
        ),
        ("five or more A\\*-C grades", "five or more A*-C grades"),
        ("five A* to C grades and A*-G", "five A* to C grades and A*-G"),
        ("Website: [www.ofsted.gov.uk](http://www.ofsted.gov.uk)", "Website: www.ofsted.gov.uk"),
        ("Children&rsquo;s services &amp; partners", "Children’s services & partners"),
        ("line<br/>break", "line break"),
        ("| Safeguarding | 3 |", "Safeguarding\t3"),
        ("|---|:---:|", ""),
    ],
)
def test_markup_remnants_are_removed(printed, clean):
    assert clean_markup(printed)[0] == clean


def test_markdown_headings_and_rules():
    assert clean_markup("## Recommendations") == ("Recommendations", True)
    assert clean_markup("**Derby City Children's Services Authority Area**")[1] is True
    assert clean_markup("---") == ("", False)


@pytest.mark.parametrize(
    ("line", "pdf", "bullet", "rest"),
    [
        ("\uf06e The quality of plans.", True, True, "The quality of plans."),
        ("\uf0a7 improve the quality", True, True, "improve the quality"),
        ("◼ The quality of referrals", True, True, "The quality of referrals"),
        ("▪ Senior leaders", True, True, "Senior leaders"),
        ("• ensure that", True, True, "ensure that"),
        ("- ensure that plans", False, True, "ensure that plans"),
        ("  - effective care", False, True, "effective care"),
        ("16- and 17-year-olds who", False, False, "16- and 17-year-olds who"),
        ("-5 degrees", False, False, "-5 degrees"),
        (
            "The response to 16- and 17-year-olds",
            True,
            False,
            "The response to 16- and 17-year-olds",
        ),
    ],
)
def test_bullets(line, pdf, bullet, rest):
    assert split_bullet(line, pdf) == (bullet, rest)


# --- joining lines --------------------------------------------------------------------


def test_a_sentence_cut_by_a_page_break_is_joined():
    assert paragraphs(
        "Services are provided by 16 supporting families", "", "teams, and more."
    ) == ["Services are provided by 16 supporting families teams, and more."]


def test_a_hyphen_at_a_line_end_is_kept_when_it_is_part_of_the_word():
    assert paragraphs("work with multi-", "agency teams.", "Good multi-agency work.")[0] == (
        "work with multi-agency teams."
    )
    assert paragraphs("reducing anti-", "", "social behaviour.") == [
        "reducing anti-social behaviour."
    ]


def test_a_hyphen_at_a_line_end_goes_when_the_report_spells_the_word_whole():
    assert paragraphs("the recommen-", "dation is clear.", "Another recommendation.")[0] == (
        "the recommendation is clear."
    )


def test_a_dash_between_words_is_not_a_hyphen_to_join():
    assert paragraphs("Key messages -", "Children are safe.") == [
        "Key messages -",
        "Children are safe.",
    ]


def test_running_headers_and_page_numbers_in_text_go():
    lines = []
    for page in range(1, 5):
        lines += [f"Testshire inspection report page {page}", "Body text of the page.", str(page)]
    assert paragraphs(*lines) == ["Body text of the page."] * 4


# --- headings -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "priority"),
    [
        ("Recommendations", False),
        ("Areas for improvement", False),
        ("What needs to improve?", False),
        ("What needs to improve?1", False),
        ("What needs to improve in this area of social work practice", False),
        ("Areas for priority action", True),
        ("RECOMMENDATIONS", False),
        ("Recommendations 7", None),
        ("Areas for improvement\t28", None),
        ("Recommendations ........ 12", None),
        ("(Recommendation)", None),
        ("The recommendations of the last inspection were met.", None),
    ],
)
def test_recommendation_headings_and_contents_entries(text, priority):
    assert recommendation_heading(Para(text=text)) is priority


@pytest.mark.parametrize(
    ("text", "timescale"),
    [
        ("Immediately:", "immediately"),
        ("For immediate action", "immediately"),
        ("Within three months:", "three_months"),
        ("Within 3 months", "three_months"),
        ("For action over the next six months", "six_months"),
        ("Within six months:", "six_months"),
        ("For action in the longer term", "longer_term"),
        ("Immediately improve plans", None),
    ],
)
def test_timescale_headings(text, timescale):
    assert timescale_heading(Para(text=text)) == timescale


# --- addressees -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "addressee"),
    [
        (
            "NHS Derbyshire County should ensure care leavers are supported.",
            "NHS Derbyshire County",
        ),
        ("Derbyshire County Council to improve the quality of plans.", "Derbyshire County Council"),
        (
            "NHS Derbyshire and health partners to ensure access.",
            "NHS Derbyshire and health partners",
        ),
        (
            "Leaders across the partnership should ensure that plans are timely.",
            "Leaders across the partnership",
        ),
        (
            "Health commissioners and providers should ensure that services meet needs.",
            "Health commissioners and providers",
        ),
        ("Ensure that the board receives information.", ""),
        ("improve the quality of supervision", ""),
        ("The timeliness of the police response to all incidents.", ""),
        ("The response to 16- and 17-year-olds who are homeless.", ""),
        (
            "Assessments of children’s needs are not kept up to date, nor do they include clear "
            "contingency arrangements should children’s needs change.",
            "",
        ),
    ],
)
def test_addressee_named_in_the_recommendation(text, addressee):
    assert named_addressee(text) == addressee


@pytest.mark.parametrize(
    ("line", "addressee"),
    [
        (
            "The County Durham and Darlington NHS Foundation Trust should:",
            "The County Durham and Darlington NHS Foundation Trust",
        ),
        ("The local partnership should:", "The local partnership"),
        (
            "The local authority and its partners should ensure that:",
            "The local authority and its partners",
        ),
        (
            "The local authority needs to take swift and decisive action in the following areas "
            "in order to address the weaknesses found during the focused visit:",
            "",
        ),
        ("Inspectors found:", ""),
    ],
)
def test_addressee_introduced_by_a_line(line, addressee):
    assert intro_addressee(line) == addressee


def test_an_introducing_line_before_the_timescales_covers_them_all():
    report = recs(
        "Areas for improvement\n\nThe local authority should:\n\nImmediately:\n- improve plans.\n"
        "Within three months:\n- ensure visits happen.\n"
    )
    assert [(r.timescale, r.addressee) for r in report.recommendations] == [
        ("immediately", "The local authority"),
        ("three_months", "The local authority"),
    ]


def test_an_introducing_line_within_a_timescale_ends_with_it():
    report = recs(
        "Areas for improvement\n\nImmediately:\n- improve plans.\nThe police should:\n"
        "- attend strategy meetings.\nWithin six months:\n- review the service.\n"
    )
    assert [(r.timescale, r.addressee) for r in report.recommendations] == [
        ("immediately", ""),
        ("immediately", "The police"),
        ("six_months", ""),
    ]


def test_sub_items_belong_to_the_item_they_complete():
    report = recs(
        "Recommendations\n\n1. Ensure that plans:\n    - are specific\n    - are reviewed.\n"
        "2. Improve supervision.\n\nSummary for children\n"
    )
    assert [(r.number, r.text) for r in report.recommendations] == [
        ("1", "Ensure that plans: are specific are reviewed."),
        ("2", "Improve supervision."),
    ]


# --- warnings -------------------------------------------------------------------------


def test_a_recommendation_with_no_timescale_in_a_report_that_uses_them_is_flagged():
    report = recs(
        "Areas for improvement\n\n- improve plans before anything else.\nWithin three months:\n"
        "- ensure visits happen.\n"
    )
    assert [r.timescale for r in report.recommendations] == ["none", "three_months"]
    assert any("timescale" in w and "improve plans" in w for w in report.warnings)


def test_a_recommendation_that_stops_mid_sentence_is_flagged():
    report = recs("What needs to improve\n\n- The quality of plans and\n")
    assert any("cut short" in w for w in report.warnings)


def test_no_timescale_warning_when_the_report_uses_none():
    report = recs("What needs to improve\n\n- The quality of plans.\n- The timeliness of visits.\n")
    assert not [w for w in report.warnings if "timescale" in w]


def test_an_item_mentioning_the_following_areas_is_kept():
    report = recs(
        "Recommendations\n\n1. Ensure that the following areas are reviewed by managers.\n"
        "2. Improve supervision.\n"
    )
    assert [r.number for r in report.recommendations] == ["1", "2"]


def test_committee_decisions_are_not_recommendations():
    with pytest.raises(ReportParseError, match="No recommendations"):
        recs("RECOMMENDATIONS\n\n- 2.1 To note the position.\n- 2.2 To approve the plan.\n")


# --- dates and deadlines --------------------------------------------------------------

D = dt.date


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("7 – 18 March 2011", D(2011, 3, 7), D(2011, 3, 18)),
        ("28 November 2011 – 13 December 2011", D(2011, 11, 28), D(2011, 12, 13)),
        ("19 November 2018 to 30 November 2018", D(2018, 11, 19), D(2018, 11, 30)),
        ("6 to 10 February 2023", D(2023, 2, 6), D(2023, 2, 10)),
        ("11 and 12 July 2018", D(2018, 7, 11), D(2018, 7, 12)),
        ("28 November – 9 December 2011", D(2011, 11, 28), D(2011, 12, 9)),
        ("Tuesday 7 March 2017 to Thursday 30 March 2017", D(2017, 3, 7), D(2017, 3, 30)),
        ("24 April 2017", D(2017, 4, 24), D(2017, 4, 24)),
        ("sometime in 2017", None, None),
        # Two visits of one inspection: from the first to the end of the second.
        (
            "19 November-11 December 2013 and 28 – 30\nJanuary 2014",
            D(2013, 11, 19),
            D(2014, 1, 30),
        ),
        (
            "8 July 2019 to 12 July 2019 and 7 August 2019 to\n8 August 2019",
            D(2019, 7, 8),
            D(2019, 8, 8),
        ),
        (
            "30 September to 11 October 2024 and 13 to 16 January 2025",
            D(2024, 9, 30),
            D(2025, 1, 16),
        ),
        # A date months later, or one before, is no second visit.
        ("1 to 5 May 2022 and 30 December 2022", D(2022, 5, 1), D(2022, 5, 5)),
        ("23 to 27 May 2022 and 20 May 2022", D(2022, 5, 23), D(2022, 5, 27)),
    ],
)
def test_inspection_date_ranges(text, start, end):
    assert parse_range(text) == (start, end)


def test_stated_deadlines_tell_the_draft_from_the_final_plan():
    letter = (
        "You will receive the letter 24 hours before publication on 8 August 2018, so we "
        "expect to receive your final action plan on or before 3 December 2018 and your "
        "draft plan by 10 September 2018."
    )
    assert stated_deadlines(letter) == (D(2018, 12, 3), D(2018, 9, 10))


def test_stated_deadline_for_a_written_statement():
    letter = (
        "Barnsley should send the written statement of action to "
        "ProtectionOfChildren@ofsted.gov.uk by Tuesday 25 October 2022. This statement will "
        "inform the lines of enquiry."
    )
    assert stated_deadlines(letter) == (D(2022, 10, 25), None)


def test_dates_that_are_not_about_the_plan_are_not_deadlines():
    text = "The review will be completed by 3 March 2019. Visits rose by 10 April 2019."
    assert stated_deadlines(text) == (None, None)


# --- judgements -----------------------------------------------------------------------


def judgements(*lines: str) -> list[tuple]:
    document = RawDocument(kind="text", pages=[[RawLine(text=line) for line in lines]])
    found = parse_judgements(build_paragraphs(document))
    return [(j.area, j.section, j.grade_text, j.scale, j.grade) for j in found]


def test_single_inspection_summary_in_words():
    assert judgements(
        "Children’s services in Testshire require improvement to be good",
        "1. Children who need help and protection Inadequate",
        "2. Children looked after and achieving",
        "permanence",
        "Requires improvement to be good",
        "2.1 Adoption performance Good",
        "3. Leadership, management and governance Requires improvement to be good",
        "The Local Safeguarding Children Board requires improvement to be good",
    ) == [
        (
            "Overall effectiveness",
            "",
            "require improvement to be good",
            "words",
            "requires_improvement",
        ),
        ("Children who need help and protection", "", "Inadequate", "words", "inadequate"),
        (
            "Children looked after and achieving permanence",
            "",
            "Requires improvement to be good",
            "words",
            "requires_improvement",
        ),
        (
            "Adoption performance",
            "Children looked after and achieving permanence",
            "Good",
            "words",
            "good",
        ),
        (
            "Leadership, management and governance",
            "",
            "Requires improvement to be good",
            "words",
            "requires_improvement",
        ),
        (
            "The Local Safeguarding Children Board",
            "",
            "requires improvement to be good",
            "words",
            "requires_improvement",
        ),
    ]


def test_grades_after_headings_use_1_for_outstanding():
    assert judgements(
        "Safeguarding services",
        "Overall effectiveness",
        "Grade 4 (Inadequate)",
        "Quality of provision **Grade 1 (Outstanding)**",
    ) == [
        (
            "Overall effectiveness",
            "Safeguarding services",
            "Grade 4 (Inadequate)",
            "grade_1_high",
            "inadequate",
        ),
        (
            "Quality of provision",
            "Safeguarding services",
            "Grade 1 (Outstanding)",
            "grade_1_high",
            "outstanding",
        ),
    ]


def test_joint_area_review_numbers_use_4_for_outstanding():
    assert judgements(
        "Grades",
        "4: outstanding; 3: good; 2: adequate; 1: inadequate",
        "\tLocal services overall\tCouncil services",
        "Safeguarding\t4",
        "Service management\t2\t1",
        "Recommendations",
    ) == [
        ("Safeguarding", "", "4", "jar_4_high", "outstanding"),
        ("Service management", "", "2", "jar_4_high", "requires_improvement"),
    ]


def test_area_send_outcome_is_kept_as_a_sentence():
    outcome = (
        "There are widespread and/or systemic failings leading to significant concerns about "
        "the experiences and outcomes of children and young people with special educational "
        "needs and/or disabilities (SEND)."
    )
    assert judgements("Inspection outcome", outcome, "The next inspection.") == [
        ("Inspection outcome", "", outcome, "outcome", None)
    ]


def test_a_list_item_cut_by_a_page_break_goes_on_after_a_capital():
    report = recs(
        "Areas for improvement\n\nWithin three months:\n- ensure that health partners and\n\n"
        "NHS Testshire agree a plan.\n- review the service.\n"
    )
    assert [r.text for r in report.recommendations] == [
        "ensure that health partners and NHS Testshire agree a plan.",
        "review the service.",
    ]


def test_a_monitoring_visit_letter_without_findings_is_read_with_a_warning():
    letter = (
        "Monitoring visit to Testshire children’s services\n\n"
        "This letter summarises the findings of the monitoring visit on 1 and 2 May 2019.\n"
        "Progress is being made.\n"
    )
    report = parse_report(letter.encode(), "letter.txt")
    assert report.inspection_type == "monitoring_visit"
    assert report.recommendations == []
    assert any("add the findings the plan must respond to" in w for w in report.warnings)
