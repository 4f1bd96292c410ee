"""What a policy officer saw importing real reports no other test reads, through the
upload, review and report pages: a sentence saying a heading has nothing under it is
not an item; 2014 single inspections keep their judgements; a council's name wrapped over
two lines of a title is read whole, and without "local authority" after it; a sentence
is not an addressee; the board's part of a 2014 report is addressed to the board; a
report printing no publication date asks for the date received; a report that grades the
services but whose grades were not found is not said to be a letter; Ofsted's letterhead
is not read onto an item; a raised footnote number is not part of an item's words; "The
local area" and "The LAP" are who is to improve.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import json
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from core.deadlines import plan_due_date
from inspections.models import Inspection
from tests.dates import date_post
from tests.factories import InspectionFactory, OrganisationFactory, UserFactory
from tests.inspections.test_import_journeys import review_form, upload

pytestmark = pytest.mark.django_db

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
LIVERPOOL_2014 = "liverpool-children-s-services-inspection-18-july-2014.pdf"
BRACKNELL_JTAI = "bracknell-forest-joint-area-child-protection-inspection-08-march-2019.pdf"
WINDSOR_2020 = "windsor-maidenhead-children-s-services-inspection-24-february-2020.pdf"
EAST_SUSSEX_SEND = "east-sussex-area-send-full-inspection-04-february-2025.pdf"
MEDWAY_VISIT = "medway-children-s-services-focused-visit-02-june-2025.pdf"
BEDFORD_JTAI = "bedford-joint-area-child-protection-inspection-31-march-2023.pdf"
HARROW_JTAI = "harrow-joint-area-child-protection-inspection-24-may-2023.pdf"
SOLIHULL_JTAI = "solihull-joint-area-child-protection-inspection-21-february-2022.pdf"
SOMERSET_JTAI = "somerset-joint-area-child-protection-inspection-18-july-2024.pdf"
SOUTH_GLOS_2017 = "south-gloucestershire-children-s-services-inspection-13-february-2017.pdf"
HULL_2015 = (
    "kingston-upon-hull-single-inspection-of-la-children-s-services-as-pdf-10-february-2015.pdf"
)


def corpus_file(name: str) -> Path:
    path = CORPUS / name
    if not path.exists():
        pytest.skip(f"the report corpus is not here ({CORPUS})")
    return path


def review_of(client, name: str):
    response = upload(client, corpus_file(name))
    assert response.status_code == 302, response.content.decode()[:500]
    return response["Location"], client.get(response["Location"])


def text_of(response) -> str:
    body = re.sub(r"<[^>]+>", " ", response.content.decode())
    return " ".join(html.unescape(body).split())


def items_of(response) -> str:
    """The list of items found, as the review page shows it."""
    body = response.content.decode()
    return text_of_html(body[body.index('id="items"') : body.index("Whose report is this?")])


def text_of_html(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


@pytest.mark.parametrize(
    ("name", "sentence", "count"),
    [
        (
            LIVERPOOL_2014,
            "The inspection did not find any areas for priority and immediate action.",
            32,
        ),
        (BRACKNELL_JTAI, "There are no areas for priority action", None),
    ],
)
def test_a_sentence_saying_a_heading_has_nothing_under_it_is_not_an_item(
    client, officer, name, sentence, count
):
    client.force_login(officer)
    _, review = review_of(client, name)
    items = items_of(review)
    assert sentence not in items
    assert "Priority action" not in items  # no item is flagged for priority action
    summary = review.context["summary"]
    assert summary.priority_count == 0
    if count is not None:
        assert f"{count} recommendations found" in text_of(review)


def test_a_boards_no_areas_for_immediate_improvement_is_not_a_priority_item():
    """Under the board's "Priority and immediate action" a 2014 report prints "No areas
    were identified for immediate improvement.": it was imported as an item due
    immediately and flagged as an area for priority action."""
    items = dry_run("portsmouth-children-s-services-inspection-01-september-2014.pdf")[
        "recommendations"
    ]
    assert not any("No areas were identified" in item["text"] for item in items)
    assert len(items) == 15
    assert sum(item["priority"] for item in items) == 4
    assert not any(item["priority"] for item in items if item["addressee"])  # the board's


def test_a_line_speaking_of_the_areas_for_improvement_introduces_them():
    """ "The areas for improvement continue to be those … with one additional area for
    improvement …:" over one bullet: the line was read into the item, and later reports'
    repeats quoted it as the earlier ask. The item is the bullet."""
    report = dry_run("west-sussex-children-s-services-focused-visit-04-december-2020.pdf")
    [item] = report["recommendations"]
    assert item["text"] == (
        "the timeliness of assessment of disabled children’s needs and the subsequent "
        "provision of support."
    )


@pytest.mark.parametrize(
    "name",
    [
        "darlington-area-send-full-inspection-04-february-2025.pdf",
        "southampton-area-send-full-inspection-16-july-2024.pdf",
    ],
)
def test_an_area_send_outcome_printed_in_two_paragraphs_is_read_whole(name):
    """The outcome's second sentence, printed as a paragraph of its own, was dropped; what
    follows it (when the next inspection will be) is not part of it."""
    [outcome] = dry_run(name)["judgements"]
    assert outcome["grade_text"] == (
        "The local area partnership’s arrangements lead to inconsistent experiences and "
        "outcomes for children and young people with special educational needs and/or "
        "disabilities (SEND). The local area partnership must work jointly to make improvements."
    )


@pytest.mark.parametrize(
    ("name", "lead"),
    [
        ("bolton-area-send-full-inspection-30-august-2024.pdf", "Sue Eastwood"),
        ("east-sussex-area-send-full-inspection-04-february-2025.pdf", "Chris Ellison"),
    ],
)
def test_a_lead_inspector_printed_without_hmi_is_found(name, lead):
    """ "Sue Eastwood, Ofsted Lead inspector" and "Mr Chris Ellison, Ofsted Lead inspector"
    (area SEND inspection teams) were not read: the pattern wanted "HMI"."""
    assert dry_run(name)["lead_inspector"] == lead


def test_a_2014_single_inspection_keeps_its_judgements_through_the_import(client, officer):
    client.force_login(officer)
    url, review = review_of(client, LIVERPOOL_2014)
    page = text_of(review)
    assert "letters and visits have none" not in page
    for shown in (
        "Overall effectiveness: requires improvement",
        "Children who need help and protection: Requires improvement",
        "Adoption performance: Requires improvement",
        "Leadership, management and governance: Requires improvement",
        "The Local Safeguarding Children Board (LSCB): requires improvement",
    ):
        assert shown in page

    data = review_form(review)
    data.update(date_post("plan-received_date", "2014-07-18"))
    data["confirm"] = "1"
    assert client.post(url, data).status_code == 302
    report = Inspection.objects.get(source_filename=LIVERPOOL_2014)
    detail = text_of(client.get(report.get_absolute_url()))
    assert "Leadership, management and governance Requires improvement" in detail
    assert "did not find any areas for priority" not in detail
    # "Strategy discussions should always include relevant partner agencies to ensure …"
    # is an item for the council, not addressed to "Strategy discussions …".
    item = report.recommendations.get(text__startswith="Strategy discussions should")
    assert item.addressee == ""
    assert report.recommendations.count() == 32
    # "Section 2: The effectiveness of the Local Safeguarding Children Board" is the
    # board's part: its nine areas for improvement are the board's to answer.
    board = report.recommendations.filter(addressee="The Local Safeguarding Children Board")
    assert board.count() == 9
    assert board.filter(text__startswith="Ensure that the Board has the right level").exists()
    assert not report.recommendations.filter(priority=True).exists()


@pytest.mark.parametrize(
    ("name", "printed", "council"),
    [
        (
            WINDSOR_2020,
            "Royal Borough of Windsor and Maidenhead",
            "Royal Borough of Windsor and Maidenhead",
        ),
        (EAST_SUSSEX_SEND, "East Sussex", "East Sussex County Council"),
        # "Focused visit to Medway local authority children's services"
        (MEDWAY_VISIT, "Medway", "Medway Council"),
    ],
)
def test_the_council_a_title_names_is_read_whole_and_alone(client, name, printed, council):
    """The officer of that very council is not warned that the report names another."""
    officer = UserFactory(
        role="Policy officers",
        username="wrapped",
        organisation=OrganisationFactory(name=council),
    )
    client.force_login(officer)
    _, review = review_of(client, name)
    page = text_of(review)
    assert f"Authority as printed {printed} " in page
    assert 'id="authority-warning"' not in review.content.decode()


def test_a_report_that_prints_no_publication_date_asks_for_the_date_it_was_received(
    client, officer
):
    """The warning sends the officer to the date received, which sets the deadline, not to
    a publication date the report does not print."""
    client.force_login(officer)
    _, review = review_of(client, WINDSOR_2020)
    page = text_of(review)
    assert "No publication date was found in the report" in page
    assert "give the date the council received it" in page
    assert "enter it by hand" not in page
    assert "Plan deadline Not known: enter the date the report was received" in page


def test_a_deadline_already_behind_us_is_marked_passed_on_the_review_page(client, officer):
    client.force_login(officer)
    location, review = review_of(client, WINDSOR_2020)
    assert "Passed" not in text_of(review)  # no deadline yet: no date of receipt
    data = review_form(review)
    data.update(date_post("plan-received_date", "2020-02-24"))
    data["recalculate"] = "1"
    page = text_of(client.post(location, data))
    due = plan_due_date(dt.date(2020, 2, 24))
    assert f"Plan deadline {due:%-d %B %Y} Passed" in page


def test_importing_one_item_asks_for_the_action_that_answers_it(client, officer):
    client.force_login(officer)
    location, review = review_of(
        client, "lewisham-children-s-services-focused-visit-03-june-2025.pdf"
    )
    data = review_form(review)
    data["confirm"] = "1"
    plan_page = client.post(location, data, follow=True)
    assert "Imported 1 recommendation into" in text_of(plan_page)
    assert "Now draft the actions that answer it." in text_of(plan_page)


def test_the_call_for_a_date_of_receipt_goes_once_it_is_answered_or_not_needed(client, officer):
    """The warning stayed after the officer entered the date and worked the deadline out
    again, and stood above "None asked for" on a report that asks for no plan."""
    client.force_login(officer)
    location, review = review_of(client, WINDSOR_2020)
    data = review_form(review)
    data.update(date_post("plan-received_date", "2020-02-24"))
    data["recalculate"] = "1"
    again = text_of(client.post(location, data))
    assert "Plan deadline" in again and "No publication date was found" not in again

    southampton = OrganisationFactory(name="Southampton City Council")
    client.force_login(UserFactory(role="Policy officers", organisation=southampton))
    _, send = review_of(client, "southampton-area-send-full-inspection-16-july-2024.pdf")
    page = text_of(send)
    assert "None asked for" in page
    assert "No publication date was found" not in page


def test_a_report_that_grades_services_is_not_called_a_letter_when_none_are_recorded(
    client, officer
):
    client.force_login(officer)
    sif = InspectionFactory(inspection_type="sif", local_authority=officer.organisation)
    letter = InspectionFactory(
        inspection_type="focused_visit", local_authority=officer.organisation
    )
    assert "No judgements have been recorded for this report." in text_of(
        client.get(sif.get_absolute_url())
    )
    assert "This report has no graded judgements." in text_of(client.get(letter.get_absolute_url()))


@pytest.mark.parametrize(
    ("name", "not_a_body"),
    [
        (BEDFORD_JTAI, "The capacity of partner agencies and management oversight in the IFD"),
        (BEDFORD_JTAI, "Bedford Borough Safeguarding Partnership’s oversight of the"),
        (HARROW_JTAI, "The capacity of police and health resources"),
        # what qualifies the head: "between …"; a plural possessive: "agencies’ …"
        (SOLIHULL_JTAI, "The communication between health agencies in the MASH"),
        (SOLIHULL_JTAI, "All agencies’ quality assurance processes"),
        # a question about the thing to improve
        (SOMERSET_JTAI, "How well the Safer Somerset Partnership (SSP) understands"),
        (SOMERSET_JTAI, "How effectively partner agencies challenge and support schools"),
        # a phrase that leads into an instruction: the item is the council's
        (SOUTH_GLOS_2017, "With the South Gloucestershire Local Safeguarding Board (SGLSB)"),
        (SOUTH_GLOS_2017, "With the SGLSB and relevant partners, take steps"),
    ],
)
def test_what_is_to_improve_is_not_shown_as_who_is_to_improve_it(client, officer, name, not_a_body):
    """An item such as "The capacity of police and health resources to support the work in
    the MASH" has no addressee of its own: it is not shown "For The capacity of police …"."""
    client.force_login(officer)
    _, review = review_of(client, name)
    items = items_of(review)
    assert not_a_body in items  # the item is there …
    assert f"For {not_a_body}" not in items  # … and is not addressed to itself


