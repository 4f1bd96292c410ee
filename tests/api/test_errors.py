"""Every error is an RFC 9457 problem document with a stable `code`."""

from __future__ import annotations

import pytest

from actions.models import Action

pytestmark = pytest.mark.django_db


def problem(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status and body["code"] == code
    assert body["type"] == f"urn:closing-the-loop:problem:{code}"
    assert body["title"] and body["detail"]
    return body


def test_invalid_input_lists_each_field(client_for, officer, plan):
    body = problem(client_for(officer).post("/api/v1/actions/", {"title": ""}), 400, "validation")
    fields = {error["field"] for error in body["errors"]}
    assert {"plan", "title"} <= fields


def test_a_domain_rule_is_422_with_the_field(client_for, director, plan):
    response = client_for(director).post(
        f"/api/v1/actions/{plan.pk}/move-due-date/", {"new_date": str(plan.due_date), "reason": "x"}
    )
    body = problem(response, 422, "domain_rule")
    assert body["errors"] == [
        {
            "field": "new_date",
            "code": "domain_rule",
            "message": "The new date is the same as the current one.",
        }
    ]


def test_a_role_without_the_permission_is_403(client_for, reader, plan):
    problem(
        client_for(reader).post(f"/api/v1/actions/{plan.pk}/complete/"), 403, "permission_denied"
    )


def test_an_invisible_record_is_404(client_for, outsider, plan):
    problem(client_for(outsider).get(f"/api/v1/actions/{plan.pk}/"), 404, "not_found")


def test_an_unknown_address_is_a_404_problem(client_for, director):
    problem(client_for(director).get("/api/v1/nothing-here/"), 404, "not_found")


def test_a_wrong_method_is_405(client_for, director, plan):
    problem(client_for(director).delete(f"/api/v1/actions/{plan.pk}/"), 405, "method_not_allowed")


def test_a_body_that_is_not_json_is_400(client_for, officer, plan):
    response = client_for(officer).generic(
        "POST", "/api/v1/actions/", "{nope", content_type="application/json"
    )
    problem(response, 400, "parse_error")


def test_an_unsupported_media_type_is_415(client_for, officer, plan):
    response = client_for(officer).generic(
        "POST", "/api/v1/actions/", "x", content_type="text/plain"
    )
    problem(response, 415, "unsupported_media_type")


def test_patch_refuses_fields_only_state_changes_may_set(client_for, officer, plan):
    body = problem(
        client_for(officer).patch(
            f"/api/v1/actions/{plan.pk}/", {"status": "closed", "title": "x"}
        ),
        400,
        "validation",
    )
    assert body["errors"][0]["field"] == "status"
    assert Action.objects.get(pk=plan.pk).status == "not_started"


def test_the_rate_limit_is_per_token_and_429_says_when_to_retry(client_for, director, settings):
    settings.API_THROTTLE_TOKEN_RATE = "3/minute"
    first, second = client_for(director), client_for(director)
    for _ in range(3):
        assert first.get("/api/v1/users/me/").status_code == 200
    response = first.get("/api/v1/users/me/")
    problem(response, 429, "throttled")
    assert int(response["Retry-After"]) > 0
    assert second.get("/api/v1/users/me/").status_code == 200  # another token, its own count


def test_anonymous_requests_are_not_throttled_before_they_are_refused(client, settings):
    settings.API_THROTTLE_ANON_RATE = "1/minute"
    for _ in range(3):
        assert client.get("/api/v1/actions/").status_code == 401
