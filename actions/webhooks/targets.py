"""Where webhooks may be sent: never, by default, into the council's own network.

A subscription's URL is a request the server makes on someone's behalf, so a careless or
hostile URL could reach the database, the cache or a cloud metadata service. Targets that
resolve to private, loopback, link-local, multicast or reserved addresses are refused
unless WEBHOOK_ALLOWED_NETWORKS lists them; plain http is refused unless WEBHOOK_ALLOW_HTTP
(on with DEBUG).

The check runs when a URL is saved (a clear message at once) and again on every attempt,
where the connection is made to the very address that was checked: a name that resolves
to a public address when saved and to 127.0.0.1 later (DNS rebinding) is still refused.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# Replaced in tests that must not ask a real DNS server.
getaddrinfo = socket.getaddrinfo


class RefusedTarget(Exception):
    """The URL may not be used; the message says why, for the person who gave it."""


def _allowed_networks() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [ipaddress.ip_network(net, strict=False) for net in settings.WEBHOOK_ALLOWED_NETWORKS]


def address_allowed(address: IPAddress) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1
    if any(address in network for network in _allowed_networks()):
        return True
    return address.is_global and not address.is_multicast


def resolve(host: str, port: int) -> list[tuple[socket.AddressFamily, tuple]]:
    """Every address the host resolves to, each checked; refused if any is not allowed.

    All of them, not the first: a name with one public and one private address must not
    reach the private one when the public one does not answer.
    """
    try:
        found = getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise RefusedTarget(f"The host name {host} could not be resolved.") from exc
    addresses = []
    for family, _type, _proto, _name, sockaddr in found:
        address = ipaddress.ip_address(sockaddr[0].split("%", 1)[0])
        if not address_allowed(address):
            raise RefusedTarget(
                f"{host} resolves to {address}, a private, loopback or reserved address: "
                "webhooks are sent only to addresses on the internet (WEBHOOK_ALLOWED_NETWORKS)."
            )
        addresses.append((family, sockaddr))
    if not addresses:
        raise RefusedTarget(f"The host name {host} could not be resolved.")
    return addresses


def check_url(url: str) -> None:
    """Refuse a URL that may not receive webhooks (RefusedTarget says why)."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise RefusedTarget("Enter a valid URL.") from exc
    if parts.scheme not in ("https", "http"):
        raise RefusedTarget("Enter a URL starting with https://.")
    if parts.scheme == "http" and not settings.WEBHOOK_ALLOW_HTTP:
        raise RefusedTarget("Webhooks are sent only over https: enter a URL starting https://.")
    if parts.username or parts.password:
        raise RefusedTarget(
            "Leave credentials out of the URL: receivers check the webhook signature instead."
        )
    if not parts.hostname:
        raise RefusedTarget("Enter a URL with a host name.")
    resolve(parts.hostname, port or (443 if parts.scheme == "https" else 80))
