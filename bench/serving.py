"""Starting a server for a benchmark: a free loopback port, and waiting until it answers."""

from __future__ import annotations

import http.client
import socket
import time


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_serving(port: int, timeout: float = 60) -> None:
    """Until both workers answer: the master listens before its workers are ready."""
    deadline, answered = time.monotonic() + timeout, 0
    while time.monotonic() < deadline and answered < 6:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/healthz")
            answered += conn.getresponse().status == 200
            conn.close()
        except OSError:
            time.sleep(0.3)
    if answered < 6:
        raise SystemExit("the server did not start")
