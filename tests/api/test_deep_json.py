"""A JSON body nested far too deep is a bad request like any other, not a server error."""

from __future__ import annotations

import pytest

from core.api.parsers import MAX_DEPTH

pytestmark = pytest.mark.django_db


def send(client, body: str):
    return client.generic("POST", "/api/v1/actions/", body, content_type="application/json")


@pytest.mark.parametrize("depth", [100_000, 2_000, MAX_DEPTH + 1])
def test_a_body_nested_too_deep_is_a_400_problem(client_for, officer, plan, depth):
    for body in ("[" * depth + "]" * depth, '{"a":' * depth + "1" + "}" * depth):
        response = send(client_for(officer), body)
        assert response.status_code == 400, response.content[:200]
        assert response["Content-Type"] == "application/problem+json"
        problem = response.json()
        assert problem["code"] == "parse_error"
        assert f"nested more than {MAX_DEPTH} levels" in problem["detail"]


def test_a_body_at_the_depth_limit_is_read_as_usual(client_for, officer, plan):
    """It gets as far as validation: the fields are wrong, the body was read."""
    nested = "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1)
    response = send(client_for(officer), '{"title": ' + nested + "}")
    assert response.status_code == 400
    assert response.json()["code"] == "validation"
