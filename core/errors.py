"""Errors that services raise and that pages and the API turn into messages."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A rule of the domain refused the operation; the message is for the person."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class TooLarge(DomainError):
    """An upload over its size limit: pages show the message, the API answers 413."""


class Conflict(DomainError):
    """Someone else changed the record since it was read (optimistic concurrency)."""

    def __init__(self, current: Any):
        super().__init__(
            "Someone else changed this action while you were editing it. "
            "Check the current values below and make your change again."
        )
        self.current = current
