"""People who sign in with single sign-on: their roles and organisation come from the
identity provider's claims at every sign-in.

OIDC_ROLE_MAP maps identity-provider group ids (in the OIDC_GROUPS_CLAIM claim) to the
four roles; the person holds exactly the roles their groups map to, so removing someone
from a group in the identity provider removes the role at their next sign-in.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction

from core.models import Organisation, User
from core.roles import Role


def roles_from_claims(claims: dict[str, Any]) -> set[Role]:
    """The roles the claims grant: mapped groups, else OIDC_DEFAULT_ROLE, else none."""
    groups = claims.get(settings.OIDC_GROUPS_CLAIM) or []
    if isinstance(groups, str):
        groups = [groups]
    mapping: dict[str, str] = settings.OIDC_ROLE_MAP
    roles = {Role(mapping[str(group)]) for group in groups if str(group) in mapping}
    if not roles and settings.OIDC_DEFAULT_ROLE:
        roles = {Role(settings.OIDC_DEFAULT_ROLE)}
    return roles


def organisation_from_claims(claims: dict[str, Any]) -> tuple[Organisation | None, bool]:
    """The organisation named by OIDC_ORGANISATION_CLAIM when one of that name exists
    (and True: the claim says so), else OIDC_DEFAULT_ORGANISATION, made on first use (and
    False: only a default), else (None, False)."""
    if settings.OIDC_ORGANISATION_CLAIM:
        name = claims.get(settings.OIDC_ORGANISATION_CLAIM)
        if isinstance(name, str) and name.strip():
            found = Organisation.objects.filter(name__iexact=name.strip()).first()
            if found is not None:
                return found, True
    if settings.OIDC_DEFAULT_ORGANISATION:
        default = Organisation.objects.get_or_create(
            name=settings.OIDC_DEFAULT_ORGANISATION,
            defaults={"kind": Organisation.Kind.LOCAL_AUTHORITY},
        )[0]
        return default, False
    return None, False


def names_from_claims(claims: dict[str, Any]) -> tuple[str, str]:
    first = str(claims.get("given_name") or "")
    last = str(claims.get("family_name") or "")
    if not (first or last) and claims.get("name"):
        first, _, last = str(claims["name"]).partition(" ")
    return first[:150], last[:150]


@transaction.atomic
def apply_claims(user: User, claims: dict[str, Any], roles: set[Role]) -> User:
    """Bring a person's name, e-mail, organisation and roles in line with the claims."""
    first, last = names_from_claims(claims)
    user.first_name = first or user.first_name
    user.last_name = last or user.last_name
    email = claims.get("email")
    if isinstance(email, str) and email:
        user.email = email[:254]
    organisation, from_claim = organisation_from_claims(claims)
    # A default never replaces an organisation an administrator chose.
    if organisation is not None and (from_claim or user.organisation_id is None):
        user.organisation = organisation
    user.save()
    role_groups = {role.value: Group.objects.get_or_create(name=role.value)[0] for role in Role}
    user.groups.remove(*[g for name, g in role_groups.items() if Role(name) not in roles])
    user.groups.add(*[role_groups[role.value] for role in roles])
    user._roles_cache = set(roles)
    return user
