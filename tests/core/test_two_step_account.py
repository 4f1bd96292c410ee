"""Turning two-step verification on and off, and recovery codes, from Your settings."""

import datetime as dt
import re
from base64 import b32decode
from importlib import import_module

import pytest
import time_machine
from django.conf import settings as django_settings
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.auth import two_step
from core.models import AuditEntry
from tests.factories import (
    TEST_PASSWORD,
    RecoveryCodesFactory,
    TOTPDeviceFactory,
    UserFactory,
    app_code,
)

SET_UP = "/accounts/two-step/set-up/"


def wrong_code(device) -> str:
    """Six digits that none of the codes the server accepts right now match."""
    accepted = {app_code(device, steps_ahead=step) for step in (-1, 0, 1)}
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in accepted)


def key_on_page(html: str) -> bytes:
    """The key shown for typing in by hand, as an app would read it."""
    shown = re.search(r'id="two-step-key">([A-Z2-7 ]+)<', html).group(1)
    return b32decode(shown.replace(" ", ""))


def recovery_codes_on_page(html: str) -> list[str]:
    block = re.search(
        r'<ul class="govuk-list app-secret" id="recovery-codes">(.*?)</ul>', html, re.S
    )
    return re.findall(r"<li>([a-z2-7]+)</li>", block.group(1))


@pytest.fixture
def signed_in(client, reader):
    client.post("/accounts/login/", {"username": "reader", "password": TEST_PASSWORD})
    return client


def turn_on(client) -> tuple[bytes, list[str]]:
    key = key_on_page(client.get(SET_UP).content.decode())
    response = client.post(SET_UP, {"code": app_code(key)})
    assert response.status_code == 200, response.content
    return key, recovery_codes_on_page(response.content.decode())


def test_the_settings_page_says_it_is_off_and_offers_to_set_it_up(signed_in):
    assert "/accounts/two-step/" in signed_in.get("/accounts/preferences/").content.decode()
    page = signed_in.get("/accounts/two-step/").content.decode()
    assert re.search(r'id="two-step-status">Off<', page)
    assert f'href="{SET_UP}"' in page


def test_setting_up_shows_a_qr_code_and_the_key_and_confirms_with_a_code(signed_in, reader):
    page = signed_in.get(SET_UP)
    html = page.content.decode()

    assert page["Cache-Control"].startswith("max-age=0") and "no-store" in page["Cache-Control"]
    assert re.search(r'<img class="app-qr-code" src="data:image/svg\+xml;[^"]+" alt="QR code', html)
    device = TOTPDevice.objects.get(user=reader)
    assert not device.confirmed, "the app only counts once a code from it is given"
    assert key_on_page(html) == device.bin_key
    # Reloading keeps the key the person may already have scanned.
    assert key_on_page(signed_in.get(SET_UP).content.decode()) == device.bin_key

    refused = signed_in.post(SET_UP, {"code": wrong_code(device)})
    assert "The code is not right" in refused.content.decode()
    assert not two_step.is_on(reader)

    with time_machine.travel(timezone.now() + dt.timedelta(seconds=2), tick=False):
        done = signed_in.post(SET_UP, {"code": app_code(device)})
    html = done.content.decode()
    assert "Save your recovery codes" in html
    assert "Two-step verification is on." in html
    assert "no-store" in done["Cache-Control"]
    codes = recovery_codes_on_page(html)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert sorted(codes) == sorted(
        StaticToken.objects.filter(device__user=reader).values_list("token", flat=True)
    )
    assert two_step.is_on(reader)
    entry = AuditEntry.objects.get(verb="two_step_on")
    assert (entry.actor, entry.object_id) == (reader, str(reader.pk))
    # The codes are shown once: the settings page only counts them.
    page = signed_in.get("/accounts/two-step/").content.decode()
    assert re.search(r'id="two-step-status">On<', page)
    assert not any(code in page for code in codes)
    # This session proved the app works: it goes on without signing in again.
    assert signed_in.get("/actions/mine/").status_code == 200


