"""Sign-in throttling: a username and address are locked out after repeated failures."""

import datetime as dt

import time_machine
from django.utils import timezone

from core.models import AuditEntry
from tests.factories import TEST_PASSWORD

ADDRESS = "203.0.113.7"


def sign_in(client, password, *, username="reader", address=ADDRESS):
    return client.post(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address
    )


def fail_until_locked(client, settings):
    responses = [sign_in(client, "wrong password") for _ in range(settings.AXES_FAILURE_LIMIT)]
    assert [r.status_code for r in responses[:-1]] == [200] * (settings.AXES_FAILURE_LIMIT - 1)
    return responses[-1]


def test_the_limit_and_wait_come_from_settings(settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME * 60 == 15
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]


def test_repeated_failures_lock_out_the_username_from_that_address(client, reader, settings):
    locked = fail_until_locked(client, settings)

    assert locked.status_code == 429
    body = locked.content.decode()
    assert "Too many attempts to sign in" in body
    assert "You can try again in 15 minutes" in body
    assert 'class="govuk-heading-l"' in body

    # Even the right password is refused while locked out.
    again = sign_in(client, TEST_PASSWORD)
    assert again.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lockout_is_recorded_in_the_audit_log(client, reader, settings):
    fail_until_locked(client, settings)

    failures = AuditEntry.objects.filter(verb="sign_in_failed").order_by("id")
    assert failures.count() == settings.AXES_FAILURE_LIMIT
    assert failures.last().summary.endswith("(locked out)")
    assert failures.last().ip == ADDRESS
    assert failures.last().object_id == str(reader.pk)


def test_another_address_can_still_sign_in_as_that_person(client, reader, settings):
    fail_until_locked(client, settings)

    response = sign_in(client, TEST_PASSWORD, address="198.51.100.20")
    assert response.status_code == 302


def test_the_lockout_ends_after_the_wait(client, reader, settings):
    fail_until_locked(client, settings)

    with time_machine.travel(timezone.now() + dt.timedelta(minutes=16)):
        response = sign_in(client, TEST_PASSWORD)
    assert response.status_code == 302


def test_a_successful_sign_in_resets_the_count(client, reader, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "wrong password")
    assert sign_in(client, TEST_PASSWORD).status_code == 302
    client.post("/accounts/logout/")

    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "wrong password").status_code == 200
    assert sign_in(client, TEST_PASSWORD).status_code == 302


def test_the_admin_sign_in_is_throttled_too(client, db, settings):
    from tests.factories import UserFactory

    UserFactory(username="admin", is_staff=True, is_superuser=True)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(
            "/admin/login/?next=/admin/",
            {"username": "admin", "password": "wrong"},
            REMOTE_ADDR=ADDRESS,
        )
    assert response.status_code == 429


def test_behind_a_proxy_the_address_is_the_one_the_proxy_saw(client, reader, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    client.post(
        "/accounts/login/",
        {"username": "reader", "password": "wrong"},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.9",
    )
    assert AuditEntry.objects.get(verb="sign_in_failed").ip == "203.0.113.9"