@pytest.mark.parametrize(
    ("name", "start", "end"),
    [
        (
            "sheffield-children-s-services-inspection-21-february-2014.pdf",
            "2013-11-19",
            "2014-01-30",
        ),
        (
            "derbyshire-children-s-services-inspection-19-september-2019.pdf",
            "2019-07-08",
            "2019-08-08",
        ),
        ("devon-children-s-services-inspection-13-may-2025.pdf", "2024-09-30", "2025-01-16"),
    ],
)
def test_an_inspection_in_two_visits_ends_with_the_second(name, start, end):
    """ "Inspection dates: 19 November–11 December 2013 and 28–30 January 2014": the
    inspection runs from the first visit to the end of the second."""
    out = io.StringIO()
    call_command("import_report", str(corpus_file(name)), "--dry-run", "--json", stdout=out)
    line = json.loads(out.getvalue().splitlines()[0])
    assert (line["inspection_start"], line["inspection_end"]) == (start, end)


def dry_run(name: str) -> dict:
    out = io.StringIO()
    call_command("import_report", str(corpus_file(name)), "--dry-run", "--json", stdout=out)
    return json.loads(out.getvalue().splitlines()[0])


@pytest.mark.parametrize(
    ("name", "last_words"),
    [
        (
            "luton-children-s-services-focused-visit-18-june-2021.pdf",
            "to account for the completion of actions.",
        ),
        (
            "barking-and-dagenham-children-s-services-focused-visit-15-july-2021.pdf",
            "both into and out of this service.",
        ),
    ],
)
def test_the_letterhead_drawn_after_the_first_page_is_not_read_into_an_item(name, last_words):
    """2021 letters draw Ofsted's address block after the first page's text, a fifth of the
    way down the page: it was read onto the end of the page's last item."""
    texts = [item["text"] for item in dry_run(name)["recommendations"]]
    assert any(text.endswith(last_words) for text in texts), texts
    assert not any("Piccadilly Gate" in text or "ofsted.gov.uk" in text for text in texts)


