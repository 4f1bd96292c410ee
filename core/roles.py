"""The four roles of DOMAIN.md, held as Django groups (created by a migration)."""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING

from django.db.models import Exists

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser


class Role(enum.StrEnum):
    DIRECTOR = "Directors"
    POLICY_OFFICER = "Policy officers"
    ACTION_OWNER = "Action owners"
    READER = "Readers"

    @property
    def label(self) -> str:
        return {
            Role.DIRECTOR: "Director",
            Role.POLICY_OFFICER: "Policy officer",
            Role.ACTION_OWNER: "Action owner",
            Role.READER: "Reader",
        }[self]


def roles_of(user: AbstractBaseUser | AnonymousUser) -> set[Role]:
    """The roles a user holds; cached on the user object for the request."""
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_roles_cache", None)
    if cached is None:
        names = set(user.groups.values_list("name", flat=True))
        cached = {role for role in Role if role.value in names}
        user._roles_cache = cached
    return cached


def has_role(user: AbstractBaseUser | AnonymousUser, role: Role) -> bool:
    return role in roles_of(user)


def holds_a_role(user: AbstractBaseUser) -> Exists:
    """True in SQL when the user holds at least one role: lets a query apply the rule
    "no role, nothing visible" without reading the roles first."""
    from django.contrib.auth import get_user_model

    memberships = get_user_model().groups.through.objects.filter(
        user_id=user.pk, group__name__in=[role.value for role in Role]
    )
    return Exists(memberships)
