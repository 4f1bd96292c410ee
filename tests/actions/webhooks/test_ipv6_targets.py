"""IPv6 addresses that carry an IPv4 address are judged by the address they carry.

NAT64, 6to4, Teredo, IPv4-compatible and IPv4-mapped addresses all lead to an IPv4
address; a receiver at one that carries the cloud metadata address or a private address
is refused when the subscription is saved (page and API) and again when a delivery
connects, where the name may resolve to something else than when it was saved.
"""

from __future__ import annotations

import socket

import pytest

from actions import services
from actions.webhooks import targets, transport
from actions.webhooks.models import Delivery, Subscription
from core.errors import DomainError
from tests.factories import ActionFactory, InspectionFactory, RecommendationFactory

from .helpers import fake_getaddrinfo, run_due, subscribe

# 169.254.169.254 (the metadata service), 10.0.0.1 and 127.0.0.1 inside each form.
HIDDEN_PRIVATE = {
    "nat64": "64:ff9b::a9fe:a9fe",
    "nat64-local-use-48": "64:ff9b:1:a9fe:a9:fe00::",
    "nat64-local-use-96": "64:ff9b:1::a00:1",
    "6to4": "2002:a9fe:a9fe::1",
    "teredo-client": "2001:0:5db8:d822::80ff:fffe",  # client 127.0.0.1, bits inverted
    "teredo-server": "2001:0:a00:1::f7f7:f7f7",  # server 10.0.0.1, client 8.8.8.8
    "ipv4-compatible": "::a9fe:a9fe",
    "ipv4-mapped": "::ffff:a9fe:a9fe",
}
# The same forms around a public address (8.8.8.8) are not refused for their form.
CARRYING_PUBLIC = ["64:ff9b::808:808", "2002:808:808::1", "::ffff:808:808"]

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def nothing_allowed(settings):
    settings.WEBHOOK_ALLOWED_NETWORKS = []


@pytest.mark.parametrize("address", HIDDEN_PRIVATE.values(), ids=HIDDEN_PRIVATE.keys())
def test_saving_a_receiver_at_a_private_address_inside_ipv6_is_refused(reader, address):
    with pytest.raises(DomainError, match="private, loopback or reserved") as refused:
        subscribe(reader, f"https://[{address}]/hooks")
    assert refused.value.field == "url"
    assert not Subscription.objects.exists()


@pytest.mark.parametrize("address", CARRYING_PUBLIC)
def test_the_same_forms_around_a_public_address_are_accepted(reader, address):
    subscribe(reader, f"https://[{address}]/hooks")
    assert Subscription.objects.count() == 1


@pytest.mark.parametrize("address", HIDDEN_PRIVATE.values(), ids=HIDDEN_PRIVATE.keys())
def test_the_admin_page_refuses_them(admin_client, reader, address):
    response = admin_client.post(
        "/admin/webhooks/subscription/add/",
        {
            "name": "Dashboard",
            "owner": reader.pk,
            "url": f"https://[{address}]/hooks",
            "event_types": ["*"],
            "organisation": "",
            "active": "on",
        },
    )
    assert response.status_code == 200
    assert "private, loopback or reserved" in response.content.decode()
    assert not Subscription.objects.exists()


@pytest.mark.parametrize("address", HIDDEN_PRIVATE.values(), ids=HIDDEN_PRIVATE.keys())
def test_a_name_resolving_to_them_when_sending_is_refused_at_connection(
    owner, reader, address, monkeypatch
):
    subscribe(reader, "https://receiver.example.org/hooks")  # public when saved

    def rebound(host, port, *args, **kwargs):
        if host == "receiver.example.org":
            return [(socket.AF_INET6, socket.SOCK_STREAM, 6, "", (address, int(port), 0, 0))]
        return fake_getaddrinfo(host, port, *args, **kwargs)

    connections = []

    class NoSocket:  # nothing may leave this machine, whatever the check decides
        def __init__(self, *args, **kwargs):
            pass

        def setsockopt(self, *args):
            pass

        def settimeout(self, *args):
            pass

        def connect(self, sockaddr):
            connections.append(sockaddr)
            raise OSError("no network in tests")

        def close(self):
            pass

    monkeypatch.setattr(targets, "getaddrinfo", rebound)
    monkeypatch.setattr(transport.socket, "socket", NoSocket)
    recommendation = RecommendationFactory(inspection=InspectionFactory())
    action = ActionFactory(recommendation=recommendation, owner=owner)
    services.record_progress(action=action, by=owner, text="Two teams trained")

    assert run_due() == ["retry"]
    error = Delivery.objects.get().last_error
    assert error.startswith("Refused") and "private, loopback or reserved" in error
    assert connections == []