@pytest.mark.parametrize(
    ("name", "printed", "reference"),
    [
        (
            "durham-joint-area-child-protection-inspection-24-august-2018.pdf",
            "Operation Encompass is not yet fully effective",
            "Encompass5",
        ),
        (
            "durham-joint-area-child-protection-inspection-24-august-2018.pdf",
            "In addition to standard-risk cases not being shared",
            "standard-risk6",
        ),
        (
            "hounslow-joint-area-child-protection-inspection-13-june-2017.pdf",
            "Building Better Relationships programme. Some service users",
            "programme5",
        ),
    ],
)
def test_a_footnote_reference_is_not_read_into_an_items_words(name, printed, reference):
    """A raised footnote number after a word ("Operation Encompass⁵") is not part of it,
    and the full stop after it stays on its sentence."""
    texts = " ".join(item["text"] for item in dry_run(name)["recommendations"])
    assert printed in texts
    assert reference not in texts


def test_a_number_printed_in_the_text_itself_stays():
    """A code in the text's own type ("closed … with the code QL23") is not a footnote."""
    name = "stockton-on-tees-joint-area-child-protection-inspection-15-january-2018.pdf"
    texts = " ".join(item["text"] for item in dry_run(name)["recommendations"])
    assert "with the code QL23." in texts


