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


_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")
# Where RFC 6052 puts the IPv4 address for each prefix length in 64:ff9b:1::/48 (bits 64 to
# 71 are always zero and skipped): the operator chooses the length, so each one is read.
_NAT64_LOCAL_BITS = ((48, 64, 72, 88), (56, 64, 72, 96), (72, 104), (96, 128))


def _bits(value: int, start: int, end: int) -> int:
    """Bits `start` to `end` (counted from the left, end excluded) of a 128-bit value."""
    return (value >> (128 - end)) & ((1 << (end - start)) - 1)


def embedded_ipv4(address: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses that an IPv6 address leads to, in every form that embeds one.

    IPv4-mapped (::ffff:0:0/96) and IPv4-compatible (::/96) addresses, NAT64 (64:ff9b::/96
    and the local-use 64:ff9b:1::/48, every prefix length), 6to4 (2002::/16) and Teredo
    (2001::/32: its server, and its client, stored with every bit inverted). A connection
    to any of them can end at the IPv4 address inside, so that address is checked too.
    """
    value = int(address)
    found: list[int] = []
    if address.ipv4_mapped is not None:
        found.append(int(address.ipv4_mapped))
    elif address.sixtofour is not None:
        found.append(int(address.sixtofour))
    elif address.teredo is not None:
        server, client = address.teredo  # the library inverts the client's bits back
        found += [int(server), int(client)]
    elif address in _NAT64 or address in _IPV4_COMPATIBLE:
        found.append(_bits(value, 96, 128))
    elif address in _NAT64_LOCAL:
        for spans in _NAT64_LOCAL_BITS:
            number = 0
            for start, end in zip(spans[::2], spans[1::2], strict=True):
                number = (number << (end - start)) | _bits(value, start, end)
            found.append(number)
    return [ipaddress.IPv4Address(number) for number in found]


def address_allowed(address: IPAddress) -> bool:
    """A listed network, or an internet address; for IPv6, any IPv4 inside it as well."""
    if any(address in network for network in _allowed_networks()):
        return True
    if isinstance(address, ipaddress.IPv6Address):
        inside = embedded_ipv4(address)
        if inside and not all(address_allowed(ipv4) for ipv4 in inside):
            return False
        if address.ipv4_mapped or address in _NAT64 or address in _IPV4_COMPATIBLE:
            return bool(inside)  # these are their IPv4 address, nothing more
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
