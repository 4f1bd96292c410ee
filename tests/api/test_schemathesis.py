"""Every operation in the OpenAPI schema, exercised in-process with generated requests.

A read-write token of a policy officer who is also a director (so that most operations
get past their permission check) against a small plan whose records have low ids (so that
generated path ids often find something). No response may be a server error or
contradict the schema: its status, content type, headers and body must be documented.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from actions.webhooks import services as webhooks
from config.wsgi import application
from tests.factories import UserFactory

CHECKS = [
    schemathesis.checks.not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "5"))


@pytest.fixture
def fuzz_token(full_plan, make_token) -> str:
    chief = UserFactory(role="Policy officers", username="chief")
    chief.groups.add(*UserFactory(role="Directors", username="spare").groups.all())
    subscription, _ = webhooks.create_subscription(
        by=chief, name="Fuzzed", url="https://receiver.example.org/hooks"
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
schema = schemathesis.openapi.from_wsgi("/api/schema/", application)


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
    derandomize=True,
    database=None,
)
def test_no_operation_errors_or_contradicts_the_schema(case, fuzz_token):
    case.call_and_validate(headers={"Authorization": f"Bearer {fuzz_token}"}, checks=CHECKS)