@pytest.mark.parametrize(
    ("name", "opening", "addressee"),
    [
        (
            "blackpool-area-send-full-inspection-25-july-2024.pdf",
            "The local area should ensure that the voices",
            "The local area",
        ),
        (
            "durham-area-send-full-inspection-03-september-2024.pdf",
            "The LAP should intensify its work",
            "The LAP",
        ),
    ],
)
def test_the_local_area_is_who_is_to_improve(name, opening, addressee):
    """Area SEND items addressed to "The local area" or "The LAP" (the local area
    partnership) name that body, as "The local area partnership should …" already did."""
    items = [i for i in dry_run(name)["recommendations"] if i["text"].startswith(opening)]
    assert [item["addressee"] for item in items] == [addressee]


def test_a_box_drawn_after_the_text_below_it_does_not_end_the_list():
    """A 2018 letter draws a boxed practice study at the head of a page after the text
    below it ("Areas for improvement" and the first item): read in drawing order, the box
    cut the list after its first item's first line. Where it is printed is where it is
    read: all 24 items are found, the first one whole."""
    name = "cornwall-joint-area-child-protection-inspection-23-november-2018.pdf"
    items = dry_run(name)["recommendations"]
    assert len(items) == 24
    assert items[0]["text"].startswith(
        "Within the MARU, strategy discussions are mostly timely, but they do not routinely "
        "involve all relevant agencies."
    )
    assert items[0]["text"].endswith("does not enable effective multi-agency decision-making.")
    assert items[-1]["text"].endswith("with the local authority and health early help offer.")


