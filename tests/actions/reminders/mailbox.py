"""An e-mail backend for worker processes in tests: one file per message in
REMINDER_TEST_MAILDIR, plus switches (files in the same folder) to fail or to die."""

from __future__ import annotations

import os
import signal
import smtplib
import uuid
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend

FAIL_NEXT = "fail-next"  # holds a number: fail that many sends, then work
DIE_AFTER_SEND = "die-after-send"  # present: write the message, then SIGKILL this process


def maildir() -> Path:
    return Path(os.environ["REMINDER_TEST_MAILDIR"])


def read_messages(folder: Path) -> list[dict[str, str]]:
    messages = []
    for path in sorted(folder.glob("*.eml"), key=lambda p: p.stat().st_mtime_ns):
        headers, _, body = path.read_text().partition("\n\n")
        fields = dict(line.split(": ", 1) for line in headers.splitlines())
        messages.append({**fields, "body": body})
    return messages


class RecordingBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        folder = maildir()
        for message in email_messages:
            failures = folder / FAIL_NEXT
            if failures.exists() and int(failures.read_text() or 0) > 0:
                failures.write_text(str(int(failures.read_text()) - 1))
                raise smtplib.SMTPServerDisconnected("test: connection unexpectedly closed")
            text = (
                f"To: {', '.join(message.to)}\n"
                f"Subject: {message.subject}\n"
                f"Message-ID: {message.extra_headers.get('Message-ID', '')}\n\n"
                f"{message.body}"
            )
            temporary = folder / f".{uuid.uuid4().hex}.tmp"
            temporary.write_text(text)
            temporary.rename(folder / f"{uuid.uuid4().hex}.eml")
            die = folder / DIE_AFTER_SEND
            if die.exists():
                die.unlink()
                # The mail server has the message; the worker dies before recording it.
                os.kill(os.getpid(), signal.SIGKILL)
        return len(email_messages)
