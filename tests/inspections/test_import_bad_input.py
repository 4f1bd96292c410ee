"""Files that are not readable reports are refused with a sentence saying what to do."""

from __future__ import annotations

import functools
import io
import time
import zlib
from pathlib import Path

import pypdf
import pytest

from inspections.importing import MAX_BYTES, MAX_PAGES, ReportParseError, parse_report

REPORTS = Path(__file__).resolve().parent.parent / "fixtures" / "reports"

SMALL_REPORT = """Inspection of looked after children services
Testshire County Council
Inspection dates: 1 – 5 July 2013
Reporting inspector Ann Example HMI
Published: 2 August 2013

Areas for improvement

Immediately:
- improve the quality of supervision and management oversight.
Within three months:
- ensure that care leavers’ pathway plans are reviewed – with them – every six months.
"""


def build_pdf(streams: list[bytes], filters: str = "", extra: bytes = b"") -> bytes:
    """A minimal, valid PDF: one page per content stream, Helvetica as font F1."""
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"",  # the page tree, filled in below
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    kids = []
    for stream in streams:
        content = len(objects) + 2
        kids.append(f"{len(objects) + 1} 0 R".encode())
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents "
            + f"{content} 0 R".encode()
            + b" >>"
        )
        head = f"<< /Length {len(stream)}{' /Filter ' + filters if filters else ''} >>"
        objects.append(head.encode() + b"\nstream\n" + stream + b"\nendstream")
    objects[1] = b"<< /Type /Pages /Kids [" + b" ".join(kids) + f"] /Count {len(kids)} >>".encode()
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    out.write(extra)
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return out.getvalue()


def text_stream(lines: list[str]) -> bytes:
    parts = [b"BT /F1 11 Tf 72 770 Td 14 TL"]
    for line in lines:
        escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        parts.append(b"(" + escaped.encode("latin-1") + b") '")
    parts.append(b"ET")
    return b"\n".join(parts)


def refused(data: bytes, filename: str = "report.pdf") -> str:
    with pytest.raises(ReportParseError) as caught:
        parse_report(data, filename)
    return str(caught.value)


def test_the_minimal_pdf_builder_makes_a_readable_report():
    lines = [line for line in SMALL_REPORT.replace("’", "'").replace("–", "-").splitlines()]
    report = parse_report(build_pdf([text_stream(lines)]), "report.pdf")
    assert [r.timescale for r in report.recommendations] == ["immediately", "three_months"]


# --- empty, too big, too many pages ---------------------------------------------------


@pytest.mark.parametrize("data", [b"", b"   \n\t\r\n"])
def test_empty_file(data):
    assert refused(data, "report.txt") == "The file is empty: upload the inspection report again."


def test_file_over_the_size_limit_is_refused_before_reading():
    message = refused(b"%PDF-1.4\n" + b"0" * MAX_BYTES)
    assert "larger than 20 MB" in message


def test_pdf_over_the_page_limit():
    writer = pypdf.PdfWriter()
    for _ in range(MAX_PAGES + 1):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    message = refused(buffer.getvalue())
    assert message.startswith(f"The PDF has {MAX_PAGES + 1} pages, more than the {MAX_PAGES}")


# --- encrypted, corrupt, scanned ------------------------------------------------------


