"""Signing in with two-step verification: after a correct password, a code from the
authenticator app (or a recovery code) before anything of the service is reachable.

Codes are computed here from the device's key with django-otp's RFC 6238 code
(tests.factories.app_code), as a phone would."""

import datetime as dt
import json
from importlib import import_module

import pytest
import time_machine
from django.conf import settings as django_settings
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.utils import timezone

from core.models import AuditEntry
from tests.factories import (
    TEST_PASSWORD,
    RecoveryCodesFactory,
    TOTPDeviceFactory,
    UserFactory,
    app_code,
)

ADDRESS = "192.0.2.80"
CODE_PAGE = "/accounts/login/code/"


@pytest.fixture
def device(reader):
    return TOTPDeviceFactory(user=reader)


def store():
    return import_module(django_settings.SESSION_ENGINE).SessionStore


def give_password(client, username="reader", next_url="/actions/mine/", path="/accounts/login/"):
    return client.post(
        path,
        {"username": username, "password": TEST_PASSWORD, "next": next_url},
        REMOTE_ADDR=ADDRESS,
    )


def give_code(client, code):
    return client.post(CODE_PAGE, {"code": code}, REMOTE_ADDR=ADDRESS)


def test_a_correct_password_leads_to_the_code_page_not_into_the_service(client, device):
    before = client.session
    before["chosen_filter"] = "red"
    before.save()
    client.cookies[django_settings.SESSION_COOKIE_NAME] = before.session_key

    response = give_password(client)

    assert client.session.session_key != before.session_key, "a new key at the password step"
    assert not store()().exists(before.session_key)
    assert response.status_code == 302
    assert response["Location"] == CODE_PAGE
    assert SESSION_KEY not in client.session
    page = client.get(CODE_PAGE)
    assert page.status_code == 200
    assert "Enter your security code" in page.content.decode()
    assert page["Cache-Control"].startswith("max-age=0")
    # Half signed in is not signed in: pages, the API (session authentication) and the
    # admin all treat the person as anonymous.
    assert client.get("/")["Location"].startswith("/accounts/login/")
    assert client.get("/actions/mine/").status_code == 302
    assert client.get("/api/v1/users/me/").status_code == 401
    assert client.get("/admin/")["Location"].startswith("/admin/login/")
    assert not AuditEntry.objects.filter(verb="sign_in").exists()


def test_the_right_code_signs_the_person_in_with_a_new_session(client, device, reader):
    give_password(client)
    half_signed_in_key = client.session.session_key

    response = give_code(client, app_code(device))

    assert response.status_code == 302
    assert response["Location"] == "/actions/mine/"
    assert client.session.session_key != half_signed_in_key
    assert not store()().exists(half_signed_in_key), "the pre-code session id must not live on"
    assert client.session[SESSION_KEY] == str(reader.pk)
    assert client.get("/actions/mine/").status_code == 200
    assert client.get("/api/v1/users/me/").json()["username"] == "reader"
    entry = AuditEntry.objects.get(verb="sign_in")
    assert (entry.actor, entry.ip) == (reader, ADDRESS)
    assert entry.summary == "Signed in (password and authenticator app)"


def test_a_wrong_code_is_refused_logged_and_audited_without_the_code(
    client, device, reader, json_lines, caplog
):
    give_password(client)
    wrong = "000000" if app_code(device) != "000000" else "111111"

    response = give_code(client, wrong)

    assert response.status_code == 200
    assert "The code is not right" in response.content.decode()
    assert SESSION_KEY not in client.session
    entry = AuditEntry.objects.get(verb="sign_in_failed")
    assert (entry.object_id, entry.ip, entry.actor) == (str(reader.pk), ADDRESS, None)
    assert entry.summary == "Sign-in failed for username 'reader': wrong two-step verification code"
    failure = next(line for line in json_lines() if line["event"] == "sign_in_failed")
    assert (failure["username"], failure["ip"], failure["level"]) == ("reader", ADDRESS, "WARNING")
    everything = caplog.text + json.dumps(json_lines()) + repr(list(AuditEntry.objects.values()))
    assert wrong not in everything
    assert TEST_PASSWORD not in everything


def test_success_is_logged_with_the_way_in(client, device, json_lines):
    give_password(client)
    give_code(client, app_code(device))

    events = [line["event"] for line in json_lines()]
    assert events == ["sign_in_code_requested", "sign_in"]
    sign_in = json_lines()[-1]
    assert sign_in["method"] == "password and authenticator app"
    assert sign_in["username"] == "reader"


