"""One HTTP POST to a receiver: short timeouts, no redirects, no proxies, checked address.

Connections are opened by `_CheckedConnection`, which resolves the host itself, refuses
the addresses targets.py refuses and connects to the address it checked; TLS still
verifies the certificate against the host name. Environment proxies are ignored
(`trust_env = False`): a proxy would make the address check meaningless.
"""

from __future__ import annotations

import dataclasses
import socket
import time

import requests
from django.conf import settings
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError

from . import targets

BODY_LOG_CHARS = 1000  # what the delivery log keeps of a receiver's answer
_READ_CHUNK = 4096


@dataclasses.dataclass(frozen=True)
class Answer:
    status: int | None  # None: no HTTP answer (refused, timed out, not allowed)
    body: str
    error: str
    duration_ms: int

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


class _CheckedMixin:
    def _new_conn(self) -> socket.socket:
        addresses = targets.resolve(self._dns_host, self.port)
        timeout = self.timeout if isinstance(self.timeout, int | float) else None
        last: OSError | None = None
        for family, sockaddr in addresses:
            sock = socket.socket(family, socket.SOCK_STREAM)
            try:
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                sock.settimeout(timeout)
                sock.connect(sockaddr)
                return sock
            except OSError as exc:
                last = exc
                sock.close()
        if isinstance(last, TimeoutError):
            raise ConnectTimeoutError(self, f"Connection to {self.host} timed out.")
        raise NewConnectionError(self, f"Failed to establish a new connection: {last}")


class _CheckedHTTPConnection(_CheckedMixin, HTTPConnection):
    pass


class _CheckedHTTPSConnection(_CheckedMixin, HTTPSConnection):
    pass


class _CheckedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _CheckedHTTPConnection


class _CheckedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _CheckedHTTPSConnection


class _CheckedAdapter(HTTPAdapter):
    def init_poolmanager(self, *args, **kwargs) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": _CheckedHTTPPool,
            "https": _CheckedHTTPSPool,
        }


def _session() -> requests.Session:
    session = requests.Session()
    session.trust_env = False
    adapter = _CheckedAdapter(max_retries=0)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


def _read_some(response: requests.Response, deadline: float) -> str:
    """The start of the answer's body, read within the deadline; the rest is dropped."""
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_content(_READ_CHUNK):
        chunks.append(chunk)
        size += len(chunk)
        if size >= BODY_LOG_CHARS * 4 or time.monotonic() > deadline:
            break
    return b"".join(chunks).decode("utf-8", errors="replace")[:BODY_LOG_CHARS]


def post(*, url: str, body: bytes, headers: dict[str, str]) -> Answer:
    """POST and report what happened; never raises for a network or receiver failure."""
    started = time.monotonic()
    read_timeout = settings.WEBHOOK_READ_TIMEOUT
    deadline = started + settings.WEBHOOK_CONNECT_TIMEOUT + read_timeout

    def elapsed() -> int:
        return int((time.monotonic() - started) * 1000)

    try:
        targets.check_url(url)
        with _session() as session:
            response = session.post(
                url,
                data=body,
                headers={
                    "Content-Type": "application/json",
                    "User-Agent": "closing-the-loop-webhooks/1",
                    **headers,
                },
                timeout=(settings.WEBHOOK_CONNECT_TIMEOUT, read_timeout),
                allow_redirects=False,
                stream=True,
            )
            with response:
                text = _read_some(response, deadline)
                status = response.status_code
    except targets.RefusedTarget as exc:
        return Answer(None, "", f"Refused: {exc}", elapsed())
    except requests.Timeout as exc:
        return Answer(None, "", f"Timed out: {_short(exc)}", elapsed())
    except requests.RequestException as exc:
        return Answer(None, "", f"{exc.__class__.__name__}: {_short(exc)}", elapsed())
    error = ""
    if 300 <= status < 400:
        error = f"Redirects are not followed (Location: {response.headers.get('Location', '')})"
    elif not 200 <= status < 300:
        error = f"The receiver answered {status}"
    return Answer(status, text, error[:2000], elapsed())


def _short(exc: Exception) -> str:
    return str(exc)[:500]
