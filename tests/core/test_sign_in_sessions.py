"""Session rules: a new session on sign-in, sign-out ends it, inactivity and absolute
limits, and deactivating a person ends their sessions."""

import datetime as dt
from importlib import import_module

import time_machine
from django.conf import settings as django_settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from core.models import AuditEntry
from tests.factories import TEST_PASSWORD


def store():
    return import_module(django_settings.SESSION_ENGINE).SessionStore


def sign_in(client, username="reader"):
    response = client.post("/accounts/login/", {"username": username, "password": TEST_PASSWORD})
    assert response.status_code == 302, response.content
    return client.session.session_key


def test_signing_in_starts_a_new_session(client, reader):
    before = client.session
    before["chosen_filter"] = "red"
    before.save()
    old_key = before.session_key
    client.cookies[django_settings.SESSION_COOKIE_NAME] = old_key

    new_key = sign_in(client)

    assert new_key != old_key
    assert not store()().exists(old_key), "the pre-sign-in session id must not live on"


def test_signing_out_ends_the_session(client, reader):
    key = sign_in(client)

    response = client.post("/accounts/logout/")

    assert response.status_code == 302
    assert not store()().exists(key)
    # Replaying the old cookie gets nobody in.
    replay = Client()
    replay.cookies[django_settings.SESSION_COOKIE_NAME] = key
    assert replay.get("/").status_code == 302
    assert AuditEntry.objects.filter(verb="sign_out", actor=reader).exists()


def test_inactivity_ends_the_session(client, reader, settings):
    assert settings.SESSION_IDLE_TIMEOUT == 30 * 60
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        key = sign_in(client)
    with time_machine.travel(start + dt.timedelta(minutes=31), tick=False):
        response = client.get("/")
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
        page = client.get(response["Location"])

    assert "inactive for 30 minutes" in page.content.decode()
    assert not store()().exists(key)
    entry = AuditEntry.objects.get(verb="sign_out")
    assert entry.summary == "Session ended: no activity for too long"


def test_activity_keeps_the_session_alive(client, reader):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        sign_in(client)
    for minutes in (20, 40, 60, 80):
        with time_machine.travel(start + dt.timedelta(minutes=minutes), tick=False):
            assert client.get("/").status_code == 200, f"signed out after {minutes} minutes"


def test_the_session_ends_at_its_absolute_limit_however_active(client, reader, settings):
    settings.SESSION_COOKIE_AGE = 2 * 60 * 60
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        key = sign_in(client)
    expiry = Session.objects.get(session_key=key).expire_date
    assert abs((expiry - start).total_seconds() - settings.SESSION_COOKIE_AGE) < 5

    for minutes in range(20, 120, 20):
        with time_machine.travel(start + dt.timedelta(minutes=minutes), tick=False):
            assert client.get("/").status_code == 200
    # Activity did not slide the expiry forward.
    assert Session.objects.get(session_key=key).expire_date == expiry
    with time_machine.travel(start + dt.timedelta(minutes=121), tick=False):
        assert client.get("/").status_code == 302
        assert store()(key).load() == {}, "the stored session has expired"


def test_the_limit_is_checked_on_every_request_too(client, reader, settings):
    # e.g. SESSION_COOKIE_AGE lowered after people signed in: older sessions end at once.
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        sign_in(client)
    settings.SESSION_COOKIE_AGE = 60 * 60
    with time_machine.travel(start + dt.timedelta(minutes=25), tick=False):
        assert client.get("/").status_code == 200
    with time_machine.travel(start + dt.timedelta(minutes=50), tick=False):
        assert client.get("/").status_code == 200
    with time_machine.travel(start + dt.timedelta(minutes=61), tick=False):
        assert client.get("/").status_code == 302
    assert AuditEntry.objects.get(verb="sign_out").summary == "Session ended: session too old"


def test_the_session_cookie_expires_with_the_session(client, reader):
    sign_in(client)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    assert 0 < int(cookie["max-age"]) <= django_settings.SESSION_COOKIE_AGE
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"


def test_deactivating_a_person_ends_all_their_sessions(
    reader, director, django_capture_on_commit_callbacks
):
    laptop, phone, colleague = Client(), Client(), Client()
    keys = [sign_in(laptop), sign_in(phone)]
    colleague_key = sign_in(colleague, "director")

    with django_capture_on_commit_callbacks(execute=True):
        reader.is_active = False
        reader.save()

    assert not any(store()().exists(key) for key in keys)
    assert store()().exists(colleague_key)
    assert laptop.get("/").status_code == 302


def test_saving_an_active_person_leaves_their_sessions_alone(
    client, reader, django_capture_on_commit_callbacks
):
    key = sign_in(client)
    with django_capture_on_commit_callbacks(execute=True):
        reader.job_title = "Head of service"
        reader.save()
    assert store()().exists(key)