def test_turning_it_on_ends_the_persons_other_sessions(
    signed_in, reader, django_capture_on_commit_callbacks
):
    laptop = Client()
    laptop.post("/accounts/login/", {"username": "reader", "password": TEST_PASSWORD})
    laptop_key = laptop.session.session_key

    with django_capture_on_commit_callbacks(execute=True):
        turn_on(signed_in)

    assert not import_module(django_settings.SESSION_ENGINE).SessionStore().exists(laptop_key)
    assert laptop.get("/actions/mine/").status_code == 302
    assert signed_in.get("/actions/mine/").status_code == 200


def test_the_next_sign_in_asks_for_the_code(signed_in):
    key, _ = turn_on(signed_in)
    signed_in.post("/accounts/logout/")

    response = signed_in.post("/accounts/login/", {"username": "reader", "password": TEST_PASSWORD})

    assert response["Location"] == "/accounts/login/code/"
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=31), tick=False):
        assert signed_in.post("/accounts/login/code/", {"code": app_code(key)}).status_code == 302
    assert signed_in.get("/").status_code == 200


def test_new_recovery_codes_need_a_current_code_and_replace_the_old_ones(signed_in, reader):
    _, old_codes = turn_on(signed_in)
    device = TOTPDevice.objects.get(user=reader)

    refused = signed_in.post("/accounts/two-step/recovery-codes/", {"code": wrong_code(device)})
    assert "not right" in refused.content.decode()
    assert recovery_codes_on_page(
        signed_in.post(
            "/accounts/two-step/recovery-codes/", {"code": old_codes[0]}
        ).content.decode()
    )
    new_codes = set(StaticToken.objects.values_list("token", flat=True))
    assert len(new_codes) == 10 and not new_codes & set(old_codes)
    assert AuditEntry.objects.filter(verb="recovery_codes_replaced", actor=reader).count() == 1


def test_turning_it_off_needs_a_current_code(signed_in, reader, json_lines):
    key, _ = turn_on(signed_in)
    device = TOTPDevice.objects.get(user=reader)
    page = signed_in.get("/accounts/two-step/turn-off/")
    assert "Turn off two-step verification" in page.content.decode()

    refused = signed_in.post("/accounts/two-step/turn-off/", {"code": wrong_code(device)})
    assert "not right" in refused.content.decode()
    assert two_step.is_on(reader)
    [line] = [line for line in json_lines() if line["event"] == "two_step_code_refused"]
    assert (line["username"], line["level"]) == ("reader", "WARNING")

    with time_machine.travel(timezone.now() + dt.timedelta(seconds=31), tick=False):
        response = signed_in.post("/accounts/two-step/turn-off/", {"code": app_code(key)})
    assert response["Location"] == "/accounts/two-step/"
    assert not two_step.is_on(reader)
    assert not StaticToken.objects.exists(), "recovery codes go with the app"
    assert AuditEntry.objects.filter(verb="two_step_off", actor=reader).count() == 1
    signed_in.post("/accounts/logout/")
    again = signed_in.post("/accounts/login/", {"username": "reader", "password": TEST_PASSWORD})
    assert again["Location"] == "/"


def test_a_recovery_code_can_turn_it_off_after_a_lost_phone(client, reader):
    TOTPDeviceFactory(user=reader)
    RecoveryCodesFactory(user=reader, codes=["lost2345", "phone234"])
    client.post("/accounts/login/", {"username": "reader", "password": TEST_PASSWORD})
    client.post("/accounts/login/code/", {"code": "lost2345"})

    response = client.post("/accounts/two-step/turn-off/", {"code": "phone234"})

    assert response.status_code == 302
    assert not two_step.is_on(reader)


def test_people_who_sign_in_with_single_sign_on_are_told_their_provider_does_it(client, db):
    person = UserFactory(username="jane@council.example.gov.uk", role="Readers")
    person.set_unusable_password()
    person.save()
    client.force_login(person, backend="core.auth.oidc.CouncilAccountBackend")

    page = client.get("/accounts/two-step/").content.decode()

    assert "You sign in with your council account" in page
    assert "identity provider" in page
    assert SET_UP not in page
    assert client.get(SET_UP)["Location"] == "/accounts/two-step/"
    assert not TOTPDevice.objects.exists()


def test_the_pages_need_signing_in(client, db):
    for path in ["/accounts/two-step/", SET_UP, "/accounts/two-step/turn-off/"]:
        assert client.get(path)["Location"].startswith("/accounts/login/"), path
