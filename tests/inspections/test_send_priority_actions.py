"""Area SEND reports' "Areas for priority action": read from their table, row by row.

At the worst outcome an area SEND report (2023 framework) prints, before its areas for
improvement, a table "Responsible body | Areas for priority action": each row names the
bodies responsible in its left cell and what they must do in its right one (sometimes
over a bulleted list and a second paragraph). Each row is one item with priority=True,
addressed to the body its left cell names, and no word of the left cell is in its text.

The expected texts were read by hand from the PDFs of the shared corpus; the reports are
read through `manage.py import_report --dry-run`, as a council loading its history would.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"

# How many rows each report's table of areas for priority action prints, read by hand.
PRIORITY_ROWS = {
    "bexley-area-send-full-inspection-23-february-2024.pdf": 3,
    "bury-area-send-full-inspection-07-may-2024.pdf": 6,
    "derbyshire-area-send-full-inspection-14-november-2024.pdf": 6,
    "halton-area-send-full-inspection-26-january-2024.pdf": 5,
    "hertfordshire-area-send-full-inspection-10-november-2023.pdf": 2,
    "lancashire-area-send-full-inspection-12-february-2025.pdf": 3,
    "north-northamptonshire-area-send-full-inspection-25-march-2024.pdf": 4,
    "nottinghamshire-area-send-full-inspection-16-may-2023.pdf": 2,
    "oldham-area-send-full-inspection-29-august-2023.pdf": 2,
    "oxfordshire-area-send-full-inspection-15-september-2023.pdf": 5,
    "plymouth-area-send-full-inspection-22-august-2023.pdf": 5,
    "west-northamptonshire-area-send-full-inspection-12-july-2024.pdf": 5,
    "worcestershire-area-send-full-inspection-15-july-2024.pdf": 2,
}


def _corpus_file(name: str) -> Path:
    path = CORPUS / name
    if not path.is_file():
        pytest.skip(f"the report corpus is not here ({CORPUS}); this test reads its PDFs")
    return path


def read(*names: str) -> dict[str, list[dict]]:
    """Each report's items, as the command prints them with --dry-run --json."""
    paths = [str(_corpus_file(name)) for name in names]
    out, err = io.StringIO(), io.StringIO()
    call_command("import_report", *paths, "--dry-run", "--json", stdout=out, stderr=err)
    found = {}
    for line in out.getvalue().splitlines():
        result = json.loads(line)
        assert result["status"] == "parsed", result
        found[Path(result["file"]).name] = result["recommendations"]
    return found


def flat(text: str) -> str:
    return " ".join(text.split())


def priority(items: list[dict]) -> list[dict]:
    return [item for item in items if item["priority"]]


def test_each_row_of_the_table_is_one_priority_item_before_the_areas_for_improvement(db):
    reports = read(*PRIORITY_ROWS)
    for name, rows in PRIORITY_ROWS.items():
        items = reports[name]
        found = priority(items)
        assert len(found) == rows, name
        assert all(item["section"] == "Areas for priority action" for item in found), name
        # printed first, then the areas for improvement, which are not priority actions
        assert items[: len(found)] == found, name
        rest = items[len(found) :]
        assert rest and all(item["section"] == "Areas for improvement" for item in rest), name
        for item in found:
            assert item["addressee"], (name, item["text"])
            # no word of the table's column headings is read as an item or part of one
            assert not item["text"].startswith("Responsible body"), name


def test_worcestershire_rows_keep_their_bullets_and_second_paragraph(db):
    items = read("worcestershire-area-send-full-inspection-15-july-2024.pdf")[
        "worcestershire-area-send-full-inspection-15-july-2024.pdf"
    ]
    body = (
        "Worcestershire County Council, Worcestershire Children’s First and NHS "
        "Herefordshire and Worcestershire ICB"
    )
    assert [(flat(item["text"]), item["addressee"]) for item in priority(items)] == [
        (
            "The local area partnership should urgently address the long waiting times "
            "for: community paediatrics; the neurodevelopmental assessment pathway; "
            "occupational therapy; and physiotherapy. Leaders should also improve the "
            "support available while children and young people wait.",
            body,
        ),
        (
            "The local area partnership should urgently develop genuine co-production "
            "with children and young people with SEND at a strategic level. Children and "
            "young people should feel they have fully participated in the process of "
            "developing services, improvement strategies and plans that meet their needs.",
            body,
        ),
    ]
    # the areas for improvement are read as before, addressed as they name themselves
    assert [item["addressee"] for item in items[2:]] == ["Leaders across the partnership"] * 3