def _encrypted(user_password: str) -> bytes:
    writer = pypdf.PdfWriter(
        clone_from=pypdf.PdfReader(REPORTS / "st-helens-2018-focused-visit.pdf")
    )
    writer.encrypt(user_password=user_password, owner_password="owner-secret", algorithm="AES-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_encrypted_pdf_needing_a_password():
    message = refused(_encrypted("user-secret"))
    assert message == (
        "This PDF is encrypted (protected with a password): save an unprotected copy and "
        "upload that."
    )


def test_pdf_protected_only_against_editing_is_read():
    """Opening needs no password, so the text is there to read."""
    report = parse_report(_encrypted(""), "letter.pdf")
    assert len(report.recommendations) == 7


def test_truncated_pdf_is_refused_as_incomplete():
    data = (REPORTS / "kent-2013-lac-inspection.pdf").read_bytes()
    message = refused(data[: len(data) * 2 // 3])
    assert "This PDF is incomplete" in message
    assert "download the report again" in message


def test_garbled_pdf_is_refused_as_damaged():
    data = (REPORTS / "barnsley-2022-jtai.pdf").read_bytes()
    garbled = data[:16] + bytes((b * 7 + 13) % 256 for b in data[16:-1024]) + data[-1024:]
    assert refused(garbled).startswith("This PDF is damaged and cannot be read")


def test_pdf_without_xref_or_objects_is_refused_as_damaged():
    assert refused(b"%PDF-1.7\nthis is not really a pdf\n%%EOF\n").startswith("This PDF is damaged")


def test_scanned_pdf_with_only_images_is_refused():
    # one grey 8x8 image drawn over the page, and no text at all
    image = b"q 500 0 0 700 50 70 cm BI /W 8 /H 8 /CS /G /BPC 8 ID " + b"\x80" * 64 + b" EI Q"
    message = refused(build_pdf([image, image, image]))
    assert message.startswith("This PDF has no text in it, only images of pages")


def test_blank_pdf_is_refused_as_having_no_text():
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    assert "no text in it" in refused(buffer.getvalue())


# --- decompression bombs --------------------------------------------------------------


@functools.cache
def _deflate(size: int) -> bytes:
    """A page of text operators, compressed: `size` bytes once inflated."""
    compressor = zlib.compressobj(9)
    chunk = b"(AAAAAAAAAAAAAAAAAAAAAAAA) Tj " * (1024 * 1024 // 30)
    parts = [compressor.compress(b"BT /F1 1 Tf 10 10 Td ")]
    parts += [compressor.compress(chunk) for _ in range(size // len(chunk))]
    return b"".join(parts) + compressor.flush()


def test_content_stream_inflating_to_hundreds_of_megabytes_is_refused():
    bomb = _deflate(300 * 1024 * 1024)
    assert len(bomb) < 2 * 1024 * 1024
    data = build_pdf([bomb], filters="/FlateDecode")
    started = time.process_time()
    assert refused(data).startswith("This PDF contains far more data than a real report")
    assert time.process_time() - started < 1.0  # refused without inflating it all


def test_doubly_compressed_bomb_is_refused():
    inner = _deflate(300 * 1024 * 1024)
    outer = zlib.compress(inner, 9)
    data = build_pdf([outer], filters="[/FlateDecode /FlateDecode]")
    assert "far more data than a real report" in refused(data)


def test_page_with_implausibly_much_text_is_refused_even_uncompressed():
    stream = b"BT /F1 1 Tf 10 10 Td " + b"(AAAAAAAAAAAAAAAAAAAAAAAAAAAAAA) Tj " * 6000 + b"ET"
    assert "far more data than a real report" in refused(build_pdf([stream]))


# --- not a report ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "an image (PNG)"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 100, "an image (JPEG)"),
        (b"PK\x03\x04" + b"\x00" * 26 + b"word/document.xml", "a Word document"),
        (b"PK\x03\x04" + b"\x00" * 100, "a zip archive"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "an older Office document"),
        (bytes(range(256)) * 8, "a binary file"),
    ],
)
def test_other_kinds_of_file_are_named(data, what):
    message = refused(data, "report.pdf")
    assert message.startswith(f"This file is {what}")
    assert message.endswith("upload the report as a PDF or as a text file.")


@pytest.mark.parametrize(
    "text",
    [
        "Hello. This is a shopping list: eggs, milk, bread.",
        "Lorem ipsum dolor sit amet " * 200,
        "Recommendations 7\nContents\nWhat needs to improve 9\n",
    ],
)
def test_text_with_no_recommendations(text):
    message = refused(text.encode(), "notes.txt")
    assert message.startswith("No recommendations could be found in this report")


def test_pdf_with_text_but_no_recommendations():
    lines = [f"Line {n} of a document about something else entirely." for n in range(40)]
    assert refused(build_pdf([text_stream(lines)])).startswith("No recommendations could be found")


@pytest.mark.parametrize(
    "data", [b"word " * 250_000, b"1.\n" * 50_000], ids=["characters", "lines"]
)
def test_text_far_longer_than_any_report(data):
    assert "far longer than any inspection report" in refused(data, "a.txt")


# --- encodings ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "encoded",
    [
        SMALL_REPORT.encode("utf-8"),
        b"\xef\xbb\xbf" + SMALL_REPORT.encode("utf-8"),
        SMALL_REPORT.encode("utf-16"),  # with a byte order mark
        b"\xfe\xff" + SMALL_REPORT.encode("utf-16-be"),
    ],
    ids=["utf-8", "utf-8 with BOM", "utf-16 with BOM", "utf-16-be with BOM"],
)
def test_accepted_encodings_read_the_same(encoded):
    report = parse_report(encoded, "report.txt")
    assert report.local_authority == "Testshire"
    assert [r.text for r in report.recommendations] == [
        "improve the quality of supervision and management oversight.",
        "ensure that care leavers’ pathway plans are reviewed – with them – every six months.",
    ]


@pytest.mark.parametrize(
    "encoded",
    [
        SMALL_REPORT.encode("cp1252"),
        SMALL_REPORT.replace("’", "'").replace("–", "-").encode("utf-16-le"),
        SMALL_REPORT.encode("utf-32"),
    ],
    ids=["windows-1252", "utf-16 without BOM", "utf-32"],
)
def test_other_encodings_are_refused_asking_for_utf8(encoded):
    message = refused(encoded, "report.txt")
    assert "it must be saved as UTF-8" in message


def test_only_one_exception_type_even_for_odd_arguments():
    with pytest.raises(ReportParseError):
        parse_report(None, "x.pdf")  # type: ignore[arg-type]


def test_bomb_marked_as_an_image_or_cut_short_is_still_refused():
    """Calling a stream an image, or breaking its data off, does not hide what it holds."""
    bomb = _deflate(300 * 1024 * 1024)
    data = build_pdf([bomb[: len(bomb) - 50]], filters="/FlateDecode /Subtype /Image")
    assert "far more data than a real report" in refused(data)


def test_many_medium_streams_add_up_to_a_bomb():
    stream = zlib.compress(b"(A) Tj " * (30 * 1024 * 1024 // 7), 9)
    data = build_pdf([stream] * 20, filters="/FlateDecode")
    assert "far more data than a real report" in refused(data)
