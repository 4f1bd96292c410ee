"""A decompression bomb is refused before any PDF library inflates it.

Every compressed stream is inflated here with a bound, on the raw bytes and independently
of any PDF library, whose own limits may be swallowed and turn into partial text. Calling a
stream an image, or breaking its data off, does not exempt it.
"""

from __future__ import annotations

import re
import zlib

from . import errors
from .errors import ReportParseError

# Bounds on inflating compressed streams: one, all of them, and one that says it is an
# image (a page scanned at 600 dpi in colour is about 100 MB).
MAX_STREAM_INFLATED = 32 * 1024 * 1024
MAX_IMAGE_INFLATED = 128 * 1024 * 1024
MAX_TOTAL_INFLATED = 512 * 1024 * 1024

_STREAM_KEYWORD = re.compile(rb"(?<=[\s>])stream(?:\r\n|\n|\r)")


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


def guard_streams(data: bytes) -> None:
    """Refuse a PDF whose compressed streams inflate to far more than any report holds."""
    total = 0
    for match in _STREAM_KEYWORD.finditer(data):
        head = data[max(0, match.start() - 2048) : match.start()]
        head = head[head.rfind(b" obj") + 1 :] if b" obj" in head else head
        layers = head.count(b"FlateDecode")
        if layers == 0:
            continue
        limit = MAX_IMAGE_INFLATED if b"/Image" in head else MAX_STREAM_INFLATED
        end = data.find(b"endstream", match.end())
        chunk = data[match.end() : end if end >= 0 else len(data)]
        for _ in range(min(layers, 4)):
            inflated = _inflate(chunk, limit)
            if len(inflated) > limit:
                raise ReportParseError(errors.BOMB)
            if not inflated:
                break
            chunk = inflated
        total += len(chunk)
        if total > MAX_TOTAL_INFLATED:
            raise ReportParseError(errors.BOMB)
