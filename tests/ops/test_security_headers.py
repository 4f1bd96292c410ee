"""What docs/security.md promises about headers, cookies and the Content Security
Policy, checked on the production settings and on the pages themselves."""

import json
import subprocess
import sys
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import Group

from tests.factories import TEST_PASSWORD, ActionFactory, TOTPDeviceFactory, UserFactory, app_code

from .conftest import ROOT, production_env


def production_settings(**env: str) -> dict:
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({k: getattr(s, k) for k in ["
        "'SESSION_COOKIE_NAME', 'CSRF_COOKIE_NAME', 'SESSION_COOKIE_SECURE', "
        "'CSRF_COOKIE_SECURE', 'SESSION_COOKIE_HTTPONLY', 'SESSION_COOKIE_AGE', "
        "'SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', 'SECURE_HSTS_PRELOAD', "
        "'SECURE_SSL_REDIRECT', 'X_FRAME_OPTIONS', 'CONTENT_SECURITY_POLICY', "
        "'SESSION_IDLE_TIMEOUT', 'AXES_FAILURE_LIMIT', 'OIDC_ENABLED', 'LOG_FORMAT']}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=production_env(**env),
        capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    return json.loads(result.stdout)


def test_production_settings_meet_asvs_level_2():
    s = production_settings()
    assert (s["SESSION_COOKIE_NAME"], s["CSRF_COOKIE_NAME"]) == (
        "__Host-sessionid",
        "__Host-csrftoken",
    )
    assert s["SESSION_COOKIE_SECURE"] and s["CSRF_COOKIE_SECURE"] and s["SESSION_COOKIE_HTTPONLY"]
    assert s["SECURE_HSTS_SECONDS"] >= 365 * 24 * 3600
    assert s["SECURE_HSTS_INCLUDE_SUBDOMAINS"] and s["SECURE_SSL_REDIRECT"]
    assert s["X_FRAME_OPTIONS"] == "DENY"
    assert s["SESSION_COOKIE_AGE"] == 8 * 3600 and s["SESSION_IDLE_TIMEOUT"] == 30 * 60
    assert s["AXES_FAILURE_LIMIT"] == 5
    assert s["OIDC_ENABLED"] is False
    assert s["LOG_FORMAT"] == "json"
    csp = s["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]
    assert (csp["object-src"], csp["base-uri"], csp["frame-ancestors"]) == (["'none'"],) * 3
    assert csp["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in json.dumps(csp) and "'unsafe-eval'" not in json.dumps(csp)


def test_single_sign_on_switches_on_with_a_client_id_and_refuses_half_a_configuration():
    on = production_settings(
        OIDC_RP_CLIENT_ID="app", OIDC_RP_CLIENT_SECRET="secret",
        OIDC_OP_ISSUER="https://login.microsoftonline.com/tenant-id/v2.0",
        OIDC_ROLE_MAP="group-1=Directors,group-2=Readers",
    )  # fmt: skip
    assert on["OIDC_ENABLED"] is True
    half = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"], cwd=ROOT,
        env=production_env(OIDC_RP_CLIENT_ID="app"), capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert half.returncode != 0
    assert "OIDC_RP_CLIENT_SECRET is needed" in half.stderr
    wrong_role = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"], cwd=ROOT,
        env=production_env(OIDC_ROLE_MAP="group-1=Admins"), capture_output=True, text=True,
        timeout=60,
    )  # fmt: skip
    assert "OIDC_ROLE_MAP" in wrong_role.stderr


def test_development_logs_are_plain_text():
    env = {k: v for k, v in production_env(DEBUG="true").items() if k != "LOG_FORMAT"}
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); from django.conf import settings; "
         "print(settings.LOG_FORMAT)"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.stdout.strip() == "plain"


def test_the_session_cookie_is_a_secure_host_cookie_over_https(client, reader, settings):
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME = "__Host-sessionid", "__Host-csrftoken"
    client.post("/accounts/login/", {"username": "reader", "password": TEST_PASSWORD}, secure=True)
    cookie = client.cookies["__Host-sessionid"]
    assert cookie["secure"] and cookie["httponly"] and cookie["path"] == "/"
    assert not cookie["domain"], "__Host- cookies must not name a domain"


class InlineCode(HTMLParser):
    """Finds what a strict CSP would block: inline scripts, event handler attributes,
    javascript: URLs and style attributes."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []
        self._in_inline_script = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and "src" not in attrs and attrs.get("type") != "application/json":
            self._in_inline_script = True
        for name, value in attrs.items():
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=...>")
            if name == "style":
                self.found.append(f"<{tag} style={value!r}>")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.found.append(f"<{tag} {name}={value!r}>")

    def handle_data(self, data):
        if self._in_inline_script and data.strip():
            self.found.append(f"inline <script>: {data.strip()[:60]!r}")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_inline_script = False


@pytest.mark.parametrize("role", ["Directors", "Policy officers", "Action owners", "Readers"])
def test_no_page_needs_inline_script_or_style(client, db, role):
    action = ActionFactory()
    inspection = action.recommendations.get().inspection
    plan = action.plan
    user = UserFactory(role=role, username=f"user-{role[:4].lower()}")
    Group.objects.get_or_create(name=role)
    action.owner = user
    action.save()
    client.force_login(user)
    pages = [
        "/", "/actions/", "/actions/mine/", f"/actions/{action.pk}/",
        f"/plans/{plan.pk}/", f"/inspections/{inspection.pk}/",
        f"/documents/plans/{plan.pk}/", "/inspections/import/", "/accessibility/", "/api/docs/",
    ]  # fmt: skip
    problems = {}
    for path in pages:
        response = client.get(path)
        assert response.status_code in (200, 403), (path, response.status_code)
        if response.status_code != 200:
            continue  # not this role's page
        assert "script-src 'self'" in response["Content-Security-Policy"], path
        parser = InlineCode()
        parser.feed(response.content.decode())
        if parser.found:
            problems[path] = parser.found
    assert problems == {}


def test_the_sign_in_and_lockout_pages_need_no_inline_code(client, reader, settings):
    pages = [client.get("/accounts/login/")]
    for _ in range(settings.AXES_FAILURE_LIMIT):
        locked = client.post("/accounts/login/", {"username": "reader", "password": "wrong"})
    pages.append(locked)
    for response in pages:
        parser = InlineCode()
        parser.feed(response.content.decode())
        assert parser.found == []
        assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_the_two_step_verification_pages_need_no_inline_code(client, reader):
    def check(response) -> None:
        assert response.status_code == 200, response.request["PATH_INFO"]
        parser = InlineCode()
        parser.feed(response.content.decode())
        assert parser.found == [], response.request["PATH_INFO"]
        assert "frame-ancestors 'none'" in response["Content-Security-Policy"]

    client.post("/accounts/login/", {"username": "reader", "password": TEST_PASSWORD})
    check(client.get("/accounts/two-step/"))
    check(client.get("/accounts/two-step/set-up/"))  # the QR code is an <img>, not inline SVG
    device = reader.totpdevice_set.get()
    check(client.post("/accounts/two-step/set-up/", {"code": app_code(device)}))  # codes
    client.post("/accounts/logout/")
    TOTPDeviceFactory(user=UserFactory(username="otp-user"))
    client.post("/accounts/login/", {"username": "otp-user", "password": TEST_PASSWORD})
    check(client.get("/accounts/login/code/"))


def test_the_admin_needs_no_inline_code_either(admin_client):
    action = ActionFactory()
    for path in [
        "/admin/", "/admin/core/auditentry/", "/admin/core/user/", "/admin/core/user/add/",
        f"/admin/actions/action/{action.pk}/change/",
    ]:  # fmt: skip
        response = admin_client.get(path)
        assert response.status_code == 200, path
        parser = InlineCode()
        parser.feed(response.content.decode())
        assert parser.found == [], path
