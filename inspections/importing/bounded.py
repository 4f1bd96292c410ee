"""A PDF is read in a separate process that cannot take more than 600 MB or 20 seconds.

Checking a PDF's syntax before reading it cannot foresee everything PDFium (or qpdf) may
allocate for some construction of the format, so the reading itself is bounded: whatever
the file says, the process that reads it is refused memory past `MEMORY_LIMIT` (its address
space, `RLIMIT_AS`) and is killed after `TIME_LIMIT`, and the file is then refused with a
sentence for the person who uploaded it. The web or worker process only ever holds the file
and the lines read from it.

One reader process per web or worker process, started on first use with PDFium and qpdf
loaded, reads one file after another: a fresh process per file (a fork) cost about a fifth
more time on the corpus of real reports, a reused one a few milliseconds. It is replaced
after any refusal for memory or time, after any crash, and after `FILES_PER_READER` files,
so no file's leftovers live long. It sends the lines back as JSON, not pickle, so even a
reader subverted by a hostile file can only send data. Callers see `ReportParseError` and
nothing else.
"""

from __future__ import annotations

import atexit
import dataclasses
import os
import resource
import select
import signal
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path

import orjson

from . import errors
from .errors import ReportParseError
from .lines import RawDocument, RawLine
from .pdf_text import read_pdf_unbounded

MEMORY_LIMIT = 600 * 1024 * 1024
TIME_LIMIT = 20.0
FILES_PER_READER = 200
# Starting the reader (loading PDFium and qpdf), and passing a 20 MB file to it.
_START_TIME = 30.0
_TRANSFER_TIME = 2.0

_REQUEST = struct.Struct(">Qd")  # length of the file, seconds
_REPLY = struct.Struct(">BQ")  # what follows: lines, a refusal, or a refusal then exit
_READ, _REFUSED, _REFUSED_AND_EXITING = 0, 1, 2
_READY = b"R"
_ROOT = str(Path(__file__).resolve().parents[2])

_lock = threading.Lock()
_reader: subprocess.Popen | None = None
_reader_pid = 0  # the process that started `_reader` (a forked web worker needs its own)
_files_read = 0


def read_pdf(data: bytes) -> RawDocument:
    """`data` read by `read_pdf_unbounded` in the reader process, held to the limits."""
    global _files_read
    with _lock:
        try:
            reader = _running_reader()
            reader.stdin.write(_REQUEST.pack(len(data), TIME_LIMIT))
            reader.stdin.write(data)
            reader.stdin.flush()
            status, payload = _read_reply(reader.stdout.fileno(), TIME_LIMIT + _TRANSFER_TIME)
        except (OSError, EOFError, TimeoutError):
            # Out of time (the reader ends itself), killed for want of memory, or crashed
            # on the file: refused, and the reader is never reused.
            _stop_reader()
            raise ReportParseError(errors.BOMB) from None
        _files_read += 1
        if status == _REFUSED_AND_EXITING or _files_read >= FILES_PER_READER:
            _stop_reader()
    if status != _READ:
        raise ReportParseError(payload.decode())
    return _document(orjson.loads(payload))


def _running_reader() -> subprocess.Popen:
    global _reader, _reader_pid, _files_read
    if _reader is not None and (_reader_pid != os.getpid() or _reader.poll() is not None):
        _reader = None
    if _reader is None:
        code = (
            f"import sys; sys.path.insert(0, {_ROOT!r}); "
            f"from {__name__} import serve; serve({MEMORY_LIMIT})"
        )
        _reader = subprocess.Popen(  # noqa: S603 - this interpreter, this module, no shell
            [sys.executable, "-c", code],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            close_fds=True,
        )
        _reader_pid, _files_read = os.getpid(), 0
        deadline = time.monotonic() + _START_TIME
        if _read_exact(_reader.stdout.fileno(), len(_READY), deadline) != _READY:
            raise EOFError
    return _reader


def _stop_reader() -> None:
    global _reader
    if _reader is not None and _reader_pid == os.getpid():
        _reader.kill()
        _reader.wait()
    _reader = None


atexit.register(_stop_reader)


def _read_exact(fd: int, length: int, deadline: float | None = None) -> bytes:
    """`length` bytes from `fd`; EOFError if it closes first, TimeoutError past `deadline`."""
    chunks: list[bytes] = []
    missing = length
    while missing:
        if deadline is not None:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
                raise TimeoutError
        chunk = os.read(fd, min(missing, 1 << 20))
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        missing -= len(chunk)
    return b"".join(chunks)


def _read_reply(fd: int, seconds: float) -> tuple[int, bytes]:
    deadline = time.monotonic() + seconds
    status, length = _REPLY.unpack(_read_exact(fd, _REPLY.size, deadline))
    return status, _read_exact(fd, length, deadline)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


# --- the document as plain data, both ways ----------------------------------------------


def _plain(document: RawDocument) -> bytes:
    names = [field.name for field in dataclasses.fields(RawLine)]
    pages = [[[getattr(line, name) for name in names] for line in page] for page in document.pages]
    return orjson.dumps({"kind": document.kind, "heights": document.page_heights, "pages": pages})


def _document(plain: dict) -> RawDocument:
    """The child's lines as `RawLine`s: the same code on both sides, so fields in order."""
    pages = [[RawLine(*line) for line in page] for page in plain["pages"]]
    return RawDocument(kind=plain["kind"], pages=pages, page_heights=plain["heights"])


# --- the reader process ----------------------------------------------------------------


def serve(memory: int) -> None:
    """The reader's loop: one request at a time on stdin, one reply each on stdout."""
    requests, replies = 0, os.dup(1)
    os.dup2(2, 1)  # a library printing to stdout must not break the replies
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    _write_all(replies, _READY)
    while True:
        try:
            length, seconds = _REQUEST.unpack(_read_exact(requests, _REQUEST.size))
            data = _read_exact(requests, length)
        except EOFError:
            return  # the web or worker process has gone
        # The time limit: SIGALRM, not handled, ends the process when the time is up.
        signal.setitimer(signal.ITIMER_REAL, seconds)
        status, payload = _read(data)
        signal.setitimer(signal.ITIMER_REAL, 0)
        try:
            _write_all(replies, _REPLY.pack(status, len(payload)) + payload)
        except OSError:
            return
        if status == _REFUSED_AND_EXITING:
            return


def _read(data: bytes) -> tuple[int, bytes]:
    try:
        return _READ, _plain(read_pdf_unbounded(data))
    except ReportParseError as error:
        return _REFUSED, str(error).encode()
    except MemoryError:  # what is left of the process is not to be trusted
        return _REFUSED_AND_EXITING, errors.BOMB.encode()
    except Exception:  # any other failure on a file is a damaged file
        return _REFUSED_AND_EXITING, errors.CORRUPT.encode()
