"""A webhook receiver as an integrator would write one: a real HTTP server on 127.0.0.1
that checks the Standard Webhooks signature with its own code, written from the
specification and not from the sending code."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import hmac
import json
import ssl
import threading
import time
from collections.abc import Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class BadSignature(Exception):
    pass


def verify(
    *, secret: str, headers: Mapping[str, str], body: bytes, tolerance: int = 300
) -> dict[str, Any]:
    """What a receiver does before trusting a request; returns the parsed event.

    signed content = webhook-id + "." + webhook-timestamp + "." + body; the key is the
    base64 after "whsec_"; the header holds space-separated "v1,<base64 signature>".
    """
    lower = {name.lower(): value for name, value in headers.items()}
    try:
        msg_id = lower["webhook-id"]
        stamp = lower["webhook-timestamp"]
        header = lower["webhook-signature"]
    except KeyError as exc:
        raise BadSignature(f"missing header {exc}") from None
    if abs(time.time() - int(stamp)) > tolerance:
        raise BadSignature("timestamp outside the tolerance: a replay?")
    key = base64.b64decode(secret[len("whsec_") :])
    content = msg_id.encode() + b"." + stamp.encode() + b"." + body
    expected = base64.b64encode(hmac.new(key, content, hashlib.sha256).digest()).decode()
    for candidate in header.split():
        version, _, value = candidate.partition(",")
        if version == "v1" and hmac.compare_digest(value, expected):
            return json.loads(body)
    raise BadSignature("no signature matches")


@dataclasses.dataclass
class Received:
    headers: dict[str, str]
    body: bytes
    error: str  # "" when the signature checked
    event: dict[str, Any] | None


@dataclasses.dataclass
class Reply:
    status: int = 204
    body: bytes = b""
    delay: float = 0.0
    headers: dict[str, str] = dataclasses.field(default_factory=dict)


class Receiver:
    """Records every POST and answers with the scripted replies in turn (then 204)."""

    def __init__(self, secrets: list[str] | None = None, tls: ssl.SSLContext | None = None) -> None:
        self.secrets = list(secrets or [])
        self.tls = tls
        self.received: list[Received] = []
        self.replies: list[Reply] = []
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver._record(dict(self.headers), body)
                reply = receiver._next_reply()
                if reply.delay:
                    time.sleep(reply.delay)
                try:
                    self.send_response(reply.status)
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(reply.body)))
                    self.end_headers()
                    self.wfile.write(reply.body)
                except OSError:
                    pass  # the sender gave up waiting

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        if tls is not None:
            self.server.socket = tls.wrap_socket(self.server.socket, server_side=True)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        if self.tls is not None:  # the certificate names localhost
            return f"https://localhost:{self.server.server_port}/hooks/plans"
        return f"http://127.0.0.1:{self.server.server_port}/hooks/plans"

    def start(self) -> Receiver:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def script(self, *replies: Reply) -> None:
        with self.lock:
            self.replies.extend(replies)

    def _next_reply(self) -> Reply:
        with self.lock:
            return self.replies.pop(0) if self.replies else Reply()

    def _record(self, headers: dict[str, str], body: bytes) -> None:
        error, event = "no secret to check with", None
        for secret in self.secrets:
            try:
                event = verify(secret=secret, headers=headers, body=body)
                error = ""
                break
            except BadSignature as exc:
                error = str(exc)
        with self.lock:
            self.received.append(Received(headers, body, error, event))

    def events(self) -> list[dict[str, Any]]:
        """Events whose signature checked, in the order they arrived."""
        with self.lock:
            return [r.event for r in self.received if not r.error and r.event is not None]
