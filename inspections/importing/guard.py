"""A decompression bomb is refused before any PDF library inflates it.

The file's objects are read by qpdf (through pikepdf) as PDF defines them, so a filter
written with a name escape (`/Flat#65Decode`), a stream dictionary of any length, a filter
held in another object or in a compressed object stream, and chains of filters are all seen
as PDFium sees them. Each stream's data is then decoded here through its whole chain of
filters with a bound on every step, independently of the library that reads the text, whose
own limits may be swallowed and turn into partial text. Calling a stream an image, or
breaking its data off, does not exempt it.

This check runs inside the bounded child process (see `bounded`), so qpdf reading a hostile
file is held to the same memory and time limits as PDFium.
"""

from __future__ import annotations

import binascii
import io
import re
import zlib
from collections.abc import Callable

import pikepdf

from . import errors
from .errors import ReportParseError

# Bounds on decoding streams: one, all of them, and one that says it is an image (a page
# scanned at 600 dpi in colour is about 100 MB).
MAX_STREAM_INFLATED = 32 * 1024 * 1024
MAX_IMAGE_INFLATED = 128 * 1024 * 1024
MAX_TOTAL_INFLATED = 512 * 1024 * 1024

# Image codecs end a chain: PDFium decodes them only to draw a picture, never for text.
_IMAGE_CODECS = frozenset(
    {"/DCTDecode", "/DCT", "/JPXDecode", "/CCITTFaxDecode", "/CCF", "/JBIG2Decode"}
)


def _inflate(chunk: bytes, limit: int) -> bytes:
    """`chunk` inflated, stopping after `limit` + 1 bytes or where the data breaks off.

    What inflates before a fault counts: a reader shows it, so it can be a bomb too.
    """
    inflater = zlib.decompressobj()
    out = bytearray()
    try:
        for start in range(0, len(chunk), 65536):
            piece = chunk[start : start + 65536]
            while piece:
                room = limit + 1 - len(out)
                if room <= 0:
                    return bytes(out)
                out += inflater.decompress(piece, room)
                piece = inflater.unconsumed_tail
            if inflater.eof:
                break
    except zlib.error:
        pass
    return bytes(out)


def _lzw(chunk: bytes, limit: int) -> bytes:
    """LZW as PDF writes it (codes of 9 to 12 bits, early change), stopping past `limit`."""
    out = bytearray()
    table: list[bytes] = [bytes([i]) for i in range(256)] + [b"", b""]
    width, previous = 9, b""
    buffer = bits = 0
    for byte in chunk:
        buffer = (buffer << 8) | byte
        bits += 8
        while bits >= width:
            bits -= width
            code = (buffer >> bits) & ((1 << width) - 1)
            if code == 256:
                del table[258:]
                width, previous = 9, b""
                continue
            if code == 257:
                return bytes(out)
            if code < len(table):
                entry = table[code]
            elif code == len(table) and previous:
                entry = previous + previous[:1]
            else:
                return bytes(out)
            if previous and len(table) < 4096:
                table.append(previous + entry[:1])
            previous = entry
            out += entry
            if len(out) > limit:
                return bytes(out)
            if len(table) + 1 >= (1 << width) and width < 12:
                width += 1
    return bytes(out)


def _run_length(chunk: bytes, limit: int) -> bytes:
    out = bytearray()
    at = 0
    while at < len(chunk) and len(out) <= limit:
        length = chunk[at]
        if length == 128:
            break
        if length < 128:
            out += chunk[at + 1 : at + 2 + length]
            at += 2 + length
        else:
            out += chunk[at + 1 : at + 2] * (257 - length)
            at += 2
    return bytes(out)


def _ascii_hex(chunk: bytes, limit: int) -> bytes:
    digits = re.sub(rb"[^0-9A-Fa-f]", b"", chunk.split(b">", 1)[0])
    if len(digits) % 2:
        digits += b"0"
    return binascii.unhexlify(digits[: 2 * (limit + 1)])


def _ascii85(chunk: bytes, limit: int) -> bytes:
    text = re.sub(rb"[^!-uz]", b"", chunk.split(b"~>", 1)[0])
    out = bytearray()
    group: list[int] = []
    for char in text:
        if char == ord("z") and not group:
            out += b"\0\0\0\0"
        elif char != ord("z"):
            group.append(char - 33)
            if len(group) == 5:
                value = 0
                for digit in group:
                    value = value * 85 + digit
                out += (value & 0xFFFFFFFF).to_bytes(4, "big")
                group = []
        if len(out) > limit:
            break
    if len(group) > 1:
        value = 0
        for digit in group + [84] * (5 - len(group)):
            value = value * 85 + digit
        out += (value & 0xFFFFFFFF).to_bytes(4, "big")[: len(group) - 1]
    return bytes(out)


_DECODERS: dict[str, Callable[[bytes, int], bytes]] = {
    "/FlateDecode": _inflate,
    "/Fl": _inflate,
    "/LZWDecode": _lzw,
    "/LZW": _lzw,
    "/RunLengthDecode": _run_length,
    "/RL": _run_length,
    "/ASCIIHexDecode": _ascii_hex,
    "/AHx": _ascii_hex,
    "/ASCII85Decode": _ascii85,
    "/A85": _ascii85,
}


def _filters(stream: pikepdf.Stream) -> list[str]:
    value = stream.get("/Filter")
    if value is None:
        return []
    if isinstance(value, pikepdf.Array):
        return [str(item) for item in value if isinstance(item, pikepdf.Name)]
    return [str(value)] if isinstance(value, pikepdf.Name) else []


def _decoded_size(stream: pikepdf.Stream, limit: int) -> int:
    """How many bytes the stream's data decodes to, or more than `limit` if it is a bomb."""
    chunk = stream.read_raw_bytes()
    for name in _filters(stream):
        if name in _IMAGE_CODECS:
            break
        decoder = _DECODERS.get(name)
        if decoder is None:  # a filter PDFium does not know either: it stops there
            break
        chunk = decoder(chunk, limit)
        if len(chunk) > limit or not chunk:
            break
    return len(chunk)


def _open(data: bytes) -> pikepdf.Pdf:
    try:
        return pikepdf.open(io.BytesIO(data))
    except pikepdf.PasswordError:
        raise ReportParseError(errors.ENCRYPTED) from None
    except Exception:
        raise ReportParseError(errors.CORRUPT) from None


def guard_streams(data: bytes) -> None:
    """Refuse a PDF whose streams decode to far more than any report holds."""
    total = 0
    with _open(data) as pdf:
        try:
            objects = list(pdf.objects)
        except Exception:
            raise ReportParseError(errors.CORRUPT) from None
        for item in objects:
            if not isinstance(item, pikepdf.Stream):
                continue
            image = item.get("/Subtype") == pikepdf.Name.Image
            limit = MAX_IMAGE_INFLATED if image else MAX_STREAM_INFLATED
            try:
                size = _decoded_size(item, limit)
            except pikepdf.PdfError:
                continue  # data qpdf cannot reach is data PDFium cannot reach either
            if size > limit:
                raise ReportParseError(errors.BOMB)
            total += size
            if total > MAX_TOTAL_INFLATED:
                raise ReportParseError(errors.BOMB)
