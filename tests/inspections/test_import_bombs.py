"""Decompression bombs are refused whatever the PDF syntax that hides them.

The guard reads stream dictionaries as PDF defines them (name escapes, dictionaries of any
length, filters held elsewhere, chains of filters); what no check foresees is held by the
memory and time limits of the child process that reads the file. Each file here is about
a megabyte; without those defences PDFium would inflate it to hundreds of megabytes in the
process that received the upload.
"""

from __future__ import annotations

import base64
import io
import re
import resource
import time
import zlib

import pikepdf
import pytest

from inspections.importing import ReportParseError, bounded, parse_report
from tests.inspections.test_import_bad_input import SMALL_REPORT, build_pdf, text_stream

BOMB = "This PDF contains far more data than a real report could hold"
MB = 1024 * 1024


def deflate_zeros(size: int) -> bytes:
    """zlib data inflating to `size` zero bytes (a whole number of MB), built in a moment.

    One block compressed with a full flush depends on nothing before it, so it can be
    repeated; an empty final block and the Adler-32 of `size` zeros close the data.
    """
    compressor = zlib.compressobj(9)
    head = compressor.compress(bytes(MB)) + compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(bytes(MB)) + compressor.flush(zlib.Z_FULL_FLUSH)
    adler = ((size % 65521) << 16) | 1
    return head + block * (size // MB - 1) + b"\x03\x00" + adler.to_bytes(4, "big")


def refused_quickly(data: bytes) -> str:
    """The refusal, checked to come within seconds and without this process's memory."""
    peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.monotonic()
    with pytest.raises(ReportParseError) as caught:
        parse_report(data, "report.pdf")
    assert time.monotonic() - started < 10
    grown_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak_before
    assert grown_kb < 100 * 1024  # the file, not what it inflates to
    return str(caught.value)


def test_the_zero_bomb_inflates_as_it_says():
    assert zlib.decompress(deflate_zeros(8 * MB)) == bytes(8 * MB)


def test_filter_name_written_with_an_escape_is_read_as_the_filter():
    data = build_pdf([deflate_zeros(400 * MB)], filters="/Flat#65Decode")
    assert len(data) < 2 * MB
    assert refused_quickly(data).startswith(BOMB)


def test_stream_dictionary_longer_than_two_kilobytes():
    padding = "/Padding (" + "x" * 3000 + ")"
    data = build_pdf([deflate_zeros(400 * MB)], filters=f"/FlateDecode {padding}")
    assert refused_quickly(data).startswith(BOMB)


def _chain(layers: list[str]) -> bytes:
    """400 MB of zeros encoded by `layers`, applied from the last to the first."""
    data = deflate_zeros(400 * MB)
    for name in reversed(layers[:-1]):
        if name in ("/FlateDecode", "/Fl"):
            data = zlib.compress(data, 9)
        elif name in ("/ASCIIHexDecode", "/AHx"):
            data = base64.b16encode(data) + b">"
        elif name in ("/ASCII85Decode", "/A85"):
            data = base64.a85encode(data) + b"~>"
    return data


@pytest.mark.parametrize(
    "layers",
    [
        ["/ASCIIHexDecode", "/FlateDecode"],
        ["/A85", "/Fl"],
        ["/FlateDecode"] * 6,
    ],
    ids=["hex-then-flate", "abbreviated-ascii85-then-flate", "six-flate-layers"],
)
def test_chained_filters_are_decoded_step_by_step(layers):
    data = build_pdf([_chain(layers)], filters="[" + " ".join(layers) + "]")
    assert refused_quickly(data).startswith(BOMB)


def test_filter_held_in_a_compressed_object_stream():
    """`/Filter 7 0 R`, with object 7 inside an object stream: no text to match on."""
    pdf = pikepdf.new()
    contents = pikepdf.Stream(pdf, b"")
    contents.write(deflate_zeros(400 * MB), filter=pikepdf.Name.FlateDecode)
    contents.Filter = pdf.make_indirect(pikepdf.Name.FlateDecode)
    page = pikepdf.Dictionary(Type=pikepdf.Name.Page, MediaBox=[0, 0, 595, 842], Contents=contents)
    pdf.pages.append(pikepdf.Page(page))
    out = io.BytesIO()
    pdf.save(
        out,
        object_stream_mode=pikepdf.ObjectStreamMode.generate,
        stream_decode_level=pikepdf.StreamDecodeLevel.none,
    )
    data = out.getvalue()
    # The stream names its filter by reference; the name itself is compressed away.
    assert re.search(rb"/Filter \d+ 0 R", data)
    assert data.count(b"FlateDecode") == 2  # the object and cross-reference streams' own
    assert refused_quickly(data).startswith(BOMB)


def test_inline_image_inflated_by_the_reader_is_stopped_by_the_memory_limit():
    """A content stream of 800 KB, no bomb to any stream check, that PDFium inflates.

    Its inline image holds 800 MB once inflated, which PDFium decodes while it reads the
    page's text: only the limit on the reading process's memory stops it.
    """
    image = deflate_zeros(800 * MB)
    content = (
        b"BT /F1 11 Tf 72 770 Td (Hello) Tj ET\n"
        + f"BI /W 20000 /H 40000 /BPC 8 /CS /G /F /Fl /L {len(image)} ID ".encode()
        + image
        + b"\nEI\n"
    )
    assert refused_quickly(build_pdf([content])).startswith(BOMB)


def test_reading_past_the_time_limit_is_stopped(monkeypatch):
    lines = SMALL_REPORT.replace("’", "'").replace("–", "-").splitlines()
    data = build_pdf([text_stream(lines)] * 40)
    parse_report(data, "report.pdf")  # read within the usual limit
    monkeypatch.setattr(bounded, "TIME_LIMIT", 0.001)
    assert refused_quickly(data).startswith(BOMB)


def test_a_report_read_in_the_child_is_the_same_as_one_read_here():
    """The lines come back from the child process whole, with their geometry."""
    lines = SMALL_REPORT.replace("’", "'").replace("–", "-").splitlines()
    data = build_pdf([text_stream(lines)])
    from inspections.importing.pdf_text import read_pdf_unbounded

    assert bounded.read_pdf(data) == read_pdf_unbounded(data)
