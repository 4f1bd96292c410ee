"""Every API operation × every role × token scope, generated from the OpenAPI schema.

Members of the council with a read-write token may do exactly what matrix.POLICIES says
(and get 403 otherwise); a read-only token gets 403 on every write; a director of another
council gets 404 for the plan's records (or lists without them); anonymous requests 401.
An operation in the schema without a policy fails test_every_operation_has_a_policy.
"""

from __future__ import annotations

import pytest
from django.db import transaction
from drf_spectacular.generators import SchemaGenerator

from tests.factories import UserFactory

from .matrix import MEMBERS, POLICIES, build_world

SCHEMA = SchemaGenerator().get_schema(request=None, public=True)
OPERATIONS = {
    operation["operationId"]: (method, operation)
    for path in SCHEMA["paths"].values()
    for method, operation in path.items()
}
WRITES = {"post", "put", "patch", "delete"}
PEOPLE = [*MEMBERS, "outsider"]


def test_every_operation_has_a_policy():
    missing = sorted(set(OPERATIONS) - set(POLICIES))
    assert not missing, f"operations without a permission policy: {missing}"
    stale = sorted(set(POLICIES) - set(OPERATIONS))
    assert not stale, f"policies for operations that no longer exist: {stale}"


def success_codes(operation_id: str) -> set[int]:
    policy = POLICIES[operation_id]
    if policy.ok:
        return set(policy.ok)
    responses = OPERATIONS[operation_id][1]["responses"]
    return {int(code) for code in responses if code.startswith("2")}


@pytest.fixture
def world(full_plan, director, officer, owner, reader, outsider):
    other_owner = UserFactory(role="Action owners", username="other_owner")
    return build_world(full_plan, director, officer, owner, reader, outsider, other_owner)


def call(client, method: str, path: str, body, fmt: str):
    return (
        getattr(client, method)(path, body, format=fmt)
        if body is not None or method in WRITES
        else getattr(client, method)(path)
    )


def expected_status(operation_id: str, person: str | None, scope: str | None) -> set[int]:
    method, _ = OPERATIONS[operation_id]
    policy = POLICIES[operation_id]
    if person is None:
        return {401}
    if scope == "read" and method in WRITES:
        return {403}
    if person == "outsider":
        return {200} if policy.outsider == "empty" else {policy.outsider}
    if person in policy.allowed:
        return success_codes(operation_id)
    return {policy.denied}


COMBINATIONS = [(None, None)] + [(p, s) for p in PEOPLE for s in ("read", "read-write")]


@pytest.mark.django_db
@pytest.mark.parametrize("operation_id", sorted(OPERATIONS))
def test_permission(operation_id, world, client_for):
    """All 13 people × scopes for one operation, each in a savepoint rolled back after it
    (so one person's change never sets up the next person's request)."""
    method, _ = OPERATIONS[operation_id]
    policy = POLICIES[operation_id]
    policy.request(world, world.officer)  # creates what is shared (e.g. a document) once
    wrong = []
    for person, scope in COMBINATIONS:
        user = getattr(world, person) if person else None
        with transaction.atomic():
            path, body, fmt = policy.request(world, user or world.officer)
            response = call(client_for(user, scope=scope or "read"), method, path, body, fmt)
            status = response.status_code
            if status not in expected_status(operation_id, person, scope):
                wrong.append((person, scope, status, getattr(response, "data", None)))
            elif status == 200 and policy.listed and person:
                ids = [row["id"] for row in response.json()["results"]]
                sees = person != "outsider" and (
                    policy.listed_for is None or person in policy.listed_for
                )
                if (getattr(world, policy.listed).pk in ids) != sees:
                    wrong.append((person, scope, "missing" if sees else "listed"))
            transaction.set_rollback(True)
    assert not wrong, wrong
