"""Error pages look like the service: its layout, a heading in the GOV.UK pattern's words,
and a way back to the dashboard."""

import pytest
from django.test import Client
from django.urls import include, path

from tests.factories import InspectionFactory


def _fails(request):
    raise RuntimeError("a bug")


urlpatterns = [path("fails/", _fails), path("", include("config.urls"))]


def assert_in_service_layout(body: str) -> None:
    assert "govuk-service-navigation" in body
    assert "govuk-footer" in body
    assert 'href="/"' in body  # the way back to the dashboard


def test_a_plan_that_does_not_exist_shows_page_not_found_in_the_layout(client, reader):
    client.force_login(reader)
    response = client.get("/inspections/999999/")
    assert response.status_code == 404
    body = response.content.decode()
    assert '<h1 class="govuk-heading-l">Page not found</h1>' in body
    assert_in_service_layout(body)
    # A signed-in person keeps the service's navigation.
    assert "Sign out reader" in body


def test_a_page_the_role_may_not_open_says_you_do_not_have_access(client, reader):
    client.force_login(reader)
    response = client.get("/inspections/import/")
    assert response.status_code == 403
    body = response.content.decode()
    assert "You do not have access" in body
    assert "Only policy officers import reports." in body
    assert_in_service_layout(body)


@pytest.mark.urls("tests.core.test_error_pages")
def test_a_bug_shows_sorry_there_is_a_problem_with_the_service(db):
    client = Client(raise_request_exception=False)
    response = client.get("/fails/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "Sorry, there is a problem with the service" in body
    assert "a bug" not in body
    assert "govuk-service-navigation" in body


def test_a_form_sent_without_its_csrf_token_says_what_to_do(db, reader):
    client = Client(enforce_csrf_checks=True)
    client.force_login(reader)
    inspection = InspectionFactory()
    response = client.post(f"/inspections/{inspection.pk}/deadline/", {"reason": "x"})
    assert response.status_code == 403
    body = response.content.decode()
    assert "Sorry, your form could not be sent" in body
    assert "reload the page and try again" in body
    assert_in_service_layout(body)


def test_a_bad_request_shows_the_service_page(client, db):
    # A Host header the service does not answer for is Django's classic 400.
    response = client.get("/", HTTP_HOST="not-this-service.example")
    assert response.status_code == 400
    body = response.content.decode()
    assert "Sorry, there is a problem with the request" in body
    assert_in_service_layout(body)
