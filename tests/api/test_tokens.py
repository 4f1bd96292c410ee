"""API tokens: stored hashed, shown once, scoped, expiring, revocable, and the only
credentials besides a browser session."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from rest_framework.test import APIClient

from core.tokens.models import ApiToken, hash_secret
from core.tokens.services import create_token, find_usable, revoke_token
from tests.factories import ActionFactory, InspectionFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def bearer(client, secret: str) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return api


def test_it_stores_only_a_hash_of_the_secret(director):
    token, secret = create_token(name="Dashboard", user=director, scope="read")
    assert secret.startswith("ctl_") and len(secret) > 40
    assert token.secret_hash == hash_secret(secret)
    assert secret not in str(ApiToken.objects.filter(pk=token.pk).values().get())


def test_a_valid_token_acts_as_its_owner_and_records_its_use(client, director, client_for):
    api = client_for(director)
    response = api.get("/api/v1/users/me/")
    assert response.status_code == 200
    assert response.json()["username"] == "director"
    assert ApiToken.objects.get().last_used_at is not None


@pytest.mark.parametrize("header", ["Bearer nope", "Bearer", "Bearer a b", "Bearer ctl_\u00e9"])
def test_a_wrong_token_is_401_with_a_problem(client, director, header):
    response = client.get("/api/v1/actions/", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_an_expired_token_is_refused(client, director):
    token, secret = create_token(name="Old", user=director, scope="read")
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(1))
    assert bearer(client, secret).get("/api/v1/actions/").status_code == 401


def test_a_revoked_token_is_refused(client, director):
    token, secret = create_token(name="Gone", user=director, scope="read")
    revoke_token(token=token, by=director)
    assert bearer(client, secret).get("/api/v1/actions/").status_code == 401


def test_the_token_of_a_deactivated_person_is_refused(client, director):
    _, secret = create_token(name="Leaver", user=director, scope="read")
    director.is_active = False
    director.save()
    assert bearer(client, secret).get("/api/v1/actions/").status_code == 401


def test_the_lookup_finds_exactly_the_usable_tokens_with_their_owner(director, reader):
    _, usable_secret = create_token(name="Live", user=director, scope="read")
    revoked, revoked_secret = create_token(name="Gone", user=reader, scope="read")
    revoke_token(token=revoked, by=director)
    expired, expired_secret = create_token(name="Old", user=reader, scope="read")
    ApiToken.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - dt.timedelta(1))
    assert find_usable(revoked_secret) is None
    assert find_usable(expired_secret) is None
    assert find_usable(usable_secret + "x") is None
    found = find_usable(usable_secret)
    expected = ApiToken.objects.usable().select_related("user").get()
    assert found.pk == expected.pk and found._state.db == "default"
    for model_field in ApiToken._meta.concrete_fields:
        name = model_field.attname
        assert getattr(found, name) == getattr(expected, name), name
    for model_field in type(director)._meta.concrete_fields:
        name = model_field.attname
        assert getattr(found.user, name) == getattr(expected.user, name), name
    assert not found.user.get_deferred_fields() and found.user.is_authenticated


def test_revoking_a_token_in_use_stops_it_at_the_next_request(client, director, plan):
    token, secret = create_token(name="Busy", user=director, scope="read")
    api = bearer(client, secret)
    assert api.get("/api/v1/actions/").status_code == 200
    revoke_token(token=token, by=director)
    assert api.get("/api/v1/actions/").status_code == 401


def test_a_token_that_expires_stops_at_once(client, director, plan):
    token, secret = create_token(name="Soon", user=director, scope="read")
    api = bearer(client, secret)
    assert api.get("/api/v1/actions/").status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now())
    assert api.get("/api/v1/actions/").status_code == 401


def test_a_change_to_the_owners_roles_applies_at_the_next_request(client_for, director, plan):
    api = client_for(director, scope="read")
    assert [row["id"] for row in api.get("/api/v1/actions/").json()["results"]] == [plan.pk]
    director.groups.clear()
    assert api.get("/api/v1/actions/").json()["results"] == []
    assert api.get(f"/api/v1/actions/{plan.pk}/").status_code == 404


def test_no_credentials_is_401(client):
    response = client.get("/api/v1/actions/")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_a_browser_session_works_too(client, director, plan):
    client.force_login(director)
    assert client.get("/api/v1/actions/").json()["results"][0]["id"] == plan.pk


def test_a_session_write_needs_the_csrf_token(director, plan):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(director)
    response = browser.post(
        f"/api/v1/actions/{plan.pk}/override-rag/",
        {"rag": "red", "reason": "x"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_a_read_only_token_cannot_write_even_for_a_director(client_for, director, plan):
    response = client_for(director, scope="read").post(
        f"/api/v1/actions/{plan.pk}/override-rag/", {"rag": "red", "reason": "Slipping"}
    )
    assert response.status_code == 403
    plan.refresh_from_db()
    assert plan.rag_override == ""


def test_an_organisation_limited_token_sees_only_that_authority(client_for, director, council):
    partner_authority = OrganisationFactory(name="Partner Council")
    council.partner_of.add(partner_authority)  # director's council partners another
    mine = ActionFactory(recommendation__inspection=InspectionFactory(local_authority=council))
    theirs = ActionFactory(
        recommendation__inspection=InspectionFactory(local_authority=partner_authority)
    )
    everything = client_for(director).get("/api/v1/actions/").json()["results"]
    assert {row["id"] for row in everything} == {mine.pk, theirs.pk}
    limited = client_for(director, organisation=council)
    assert [row["id"] for row in limited.get("/api/v1/actions/").json()["results"]] == [mine.pk]
    assert limited.get(f"/api/v1/actions/{theirs.pk}/").status_code == 404
    assert (
        limited.post(
            f"/api/v1/actions/{theirs.pk}/override-rag/", {"rag": "red", "reason": "x"}
        ).status_code
        == 404
    )


def test_the_command_prints_the_token_once_and_stores_its_hash(director, council):
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "create_api_token",
        "Intranet",
        "--user",
        "director",
        "--scope",
        "read-write",
        "--organisation",
        "test council",
        "--expires-days",
        "30",
        stdout=out,
        stderr=err,
    )
    secret = out.getvalue().strip()
    token = ApiToken.objects.get()
    assert token.secret_hash == hash_secret(secret)
    assert (token.scope, token.organisation, token.user) == ("read-write", council, director)
    assert 29 <= (token.expires_at - timezone.now()).days <= 30
    assert "shown only once" in err.getvalue()


def test_the_command_refuses_an_unknown_person():
    with pytest.raises(CommandError, match="No user"):
        call_command("create_api_token", "X", "--user", "nobody", stdout=io.StringIO())


def test_an_administrator_creates_a_token_in_the_admin_and_sees_it_once(client, director):
    admin = UserFactory(username="admin", is_staff=True, is_superuser=True)
    client.force_login(admin)
    response = client.post(
        "/admin/tokens/apitoken/add/",
        {
            "name": "Dashboard",
            "user": director.pk,
            "scope": "read",
            "expires_at_0": (timezone.localdate() + dt.timedelta(days=90)).isoformat(),
            "expires_at_1": "12:00:00",
        },
    )
    assert response.status_code == 200, response.content[:500]
    secret = response.context["secret"]
    token = ApiToken.objects.get()
    assert token.secret_hash == hash_secret(secret) and token.created_by == admin
    assert "no-store" in response["Cache-Control"]
    page = client.get(f"/admin/tokens/apitoken/{token.pk}/change/")
    assert secret not in page.content.decode()


def test_an_administrator_revokes_tokens_in_the_admin(client, director):
    admin = UserFactory(username="admin", is_staff=True, is_superuser=True)
    token, _ = create_token(name="Dashboard", user=director, scope="read")
    client.force_login(admin)
    client.post("/admin/tokens/apitoken/", {"action": "revoke", "_selected_action": [token.pk]})
    token.refresh_from_db()
    assert token.revoked_at is not None and token.revoked_by == admin