def test_wrong_codes_are_throttled_on_the_device_whatever_the_session(device):
    start = timezone.now()
    first, second = Client(), Client()
    with time_machine.travel(start, tick=False):
        give_password(first)
        assert "not right" in give_code(first, "000001").content.decode()
        # One failure: the next code is not even checked for a second.
        refused = give_code(first, app_code(device))
        assert refused.status_code == 429
        assert "Too many wrong codes" in refused.content.decode()
    with time_machine.travel(start + dt.timedelta(seconds=2), tick=False):
        assert "not right" in give_code(first, "000002").content.decode()
    # Two failures: a two-second wait, also for a new sign-in from another browser.
    with time_machine.travel(start + dt.timedelta(seconds=3), tick=False):
        give_password(second)
        assert give_code(second, app_code(device)).status_code == 429
        assert SESSION_KEY not in second.session
    with time_machine.travel(start + dt.timedelta(seconds=5), tick=False):
        response = give_code(second, app_code(device))
        assert response.status_code == 302
        assert second.session[SESSION_KEY]
    failures = AuditEntry.objects.filter(verb="sign_in_failed").values_list("summary", flat=True)
    assert sum("too many wrong codes" in summary for summary in failures) == 2


def test_a_code_works_once(client, device):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        code = app_code(device)
        give_password(client)
        assert give_code(client, code).status_code == 302
        client.post("/accounts/logout/")
        give_password(client)
        replay = give_code(client, code)
    assert replay.status_code == 200
    assert "not right" in replay.content.decode()
    assert SESSION_KEY not in client.session


def test_a_recovery_code_signs_in_once(client, device, reader):
    RecoveryCodesFactory(user=reader, codes=["abcd2345", "efgh6789"])
    give_password(client)

    response = give_code(client, "ABCD-2345")

    assert response.status_code == 302
    assert "You have 1 left" in client.get(response["Location"]).content.decode()
    entry = AuditEntry.objects.get(verb="sign_in")
    assert entry.summary == "Signed in (password and recovery code)"
    client.post("/accounts/logout/")
    give_password(client)
    assert "not right" in give_code(client, "abcd2345").content.decode()
    assert SESSION_KEY not in client.session


def test_the_code_must_come_within_a_few_minutes(client, device, settings):
    assert settings.TWO_FACTOR_PENDING_SECONDS == 300
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        give_password(client)
    with time_machine.travel(start + dt.timedelta(minutes=5, seconds=1), tick=False):
        response = give_code(client, app_code(device))
        assert response.status_code == 302
        assert response["Location"] == "/accounts/login/"
        assert SESSION_KEY not in client.session
        assert "took too long" in client.get("/accounts/login/").content.decode()
        # Forgotten: the code page now sends people back to the password.
        assert client.get(CODE_PAGE)["Location"] == "/accounts/login/"


def test_the_code_page_needs_a_password_first(client, device):
    assert client.get(CODE_PAGE)["Location"] == "/accounts/login/"
    assert client.post(CODE_PAGE, {"code": app_code(device)})["Location"] == "/accounts/login/"
    assert SESSION_KEY not in client.session


def test_a_deactivated_person_cannot_finish_signing_in(client, device, reader):
    give_password(client)
    reader.is_active = False
    reader.save()
    assert give_code(client, app_code(device))["Location"] == "/accounts/login/"
    assert SESSION_KEY not in client.session


def test_the_admin_sign_in_asks_for_the_code_too(client, db):
    admin = UserFactory(username="admin", is_staff=True, is_superuser=True)
    device = TOTPDeviceFactory(user=admin)

    response = give_password(client, "admin", next_url="/admin/", path="/admin/login/")

    assert response["Location"] == CODE_PAGE
    assert client.get("/admin/")["Location"].startswith("/admin/login/")
    assert give_code(client, app_code(device))["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_the_admin_sign_in_page_still_signs_in_people_without_two_step(client, db):
    UserFactory(username="admin", is_staff=True, is_superuser=True)
    page = client.get("/admin/login/?next=/admin/")
    assert page.status_code == 200
    assert 'name="username"' in page.content.decode()
    response = give_password(client, "admin", next_url="/admin/", path="/admin/login/")
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_a_session_that_skipped_the_code_is_ended(client, device, reader):
    # A password-only session of someone with two-step verification on: not made by
    # the sign-in pages, which ask for the code, but refused however it came about.
    client.force_login(reader)

    response = client.get("/actions/mine/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert SESSION_KEY not in client.session
    entry = AuditEntry.objects.get(verb="sign_out")
    assert entry.summary == "Session ended: two-step verification not completed"


def test_without_two_step_verification_the_password_is_enough(client, reader):
    # An app whose setup was never finished does not count.
    TOTPDeviceFactory(user=reader, confirmed=False)
    response = give_password(client)
    assert response["Location"] == "/actions/mine/"
    assert client.get("/actions/mine/").status_code == 200
