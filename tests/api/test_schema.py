"""The OpenAPI schema validates with no warnings, and the documentation page renders."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command


def test_the_schema_validates_without_warnings():
    out = io.StringIO()
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null", stdout=out, stderr=out
    )


def test_every_operation_has_a_summary_and_documents_its_errors():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert operation.get("summary"), (method, path)
            codes = set(operation["responses"])
            assert {"401", "403", "429"} <= codes, (method, path)
            problem = operation["responses"]["401"]["content"]["application/problem+json"]
            assert problem["schema"] == {"$ref": "#/components/schemas/Problem"}


@pytest.mark.django_db
def test_the_schema_and_docs_are_served_without_a_token(client):
    assert client.get("/api/schema/").status_code == 200
    page = client.get("/api/docs/")
    assert page.status_code == 200
    assert b"swagger-ui-bundle.js" in page.content and b"cdn" not in page.content.lower()
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200 and script["Content-Type"].startswith("application/javascript")
    assert "script-src 'self'" in page["Content-Security-Policy"]