def test_a_row_cut_by_a_page_break_is_one_item_with_the_whole_body(db):
    reports = read(
        "halton-area-send-full-inspection-26-january-2024.pdf",
        "nottinghamshire-area-send-full-inspection-16-may-2023.pdf",
        "bury-area-send-full-inspection-07-may-2024.pdf",
    )
    halton = priority(reports["halton-area-send-full-inspection-26-january-2024.pdf"])
    assert {item["addressee"] for item in halton} == {
        "Halton Borough Council and NHS Cheshire and Merseyside Integrated Care Board (ICB)"
    }
    assert flat(halton[2]["text"]) == (
        "Leaders across education, health and social care should improve the joint "
        "commissioning of services to ensure that children, young people and their "
        "families receive sufficient support to have their needs met effectively."
    )

    notts = priority(reports["nottinghamshire-area-send-full-inspection-16-may-2023.pdf"])
    assert [item["addressee"] for item in notts] == [
        "Nottinghamshire County Council and NHS Nottingham and Nottinghamshire Integrated "
        "Care Board",
        "NHS Nottingham and Nottinghamshire Integrated Care Board",
    ]
    assert flat(notts[0]["text"]) == (
        "Leaders, NHS Nottingham and Nottinghamshire Integrated Care Board and education, "
        "health, and care providers should cooperate to urgently identify, assess and "
        "provide for the needs of children and young people with SEND. This includes "
        "assessment of needs, timely issuing of EHC plans and holistic oversight of these "
        "plans through annual reviews."
    )

    bury = priority(reports["bury-area-send-full-inspection-07-may-2024.pdf"])
    assert flat(bury[2]["text"]) == (
        "Leaders across the partnership should improve the quality and availability of "
        "support for children, young people and their families while they wait for "
        "specialist assessments. This includes: children and young people waiting for a "
        "speech and language therapy assessment and subsequent intervention children "
        "waiting for a community paediatric assessment and subsequent intervention "
        "children and young people on a neurodevelopmental pathway for an assessment of "
        "ADHD or autism. Leaders across the partnership should also ensure that young "
        "people aged up to 25 years old have access to a locally agreed "
        "neurodevelopmental diagnostic pathway."
    )


def test_the_last_word_of_a_body_alone_over_a_page_break_stays_with_its_row(db):
    name = "derbyshire-area-send-full-inspection-14-november-2024.pdf"
    items = read(name)[name]
    found = priority(items)
    assert {item["addressee"] for item in found} == {
        "Derbyshire County Council and NHS Derby and Derbyshire Integrated Care Board"
    }
    assert flat(found[1]["text"]) == (
        "Area leaders need to ensure that there is a strategic partnership commissioning "
        "agreement in place based on a thorough joint strategic needs assessment."
    )
    assert flat(found[2]["text"]).startswith(
        "Area leaders need to assess and provide for the needs of children and young "
        "people with SEND jointly and accurately. This includes: multi-agency assessment"
    )
    # A second paragraph of a row, level with a line of its long left cell, is no row.
    assert flat(found[3]["text"]) == (
        "Area leaders need to urgently address the number of children and young people "
        "with SEND missing education. Leaders need to ensure that joint strategies address "
        "the underlying reasons for this issue, such as the lack of special school and AP "
        "places, long waits for needs assessments, and the lack of effective mental health "
        "support, which prevent children’s and young people’s needs escalating to a point "
        "where they stop attending school."
    )


def test_a_one_line_body_printed_level_with_its_row_is_cut_from_it(db):
    name = "plymouth-area-send-full-inspection-22-august-2023.pdf"
    found = priority(read(name)[name])
    assert [item["addressee"] for item in found] == [
        "Plymouth City Council, NHS Devon Integrated Care Board, school and college leaders",
        "Plymouth City Council, NHS Devon Integrated Care Board, school and college leaders",
        "Plymouth City Council, school and college leaders",
        "NHS Devon Integrated Care Board",
        "Plymouth City Council",
    ]
    assert flat(found[4]["text"]) == (
        "Plymouth City Council leaders should ensure that children and young people with "
        "SEND who also have social care needs get the care and support they need, "
        "particularly: vulnerable children living in residential special schools and "
        "children’s homes at a distance; and children receiving short breaks without "
        "effective oversight and review, including reassessment when needs escalate."
    )


def test_an_area_for_improvement_is_not_cut_where_its_cell_is_narrower_than_the_page(db):
    name = "derbyshire-area-send-full-inspection-14-november-2024.pdf"
    improvements = [flat(item["text"]) for item in read(name)[name] if not item["priority"]]
    assert (
        "Health leaders need to address the lengthy waits children and young people with "
        "SEND experience for specialist chairs and seating through wheelchair services."
    ) in improvements
    assert len(improvements) == 5
    assert not any(text.startswith("SEND experience") for text in improvements)


def test_a_report_with_no_table_of_priority_actions_has_no_priority_item(db):
    names = (
        "dudley-area-send-full-inspection-11-march-2025.pdf",
        "enfield-area-send-full-inspection-02-august-2023.pdf",
    )
    for name, items in read(*names).items():
        assert items and not priority(items), name
