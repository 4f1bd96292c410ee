"""Two-step verification policy and administration: roles that must use it, resets by
an administrator (audited), and personal-data export and removal of the devices."""

import json
import re
from importlib import import_module

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import SESSION_KEY
from django.core.management import call_command
from django.test import Client
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.auth import two_step
from core.models import AuditEntry
from tests.core.test_settings import run_manage
from tests.factories import (
    TEST_PASSWORD,
    RecoveryCodesFactory,
    TOTPDeviceFactory,
    UserFactory,
    app_code,
)

SET_UP = "/accounts/two-step/set-up/"


@pytest.fixture
def directors_must(settings):
    settings.TWO_FACTOR_REQUIRED_ROLES = ["Directors"]


def sign_in(client, username):
    response = client.post("/accounts/login/", {"username": username, "password": TEST_PASSWORD})
    assert response.status_code == 302
    return response


def test_nobody_is_required_by_default(settings):
    assert settings.TWO_FACTOR_REQUIRED_ROLES == []


def test_a_role_that_needs_it_is_sent_to_set_it_up_and_can_use_nothing_else(
    client, director, directors_must
):
    sign_in(client, "director")

    for path in ["/", "/actions/", "/actions/mine/", "/accounts/preferences/", "/admin/"]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == SET_UP, path
    api = client.get("/api/v1/actions/")
    assert api.status_code == 403
    assert api["Content-Type"] == "application/problem+json"
    assert api.json()["code"] == "two_step_required"
    page = client.get(SET_UP)
    assert page.status_code == 200
    assert "Your role needs two-step verification" in page.content.decode()
    assert client.get("/accounts/two-step/").status_code == 200

    device = TOTPDevice.objects.get(user=director)
    assert client.post(SET_UP, {"code": app_code(device)}).status_code == 200
    assert client.get("/").status_code == 200
    assert client.get("/api/v1/actions/").status_code == 200


def test_they_can_still_sign_out(client, director, directors_must):
    sign_in(client, "director")
    assert client.post("/accounts/logout/")["Location"] == "/accounts/login/"
    assert SESSION_KEY not in client.session


def test_other_roles_are_not_asked(client, reader, directors_must):
    sign_in(client, "reader")
    assert client.get("/").status_code == 200


def test_a_role_that_needs_it_cannot_turn_it_off(client, director, directors_must):
    TOTPDeviceFactory(user=director)
    RecoveryCodesFactory(user=director, codes=["keep2345"])
    sign_in(client, "director")
    client.post("/accounts/login/code/", {"code": app_code(TOTPDevice.objects.get())})

    page = client.get("/accounts/two-step/turn-off/").content.decode()
    assert "cannot turn it off" in page
    response = client.post("/accounts/two-step/turn-off/", {"code": "keep2345"})

    assert "cannot be turned off" in response.content.decode()
    assert two_step.is_on(director)


def test_single_sign_on_people_are_not_asked_even_in_a_role_that_needs_it(
    client, db, directors_must
):
    person = UserFactory(username="dana@council.example.gov.uk", role="Directors")
    client.force_login(person, backend="core.auth.oidc.CouncilAccountBackend")
    assert client.get("/").status_code == 200


def test_an_unknown_role_in_the_policy_stops_the_service_starting():
    result = run_manage("check", DEBUG="true", TWO_FACTOR_REQUIRED_ROLES="Directors,Admins")
    assert result.returncode != 0
    assert "TWO_FACTOR_REQUIRED_ROLES" in result.stderr
    fine = run_manage("check", DEBUG="true", TWO_FACTOR_REQUIRED_ROLES="Directors,Policy officers")
    assert fine.returncode == 0, fine.stderr


@pytest.fixture
def administrator(db):
    return UserFactory(username="admin", is_staff=True, is_superuser=True)


def test_an_administrator_resets_it_for_someone_who_lost_their_phone(
    administrator, reader, django_capture_on_commit_callbacks
):
    TOTPDeviceFactory(user=reader)
    RecoveryCodesFactory(user=reader, codes=["abcd2345"])
    phone = Client()
    sign_in(phone, "reader")
    phone.post("/accounts/login/code/", {"code": app_code(TOTPDevice.objects.get())})
    phone_key = phone.session.session_key
    admin = Client()
    admin.force_login(administrator)
    change_page = admin.get(f"/admin/core/user/{reader.pk}/change/").content.decode()
    assert "On (1 recovery codes left)" in change_page

    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(
            "/admin/core/user/",
            {"action": "reset_two_step_verification", "_selected_action": [reader.pk]},
            follow=True,
        )

    assert "Two-step verification reset for reader" in response.content.decode()
    assert not TOTPDevice.objects.exists() and not StaticDevice.objects.exists()
    assert not StaticToken.objects.exists()
    entry = AuditEntry.objects.get(verb="two_step_reset")
    assert (entry.actor, entry.object_id) == (administrator, str(reader.pk))
    assert not import_module(django_settings.SESSION_ENGINE).SessionStore().exists(phone_key)
    # They sign in with the password alone again, and can set it up anew.
    assert sign_in(Client(), "reader")["Location"] == "/"


def test_resetting_someone_without_it_changes_nothing(administrator, reader):
    admin = Client()
    admin.force_login(administrator)
    response = admin.post(
        "/admin/core/user/",
        {"action": "reset_two_step_verification", "_selected_action": [reader.pk]},
        follow=True,
    )
    assert "did not have two-step verification on" in response.content.decode()
    assert not AuditEntry.objects.filter(verb="two_step_reset").exists()


def test_the_admin_never_shows_secret_keys(administrator):
    admin = Client()
    admin.force_login(administrator)
    assert admin.get("/admin/otp_totp/totpdevice/").status_code == 404
    assert admin.get("/admin/otp_static/staticdevice/").status_code == 404


def test_the_personal_data_export_lists_the_devices_without_their_secrets(reader, capsys, tmp_path):
    device = TOTPDeviceFactory(user=reader)
    RecoveryCodesFactory(user=reader, codes=["abcd2345"])

    call_command("export_personal_data", "reader")
    data = json.loads(capsys.readouterr().out)

    [app] = data["related"]["otp_totp.TOTPDevice.user"]
    assert app["name"] == "Authenticator app" and app["confirmed"] is True
    assert "key" not in app
    assert [d["name"] for d in data["related"]["otp_static.StaticDevice.user"]] == [
        "Recovery codes"
    ]
    exported = json.dumps(data)
    assert device.key not in exported and "abcd2345" not in exported


def test_removing_personal_data_removes_the_devices(reader):
    TOTPDeviceFactory(user=reader)
    RecoveryCodesFactory(user=reader, codes=["abcd2345"])

    call_command("remove_personal_data", "reader", "--no-input")

    assert not TOTPDevice.objects.exists()
    assert not StaticDevice.objects.exists() and not StaticToken.objects.exists()


def test_the_audit_log_never_holds_a_code_or_key(client, reader):
    device = TOTPDeviceFactory(user=reader)
    sign_in(client, "reader")
    code = app_code(device)
    client.post("/accounts/login/code/", {"code": code})
    everything = repr(list(AuditEntry.objects.values()))
    assert code not in everything and device.key not in everything
    assert re.search(r"password and authenticator app", everything)
