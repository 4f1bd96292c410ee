"""Whatever bytes arrive, the parser answers with a result or a ReportParseError."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inspections.importing import ParsedReport, ReportParseError, parse_report

REPORTS = Path(__file__).resolve().parent.parent / "fixtures" / "reports"
FUZZ = settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Pieces of real reports, so that generated text reaches the headings and lists.
FRAGMENTS = [
    "Recommendations",
    "Areas for improvement",
    "Areas for priority action",
    "What needs to improve?1",
    "Immediately:",
    "Within three months:",
    "Within six months:",
    "For action in the longer term",
    "The local partnership should:",
    "NHS Derbyshire County should ensure care leavers are supported.",
    "Derbyshire County Council to improve plans",
    "- ensure that plans are reviewed",
    "\uf06e The quality of plans.",
    "◼ The timeliness of strategy meetings.",
    "1. Improve the quality of plans.",
    "Grade 2 (Good)",
    "Overall effectiveness Good",
    "**Published:** 19 February 2008",
    "<b>Recommendations</b>\t<b>5</b>",
    "Inspection dates: 7 – 18 March 2011",
    "Lead inspector: Ann Example, HMI",
    "by Tuesday 25 October 2022",
    "multi-",
    "agency",
    "*'emphasis",
    "split'*",
    "",
    "12",
]


def parses_or_refuses(data: bytes, filename: str) -> None:
    try:
        result = parse_report(data, filename)
    except ReportParseError as error:
        assert str(error).strip()
        # a deliberate refusal, not the safety net catching a bug
        assert error.__cause__ is None, repr(error.__cause__)
        return
    assert isinstance(result, ParsedReport)
    assert result.recommendations
    for rec in result.recommendations:
        assert rec.text == " ".join(rec.text.split())


@FUZZ
@given(st.binary(max_size=4096), st.sampled_from(["r.pdf", "r.txt", "r.md", "r"]))
def test_arbitrary_bytes(data, filename):
    parses_or_refuses(data, filename)


@FUZZ
@given(st.binary(max_size=4096))
def test_arbitrary_bytes_behind_a_pdf_header(data):
    parses_or_refuses(b"%PDF-1.7\n" + data, "r.pdf")
    parses_or_refuses(b"%PDF-1.4\n" + data + b"\n%%EOF\n", "r.pdf")


@FUZZ
@given(st.text(max_size=3000))
def test_arbitrary_text(text):
    parses_or_refuses(text.encode("utf-8"), "r.txt")


@FUZZ
@given(st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=40)), max_size=60))
def test_text_made_of_report_pieces(pieces):
    parses_or_refuses("\n".join(pieces).encode("utf-8"), "r.md")


def _mutations():
    names = [
        "barnsley-2022-jtai.pdf",
        "st-helens-2018-focused-visit.pdf",
        "derbyshire-2011-safeguarding-lac.txt",
        "derby-city-2008-joint-area-review.md",
    ]
    edit = st.tuples(
        st.floats(min_value=0, max_value=1, allow_nan=False),
        st.sampled_from(["flip", "cut", "insert", "delete"]),
        st.binary(min_size=1, max_size=64),
    )
    return st.tuples(st.sampled_from(names), st.lists(edit, min_size=1, max_size=6))


@settings(FUZZ, max_examples=40)
@given(_mutations())
def test_mutated_real_reports(case):
    name, edits = case
    data = bytearray((REPORTS / name).read_bytes())
    for where, kind, payload in edits:
        at = int(where * (len(data) - 1)) if data else 0
        if kind == "flip" and data:
            for offset, byte in enumerate(payload):
                if at + offset < len(data):
                    data[at + offset] ^= byte or 0xFF
        elif kind == "cut":
            data = data[:at]
        elif kind == "insert":
            data[at:at] = payload
        else:
            del data[at : at + len(payload) * 64]
    parses_or_refuses(bytes(data), name)
