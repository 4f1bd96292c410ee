"""A PDF is read in a child process that cannot take more than 600 MB or 20 seconds.

Checking a PDF's syntax before reading it cannot foresee everything PDFium (or qpdf) may
allocate for some construction of the format, so the reading itself is bounded: whatever
the file says, the process that reads it is refused memory past `MEMORY_LIMIT` and is killed
after `TIME_LIMIT`, and the file is then refused with a sentence for the person who
uploaded it. The web or worker process only ever holds the file and the lines read from it.

One small helper process per web or worker process (started on first use, with PDFium and
qpdf already loaded) forks a child for each file: a fork of that small process costs a few
milliseconds, where starting a fresh interpreter would cost a few hundred. The child sends
the lines back as JSON, not pickle, so even a child subverted by a hostile file can only
send data. Callers see `ReportParseError` and nothing else.
"""

from __future__ import annotations

import atexit
import dataclasses
import math
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
from .extract import RawDocument, RawLine, read_pdf_unbounded

MEMORY_LIMIT = 600 * 1024 * 1024
TIME_LIMIT = 20.0
# Starting the helper and passing a 20 MB file to it, on top of the child's own time.
_SLACK = 15.0

_REQUEST = struct.Struct(">Qdq")  # length of the file, seconds, bytes of memory
_REPLY = struct.Struct(">BQ")  # 0 for lines, 1 for a refusal; length of what follows
_READ, _REFUSED = 0, 1
_ROOT = str(Path(__file__).resolve().parents[2])

_lock = threading.Lock()
_helper: subprocess.Popen | None = None
_helper_pid = 0  # the process that started `_helper` (a forked web worker needs its own)


def read_pdf(data: bytes) -> RawDocument:
    """`data` read by `read_pdf_unbounded` in a child process held to the limits."""
    with _lock:
        helper = _running_helper()
        try:
            helper.stdin.write(_REQUEST.pack(len(data), TIME_LIMIT, MEMORY_LIMIT))
            helper.stdin.write(data)
            helper.stdin.flush()
            status, payload = _read_reply(helper.stdout.fileno(), TIME_LIMIT + _SLACK)
        except (OSError, EOFError, TimeoutError):
            _stop_helper()
            raise ReportParseError(errors.BOMB) from None
    if status == _REFUSED:
        raise ReportParseError(payload.decode())
    return _document(orjson.loads(payload))


def _running_helper() -> subprocess.Popen:
    global _helper, _helper_pid
    if _helper is not None and (_helper_pid != os.getpid() or _helper.poll() is not None):
        _helper = None
    if _helper is None:
        code = f"import sys; sys.path.insert(0, {_ROOT!r}); from {__name__} import serve; serve()"
        _helper = subprocess.Popen(  # noqa: S603 - this interpreter, this module, no shell
            [sys.executable, "-c", code],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            close_fds=True,
        )
        _helper_pid = os.getpid()
    return _helper


def _stop_helper() -> None:
    global _helper
    if _helper is not None and _helper_pid == os.getpid():
        _helper.kill()
        _helper.wait()
    _helper = None


atexit.register(_stop_helper)


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


# --- the helper process and its children ------------------------------------------------


def serve() -> None:
    """The helper's loop: one request at a time on stdin, one reply each on stdout."""
    requests, replies = 0, os.dup(1)
    os.dup2(2, 1)  # a library printing to stdout must not break the replies
    while True:
        try:
            head = _read_exact(requests, _REQUEST.size)
            length, seconds, memory = _REQUEST.unpack(head)
            data = _read_exact(requests, length)
        except EOFError:
            return  # the web or worker process has gone
        status, payload = _read_in_child(data, seconds, memory)
        try:
            _write_all(replies, _REPLY.pack(status, len(payload)) + payload)
        except OSError:
            return


def _read_in_child(data: bytes, seconds: float, memory: int) -> tuple[int, bytes]:
    """Fork, read `data` in the child under the limits, and collect its reply or kill it."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        try:
            os.close(read_end)
            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
            cpu = math.ceil(seconds) + 1  # a backstop: the helper kills it at `seconds`
            resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
            status, payload = _read(data)
            _write_all(write_end, _REPLY.pack(status, len(payload)) + payload)
        finally:
            os._exit(0)
    os.close(write_end)
    try:
        status, payload = _read_reply(read_end, seconds)
    except TimeoutError:
        os.kill(pid, signal.SIGKILL)
        status, payload = _REFUSED, errors.BOMB.encode()
    except EOFError:  # killed for want of memory, or crashed on the file
        status, payload = _REFUSED, errors.BOMB.encode()
    finally:
        os.close(read_end)
        os.waitpid(pid, 0)
    return status, payload


def _read(data: bytes) -> tuple[int, bytes]:
    try:
        return _READ, _plain(read_pdf_unbounded(data))
    except ReportParseError as error:
        return _REFUSED, str(error).encode()
    except MemoryError:
        return _REFUSED, errors.BOMB.encode()
    except Exception:  # any other failure on a file is a damaged file
        return _REFUSED, errors.CORRUPT.encode()
