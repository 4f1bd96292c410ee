"""Every sign-in success and failure, and every sign-out, is logged (username and
address, never the password) and recorded in the audit log."""

import json

from core.models import AuditEntry
from tests.factories import TEST_PASSWORD

ADDRESS = "192.0.2.44"


def test_a_sign_in_is_logged_and_audited(client, reader, json_lines):
    client.post(
        "/accounts/login/",
        {"username": "reader", "password": TEST_PASSWORD},
        REMOTE_ADDR=ADDRESS,
        HTTP_X_REQUEST_ID="req-123",
    )

    entry = AuditEntry.objects.get(verb="sign_in")
    assert (entry.actor, entry.ip, entry.object_type) == (reader, ADDRESS, "core.user")
    assert entry.summary == "Signed in (password)"
    [line] = json_lines()
    assert line["event"] == "sign_in"
    assert (line["username"], line["ip"], line["request_id"]) == ("reader", ADDRESS, "req-123")
    assert line["level"] == "INFO"


def test_a_failed_sign_in_is_logged_and_audited_without_the_password(
    client, reader, json_lines, caplog
):
    client.post(
        "/accounts/login/",
        {"username": "reader", "password": "hunter2-secret-guess"},
        REMOTE_ADDR=ADDRESS,
    )

    entry = AuditEntry.objects.get(verb="sign_in_failed")
    assert entry.actor is None
    assert (entry.object_id, entry.ip) == (str(reader.pk), ADDRESS)
    assert entry.summary == "Sign-in failed for username 'reader': wrong username or password"
    [line] = json_lines()
    assert (line["event"], line["username"], line["ip"]) == ("sign_in_failed", "reader", ADDRESS)
    assert line["level"] == "WARNING"
    everything = caplog.text + json.dumps(json_lines()) + repr(list(AuditEntry.objects.values()))
    assert "hunter2-secret-guess" not in everything


def test_a_failure_for_an_unknown_username_is_recorded_too(client, db):
    client.post("/accounts/login/", {"username": "nobody", "password": "x" * 12})
    entry = AuditEntry.objects.get(verb="sign_in_failed")
    assert entry.object_id == ""
    assert "'nobody'" in entry.summary


def test_signing_out_is_audited(client, reader, json_lines):
    client.post("/accounts/login/", {"username": "reader", "password": TEST_PASSWORD})
    client.post("/accounts/logout/", REMOTE_ADDR=ADDRESS)

    entry = AuditEntry.objects.get(verb="sign_out")
    assert (entry.actor, entry.ip, entry.summary) == (reader, ADDRESS, "Session ended: signed out")
    assert [line["event"] for line in json_lines()] == ["sign_in", "sign_out"]


def test_the_sign_in_page_offers_no_council_account_button_when_single_sign_on_is_off(client, db):
    body = client.get("/accounts/login/").content.decode()
    assert "Sign in with your council account" not in body
    assert client.get("/oidc/authenticate/").status_code == 404
    assert client.get("/oidc/callback/?code=x&state=y").status_code == 404
