"""How a reminder leaves: Django's mail framework (default) or GOV.UK Notify.

Both raise TransientDeliveryError for failures worth retrying (connection refused,
timeouts, 5xx, rate limits) and PermanentDeliveryError for those that are not (an
address refused, a bad API key or template).
"""

from __future__ import annotations

import smtplib
from typing import Protocol
from urllib.parse import urlparse

from django.conf import settings
from django.core.mail import EmailMultiAlternatives

from .content import Content


class TransientDeliveryError(Exception):
    """Sending failed in a way that may succeed later."""


class PermanentDeliveryError(Exception):
    """Sending failed in a way that retrying will not fix."""


class Channel(Protocol):
    name: str

    def send(self, *, to: str, content: Content, reference: str) -> str:
        """Send; return the provider's reference for the message."""

    def find_sent(self, *, reference: str) -> str | None:
        """The provider's reference of a message already sent with `reference`, if it can
        tell (used after a worker died mid-send)."""


def message_reference(reminder_id: int) -> str:
    """Stable per reminder and per site, so a repeat is recognisable downstream."""
    host = urlparse(settings.SITE_URL).hostname or "localhost"
    return f"reminder-{reminder_id}@{host}"


class EmailChannel:
    name = "email"

    def send(self, *, to: str, content: Content, reference: str) -> str:
        message_id = f"<{reference}>"
        message = EmailMultiAlternatives(
            subject=content.subject,
            body=content.text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[to],
            # The same Message-ID on a repeat lets mail clients recognise it.
            headers={"Message-ID": message_id, "Auto-Submitted": "auto-generated"},
        )
        message.attach_alternative(content.html, "text/html")
        try:
            message.send()
        except smtplib.SMTPRecipientsRefused as exc:
            raise PermanentDeliveryError(f"address refused: {exc.recipients}") from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise TransientDeliveryError(f"{exc.__class__.__name__}: {exc}") from exc
        return message_id

    def find_sent(self, *, reference: str) -> str | None:
        return None  # SMTP cannot be asked what it already accepted


class NotifyChannel:
    """GOV.UK Notify, through one e-mail template with ((subject)) and ((body)) fields."""

    name = "notify"

    def __init__(self) -> None:
        from notifications_python_client.notifications import NotificationsAPIClient

        self.client = NotificationsAPIClient(
            settings.NOTIFY_API_KEY,
            base_url=settings.NOTIFY_BASE_URL,
            timeout=settings.NOTIFY_TIMEOUT,
        )

    @staticmethod
    def _error(exc: Exception) -> Exception:
        status = getattr(exc, "status_code", 503)
        text = f"Notify {status}: {getattr(exc, 'message', exc)}"
        if status == 429 or status >= 500:
            return TransientDeliveryError(text)
        return PermanentDeliveryError(text)

    def send(self, *, to: str, content: Content, reference: str) -> str:
        from notifications_python_client.errors import APIError

        try:
            response = self.client.send_email_notification(
                email_address=to,
                template_id=settings.NOTIFY_TEMPLATE_ID,
                personalisation={"subject": content.subject, "body": content.text},
                reference=reference,
            )
        except APIError as exc:
            raise self._error(exc) from exc
        return str(response["id"])

    def find_sent(self, *, reference: str) -> str | None:
        from notifications_python_client.errors import APIError

        try:
            found = self.client.get_all_notifications(reference=reference)
        except APIError as exc:
            raise self._error(exc) from exc
        for notification in found.get("notifications", []):
            if notification.get("status") not in {"permanent-failure", "technical-failure"}:
                return str(notification["id"])
        return None


def get_channel() -> Channel:
    if settings.REMINDER_CHANNEL == "notify":
        return NotifyChannel()
    return EmailChannel()
