"""The API keeps the contract its OpenAPI schema states, checked by Schemathesis.

Every operation in the schema is exercised in-process with requests generated from it:
the schema's own examples, the boundary and missing-value cases of its coverage phase,
and random requests, both valid ones and ones that break the schema. Every Schemathesis
check runs on every response: no server error; status, content type, headers and body as
documented; a request the schema allows is accepted and one it forbids is refused; auth
is never ignored.

A read-write token of a policy officer who is also a director (so that most operations
get past their permission check) against a small plan whose records have low ids (so that
generated path ids often find something).

Two answers depend on the state of a record rather than on the request's form, and no
schema can tell them in advance: 412 (the `If-Match` version is not the record's) and 422
(a rule of the plan refuses the change, e.g. signing off an action not yet complete).
Both are documented on every operation that can give them, and count as the server's
answer to a well-formed request here, as 404 and 409 do by default. So does a 400 whose
every error is `does_not_exist`: a body naming a record by an id that names none the
caller may use, the body's counterpart of a path id that answers 404.
"""

from __future__ import annotations

import os
import re

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import positive_data_acceptance

from actions.models import Measure
from actions.webhooks import services as webhooks
from config.wsgi import application
from tests.factories import UserFactory

EXAMPLES = int(os.environ.get("API_CONTRACT_EXAMPLES", "5"))

CONFIG = SchemathesisConfig.from_dict(
    {
        "seed": 20261203,
        "suppress-health-check": ["all"],
        "generation": {"mode": "all", "max-examples": EXAMPLES, "database": "none"},
        "phases": {
            "examples": {"enabled": True},
            "coverage": {"enabled": True},
            "fuzzing": {"enabled": True},
        },
        "checks": {
            "positive_data_acceptance": {
                "expected-statuses": ["2xx", "3xx", "401", "403", "404", "409", "412", "422", "429"]
            },
        },
    }
)


def names_only_unknown_records(response) -> bool:
    if response.status_code != 400:
        return False
    errors = response.json().get("errors") or [{}]
    return all(error.get("code") == "does_not_exist" for error in errors)


def valid_requests_are_accepted(ctx, response, case):
    """Schemathesis's positive_data_acceptance, with an unknown record named in the body
    counted as state, not as a refused form."""
    if names_only_unknown_records(response):
        return None
    return positive_data_acceptance(ctx, response, case)


@pytest.fixture
def contract_token(full_plan, make_token) -> str:
    chief = UserFactory(role="Policy officers", username="chief")
    chief.groups.add(*UserFactory(role="Directors", username="spare").groups.all())
    subscription, _ = webhooks.create_subscription(
        by=chief, name="Contract", url="https://receiver.example.org/hooks"
    )
    webhooks.send_ping(subscription=subscription, by=chief)  # a delivery in its log
    return make_token(chief, "read-write")


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """Requests go through the WSGI handler, which closes "old" database connections when
    a request starts and ends; on PostgreSQL that would close the test's transaction.
    Django's own test client disconnects the same handler."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


# Loaded when the module is collected: serving the schema needs no database.
schema = schemathesis.openapi.from_wsgi("/api/schema/", application, config=CONFIG)


@pytest.mark.django_db
@schema.parametrize()
def test_every_operation_keeps_the_contract(case, contract_token):
    case.call_and_validate(
        headers={"Authorization": f"Bearer {contract_token}"},
        excluded_checks=[positive_data_acceptance],
        additional_checks=[valid_requests_are_accepted],
    )


# What the review found, each held to the schema's word without generated data.


@pytest.fixture
def api(full_plan, director, client_for):
    return client_for(director)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/actions/?updated_since=",
        "/api/v1/actions/export/?updated_since=",
        "/api/v1/inspections/?updated_since=",
        "/api/v1/readings/?recorded_since=",
        "/api/v1/reminders/?scheduled_after=",
        "/api/v1/measures/?inspection=",
        "/api/v1/actions/?status=",
        "/api/v1/evidence/?returned=",
        "/api/v1/actions/?ordering=",
    ],
)
def test_an_empty_value_where_the_schema_declares_a_type_is_refused(api, url):
    response = api.get(url)
    assert response.status_code == 400
    name = url.split("?")[1].rstrip("=")
    assert [e["field"] for e in response.json()["errors"]] == [name]


@pytest.mark.django_db
def test_an_empty_search_is_free_text_and_filters_nothing(api):
    assert (
        api.get("/api/v1/actions/?q=").json()["results"]
        == api.get("/api/v1/actions/").json()["results"]
    )


@pytest.mark.django_db
def test_boolean_filters_take_the_words_their_schema_declares(api):
    for url in ["/api/v1/evidence/?returned=true", "/api/v1/recommendations/?priority=false"]:
        assert api.get(url).status_code == 200, url
    for url in ["/api/v1/progress-updates/?returned=1", "/api/v1/recommendations/?priority=2"]:
        assert api.get(url).status_code == 400, url
    declared = [
        p["schema"]
        for path in ("/api/v1/evidence/", "/api/v1/recommendations/", "/api/v1/webhooks/")
        for p in schema.raw_schema["paths"][path]["get"]["parameters"]
        if p["name"] in {"returned", "priority", "active"}
    ]
    assert declared == [{"type": "string", "enum": ["false", "true"]}] * 3


def test_the_schema_declares_a_cursor_as_the_server_reads_it():
    for path, operations in schema.raw_schema["paths"].items():
        for method, operation in operations.items():
            cursors = [p for p in operation.get("parameters", []) if p["name"] == "cursor"]
            if cursors:
                assert cursors[0]["schema"]["pattern"] == "^[A-Za-z0-9_-]+$", path
                assert "404" in operation["responses"], (method, path)


@pytest.mark.django_db
def test_json_text_and_booleans_are_refused_in_another_type(client_for, officer, plan):
    api = client_for(officer)
    response = api.patch(f"/api/v1/actions/{plan.pk}/", {"risks": 0}, format="json")
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "risks"
    assert api.patch(f"/api/v1/actions/{plan.pk}/", {"risks": "0"}).status_code == 200


@pytest.mark.django_db
def test_multipart_is_for_uploads_only(client_for, officer, plan):
    response = client_for(officer).patch(
        f"/api/v1/actions/{plan.pk}/", {"risks": "None"}, format="multipart"
    )
    assert response.status_code == 415


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["", "-", "."])
def test_a_decimal_needs_a_digit_in_the_schema_and_the_server(
    client_for, officer, full_plan, value
):
    measure = Measure.objects.get(action=full_plan)
    response = client_for(officer).post(
        f"/api/v1/measures/{measure.pk}/readings/", {"date": "2024-03-01", "value": value}
    )
    assert response.status_code == 400
    declared = schema.raw_schema["components"]["schemas"]["ReadingCreateRequest"]
    assert not re.fullmatch(declared["properties"]["value"]["pattern"], value)