def test_a_boards_own_report_bound_after_the_councils_is_addressed_to_the_board():
    """A 2015 file binds the board's report ("Inspection of the effectiveness of the local
    safeguarding children board") after the council's: its areas for improvement are the
    board's, as in reports that print the board's part as "Section 2"."""
    items = dry_run(HULL_2015)["recommendations"]

    def opening(words: str) -> dict:
        [item] = [item for item in items if item["text"].startswith(words)]
        return item

    board = opening("Ensure that the LSCB provides sustained and proactive challenge")
    council = opening("Hold health commissioners and providers to account")
    assert board["addressee"] == "The local safeguarding children board"
    assert board["section"] == (
        "Areas for improvement: The local safeguarding children board — Data and performance "
        "management"
    )
    assert council["addressee"] == ""


def test_the_body_an_item_is_for_reads_as_part_of_the_sentence(client, officer):
    """ "The local safeguarding children board" heads the board's items; the review page
    says each is "For the local safeguarding children board", not "For The …"."""
    client.force_login(officer)
    _, review = review_of(client, HULL_2015)
    items = items_of(review)
    assert items.count("For the local safeguarding children board") == 7
    assert "For The" not in items


def test_a_body_named_after_where_it_acts_is_the_body_alone():
    """ "Across the partnership, leaders should ensure …" was addressed "For Across the
    partnership, leaders"; the body is the leaders."""
    items = dry_run("cheshire-east-joint-area-child-protection-inspection-26-september-2022.pdf")[
        "recommendations"
    ]
    [item] = [i for i in items if i["text"].startswith("Across the partnership, leaders should")]
    assert item["addressee"] == "leaders"


def test_a_theme_over_a_bulleted_list_is_neither_an_item_nor_part_of_one():
    """The 2015 board's areas for improvement are bulleted under themes ("Data and
    performance management", "Practice and policy"): the first was read as an item of its
    own and the others as the last words of the item above them."""
    items = dry_run(HULL_2015)["recommendations"]
    board = [item["text"] for item in items if item["addressee"]]
    assert len(board) == 7
    assert board[0].startswith("Ensure that sufficient comprehensive, accurate and timely")
    assert board[3].endswith("supported by clear evaluation and reporting arrangements.")
    assert board[5].endswith("this work leads to sustained improvements in safeguarding practice.")
    themes = ("Data and performance management", "Practice and policy", "Quality of practice")
    assert not any(theme in text for theme in themes for text in board)
    # … each names the part of the section its items stand under
    sections = [item["section"] for item in items if item["addressee"]]
    part = "Areas for improvement: The local safeguarding children board — "
    assert sections == [part + themes[0]] * 4 + [part + themes[1]] * 2 + [part + themes[2]]


def test_an_item_whose_sub_list_is_marked_with_minus_signs_is_one_item():
    """ "Leaders … should ensure that improvements continue … in respect of:" over three
    points marked "−": the item was lost and its points read as three items addressed to
    no one. It is one item, with its points as printed, addressed to those leaders."""
    name = "surrey-area-send-full-inspection-24-november-2023.pdf"
    report = dry_run(name)
    items = report["recommendations"]
    assert len(items) == 4
    item = items[2]
    assert item["addressee"] == "Leaders across health, social care and education"
    assert item["text"].startswith(
        "Leaders across health, social care and education should ensure that improvements "
        "continue in line with their recovery plan in respect of: − reducing waiting times "
        "for health assessments; − increasing timeliness"
    )
    assert item["text"].endswith("− increasing timeliness and quality of EHCPs and annual reviews.")
    assert not any(i["text"].startswith("−") for i in items)
    assert not any("cut short" in warning for warning in report["warnings"])


def test_a_visit_of_one_day_shows_one_date(client, officer):
    """A focused visit on one day reads "26 November 2025", not "26 November 2025 to 26
    November 2025", on the review page and the report's page."""
    officer.organisation.partner_of.add(OrganisationFactory(name="Nottinghamshire County Council"))
    client.force_login(officer)
    location, review = review_of(
        client, "nottinghamshire-children-s-services-focused-visit-12-january-2026.pdf"
    )

    assert "Inspection dates 26 November 2025 Published" in text_of(review)
    assert "26 November 2025 to" not in text_of(review)
    client.post(location, {**review_form(review), "confirm": "1"})
    page = client.get(Inspection.objects.get().get_absolute_url())
    assert "Inspection 26 November 2025" in text_of(page)
    assert "26 November 2025 to" not in text_of(page)
