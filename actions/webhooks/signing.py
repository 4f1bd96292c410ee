"""Signatures as the Standard Webhooks specification defines them.

    webhook-id         the message id (the same on every retry)
    webhook-timestamp  seconds since the epoch, when the attempt was made
    webhook-signature  "v1,<base64 of HMAC-SHA256(key, id + "." + timestamp + "." + body)>"

The key is the base64 part of a `whsec_…` secret. While a rotated-out secret is still in
its grace period the header carries both signatures, space-separated, so a receiver can
move to the new secret without refusing a message. Receivers can verify with any Standard
Webhooks library.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

PREFIX = "whsec_"


def new_secret() -> str:
    """256 random bits in the Standard Webhooks format."""
    return PREFIX + base64.b64encode(secrets.token_bytes(32)).decode("ascii")


def signature(*, secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    key = base64.b64decode(secret.removeprefix(PREFIX))
    signed = f"{msg_id}.{timestamp}.".encode() + body
    digest = hmac.new(key, signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode("ascii")


def headers(*, secrets: list[str], msg_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    """The three Standard Webhooks headers, signed with every secret given."""
    signatures = [
        signature(secret=secret, msg_id=msg_id, timestamp=timestamp, body=body)
        for secret in secrets
    ]
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": " ".join(signatures),
    }
