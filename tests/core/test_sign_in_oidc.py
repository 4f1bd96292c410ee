"""Single sign-on, end to end: a fake OpenID Connect provider on 127.0.0.1 (discovery,
authorize, token, JWKS and userinfo endpoints, RS256 tokens from a key made for the
test), and the real redirect flow through Django's test client."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from urllib.parse import parse_qs, urlencode, urlsplit
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import jwt
import pytest
import requests
from cryptography.hazmat.primitives.asymmetric import rsa
from django.contrib.auth.models import Group

from core.models import AuditEntry, Organisation, User
from tests.factories import TEST_PASSWORD, UserFactory

CLIENT_ID = "closing-the-loop"
CLIENT_SECRET = "test-client-secret"
DIRECTORS_GROUP = "0b7e3c9a-1111-4d2c-9f00-directors"
READERS_GROUP = "0b7e3c9a-2222-4d2c-9f00-readers"


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args) -> None:
        pass


class FakeProvider:
    """A tiny identity provider that signs in `self.person` without asking."""

    def __init__(self) -> None:
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = secrets.token_hex(4)
        self.signing_key = self.key  # tests swap in another key to forge a token
        self.audience = CLIENT_ID
        self.person: dict = {}
        self.codes: dict[str, dict] = {}
        self.access_tokens: dict[str, dict] = {}
        self.authorize_requests: list[dict] = []
        self.server: WSGIServer = make_server("127.0.0.1", 0, self.app, handler_class=_Quiet)
        self.url = f"http://127.0.0.1:{self.server.server_port}"

    def start(self) -> None:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def app(self, environ, start_response):
        path = environ["PATH_INFO"]
        query = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
        handlers = {
            "/.well-known/openid-configuration": self.discovery,
            "/authorize": self.authorize,
            "/token": self.token,
            "/jwks": self.jwks,
            "/userinfo": self.userinfo,
        }
        if path not in handlers:
            return self.respond(start_response, 404, {"error": "not_found"})
        return handlers[path](environ, query, start_response)

    def respond(self, start_response, status, body, headers=()):
        text = {200: "200 OK", 302: "302 Found", 400: "400 Bad Request", 401: "401 Unauthorized"}
        start_response(
            text.get(status, f"{status} Error"), [("Content-Type", "application/json"), *headers]
        )
        return [json.dumps(body).encode()]

    def discovery(self, environ, query, start_response):
        return self.respond(start_response, 200, {
            "issuer": self.url,
            "authorization_endpoint": f"{self.url}/authorize",
            "token_endpoint": f"{self.url}/token",
            "userinfo_endpoint": f"{self.url}/userinfo",
            "jwks_uri": f"{self.url}/jwks",
            "response_types_supported": ["code"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
        })  # fmt: skip

    def authorize(self, environ, query, start_response):
        self.authorize_requests.append(query)
        if query.get("client_id") != CLIENT_ID or query.get("response_type") != "code":
            return self.respond(start_response, 400, {"error": "invalid_request"})
        code = secrets.token_urlsafe(16)
        self.codes[code] = query
        target = f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query['state']})}"
        return self.respond(start_response, 302, {}, [("Location", target)])

    def token(self, environ, query, start_response):
        size = int(environ.get("CONTENT_LENGTH") or 0)
        form = {k: v[0] for k, v in parse_qs(environ["wsgi.input"].read(size).decode()).items()}
        request = self.codes.pop(form.get("code", ""), None)
        verifier = form.get("code_verifier", "")
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
        if (
            request is None
            or form.get("grant_type") != "authorization_code"
            or form.get("client_id") != CLIENT_ID
            or form.get("client_secret") != CLIENT_SECRET
            or form.get("redirect_uri") != request["redirect_uri"]
            or challenge.rstrip(b"=").decode() != request.get("code_challenge")
        ):
            return self.respond(start_response, 400, {"error": "invalid_grant"})
        now = int(time.time())
        claims = {
            "iss": self.url, "aud": self.audience, "iat": now, "exp": now + 300,
            "nonce": request["nonce"], **self.person,
        }  # fmt: skip
        id_token = jwt.encode(
            claims, self.signing_key, algorithm="RS256", headers={"kid": self.kid}
        )
        access_token = secrets.token_urlsafe(16)
        self.access_tokens[access_token] = dict(self.person)
        return self.respond(start_response, 200, {
            "access_token": access_token, "token_type": "Bearer", "expires_in": 300,
            "id_token": id_token,
        })  # fmt: skip

    def jwks(self, environ, query, start_response):
        jwk = jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
        return self.respond(
            start_response, 200, {"keys": [{**jwk, "kid": self.kid, "alg": "RS256", "use": "sig"}]}
        )

    def userinfo(self, environ, query, start_response):
        token = environ.get("HTTP_AUTHORIZATION", "").removeprefix("Bearer ")
        if token not in self.access_tokens:
            return self.respond(start_response, 401, {"error": "invalid_token"})
        # Like Entra ID: groups are in the ID token only.
        person = {k: v for k, v in self.access_tokens[token].items() if k != "groups"}
        return self.respond(start_response, 200, person)


@pytest.fixture
def provider():
    fake = FakeProvider()
    fake.start()
    fake.person = {
        "sub": "entra-object-id-jane",
        "preferred_username": "Jane.Smith@council.example.gov.uk",
        "email": "jane.smith@council.example.gov.uk",
        "given_name": "Jane",
        "family_name": "Smith",
        "groups": [DIRECTORS_GROUP, "some-other-group"],
    }
    yield fake
    fake.stop()


@pytest.fixture
def sso(settings, provider, db):
    settings.OIDC_ENABLED = True
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_OP_ISSUER = provider.url
    settings.OIDC_ROLE_MAP = {DIRECTORS_GROUP: "Directors", READERS_GROUP: "Readers"}
    settings.OIDC_DEFAULT_ROLE = ""
    settings.OIDC_DEFAULT_ORGANISATION = "Test Council"
    settings.OIDC_ORGANISATION_CLAIM = ""
    return provider


def sign_in_with_council_account(client, provider, next_url="/actions/mine/"):
    """Follow the real redirects: our start page → the provider → our callback."""
    start = client.get("/oidc/authenticate/", {"next": next_url})
    assert start.status_code == 302
    assert start["Location"].startswith(f"{provider.url}/authorize?")
    at_provider = requests.get(start["Location"], allow_redirects=False, timeout=5)
    assert at_provider.status_code == 302, at_provider.text
    back = urlsplit(at_provider.headers["Location"])
    assert (back.scheme, back.netloc, back.path) == ("http", "testserver", "/oidc/callback/")
    return client.get(f"{back.path}?{back.query}", REMOTE_ADDR="198.51.100.8")


def roles_of(user: User) -> set[str]:
    return set(user.groups.values_list("name", flat=True))


def test_the_sign_in_page_offers_the_council_account_when_single_sign_on_is_on(client, sso):
    body = client.get("/accounts/login/?next=/actions/").content.decode()
    assert "Sign in with your council account" in body
    assert 'href="/oidc/authenticate/?next=/actions/"' in body
    assert 'id="id_password"' in body, "local accounts still sign in"


def test_a_director_signs_in_with_their_council_account(client, sso):
    response = sign_in_with_council_account(client, sso)

    assert response.status_code == 302
    assert response["Location"] == "/actions/mine/"
    assert client.get("/").status_code == 200
    user = User.objects.get(username="jane.smith@council.example.gov.uk")
    assert (user.first_name, user.last_name, user.email) == (
        "Jane", "Smith", "jane.smith@council.example.gov.uk",
    )  # fmt: skip
    assert roles_of(user) == {"Directors"}
    assert user.organisation.name == "Test Council"
    assert not user.has_usable_password()
    entry = AuditEntry.objects.get(verb="sign_in")
    assert (entry.actor, entry.summary, entry.ip) == (
        user, "Signed in (single sign-on)", "198.51.100.8",
    )  # fmt: skip
    [sent] = sso.authorize_requests
    assert sent["code_challenge_method"] == "S256"
    assert sent["nonce"] and sent["state"]
    assert set(sent["scope"].split()) >= {"openid", "email", "profile"}


def test_roles_follow_the_identity_provider_at_every_sign_in(client, sso):
    council = Organisation.objects.create(name="Another Council")
    existing = UserFactory(
        username="jane.smith@council.example.gov.uk", role="Readers", organisation=council
    )
    existing.groups.add(Group.objects.get_or_create(name="Some local group")[0])

    sign_in_with_council_account(client, sso)

    existing.refresh_from_db()
    assert roles_of(existing) == {"Directors", "Some local group"}
    assert existing.organisation == council, "a default never replaces a chosen organisation"
    assert User.objects.count() == 1

    client.post("/accounts/logout/")
    sso.person["groups"] = [READERS_GROUP]
    sign_in_with_council_account(client, sso)
    assert roles_of(existing) == {"Readers", "Some local group"}


def test_someone_whose_groups_map_to_no_role_is_refused(client, sso):
    sso.person["groups"] = ["some-other-group"]

    response = sign_in_with_council_account(client, sso)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    page = client.get("/accounts/login/").content.decode()
    assert "could not be signed in with your council account" in page
    assert client.get("/").status_code == 302
    assert not User.objects.exists()
    entry = AuditEntry.objects.get(verb="sign_in_failed")
    assert "no group maps to a role" in entry.summary
    assert "jane.smith@council.example.gov.uk" in entry.summary


def test_a_default_role_lets_everyone_in_the_tenant_read(client, sso, settings):
    settings.OIDC_DEFAULT_ROLE = "Readers"
    sso.person["groups"] = []
    assert sign_in_with_council_account(client, sso)["Location"] == "/actions/mine/"
    assert roles_of(User.objects.get()) == {"Readers"}


def test_the_organisation_can_come_from_a_claim(client, sso, settings):
    settings.OIDC_ORGANISATION_CLAIM = "companyName"
    trust = Organisation.objects.create(name="Example NHS Trust", kind="nhs")
    sso.person["companyName"] = "example nhs trust"
    sign_in_with_council_account(client, sso)
    assert User.objects.get().organisation == trust


def test_a_token_issued_for_another_application_is_refused(client, sso):
    sso.audience = "some-other-application"
    response = sign_in_with_council_account(client, sso)
    assert response["Location"] == "/accounts/login/"
    assert client.get("/").status_code == 302
    assert not User.objects.exists()


def test_a_token_signed_with_another_key_is_refused(client, sso):
    sso.signing_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    response = sign_in_with_council_account(client, sso)
    assert response["Location"] == "/accounts/login/"
    assert client.get("/").status_code == 302


def test_a_deactivated_person_cannot_sign_in_with_their_council_account(client, sso):
    UserFactory(username="jane.smith@council.example.gov.uk", is_active=False)
    response = sign_in_with_council_account(client, sso)
    assert response["Location"] == "/accounts/login/"
    assert client.get("/").status_code == 302
    assert "deactivated" in AuditEntry.objects.get(verb="sign_in_failed").summary


def test_a_callback_cannot_be_replayed(client, sso):
    start = client.get("/oidc/authenticate/")
    back = requests.get(start["Location"], allow_redirects=False, timeout=5).headers["Location"]
    callback = urlsplit(back)
    assert client.get(f"{callback.path}?{callback.query}").status_code == 302
    client.post("/accounts/logout/")
    replay = client.get(f"{callback.path}?{callback.query}")
    assert replay.status_code in (302, 400)
    assert client.get("/").status_code == 302


def test_an_unreachable_provider_sends_people_back_to_the_sign_in_page(client, sso, settings):
    settings.OIDC_OP_ISSUER = "http://127.0.0.1:9"  # discard port: nothing listens
    response = client.get("/oidc/authenticate/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert "could not be signed in" in client.get("/accounts/login/").content.decode()


def test_local_accounts_still_sign_in_with_a_password(client, sso, reader):
    response = client.post("/accounts/login/", {"username": "reader", "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert AuditEntry.objects.get(verb="sign_in").summary == "Signed in (password)"
