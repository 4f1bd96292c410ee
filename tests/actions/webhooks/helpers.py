"""Small helpers for the webhook tests: subscriptions, a fake DNS, running due work."""

from __future__ import annotations

import ipaddress
import socket
from typing import Any

from django.utils import timezone

from actions.webhooks import delivery, dispatch, services
from actions.webhooks.models import Delivery, DeliveryStatus, Subscription

# Names the fake DNS answers for (everything else is a public address).
PRIVATE_NAMES = {"intranet.internal": "10.20.0.5", "metadata.internal": "169.254.169.254"}
PUBLIC_ADDRESS = "93.184.215.14"


def fake_getaddrinfo(host: str, port: Any, *args: Any, **kwargs: Any) -> list:
    """No query leaves the machine: IP literals and localhost resolve as usual, the
    PRIVATE_NAMES to their private addresses, anything else to one public address."""
    try:
        ipaddress.ip_address(host.strip("[]"))
        return socket.getaddrinfo(host, port, *args, **kwargs)
    except ValueError:
        pass
    if host == "localhost":
        return socket.getaddrinfo(host, port, *args, **kwargs)
    address = PRIVATE_NAMES.get(host, PUBLIC_ADDRESS)
    return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, int(port)))]


def subscribe(owner, url: str, events=("*",), organisation=None) -> tuple[Subscription, str]:
    return services.create_subscription(
        by=owner,
        name=f"{owner.username}'s system",
        url=url,
        event_types=events,
        organisation=organisation,
    )


def time_has_come() -> None:
    """Every pending delivery's next attempt is due now (instead of waiting for it)."""
    Delivery.objects.filter(status=DeliveryStatus.PENDING).update(next_attempt_at=timezone.now())


def run_due() -> list[str]:
    """What the sweep and a worker do, in this process: try every delivery due now."""
    return [delivery.deliver(delivery_id=pk).value for pk in dispatch.due()]
