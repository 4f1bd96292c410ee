"""Who receives which reminder. Readers get none; neither do people without an e-mail
address, inactive accounts, or people who can no longer see the plan (plans.visibility)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Q

from actions.models import Action
from core.models import User
from core.roles import Role
from inspections.models import Inspection
from plans.models import Plan
from plans.permissions import can
from plans.visibility import who_sees

REMINDED_ROLES = {Role.DIRECTOR.value, Role.POLICY_OFFICER.value, Role.ACTION_OWNER.value}


class Recipients:
    """Answers "who is reminded" with few queries: group names are loaded in bulk."""

    def __init__(self) -> None:
        self._groups: dict[int, set[str]] = {}
        self._directors: dict[int, list[User]] = {}

    def load(self, user_ids: Iterable[int]) -> None:
        missing = {pk for pk in user_ids if pk not in self._groups}
        if not missing:
            return
        found: dict[int, set[str]] = defaultdict(set)
        pairs = User.groups.through.objects.filter(user_id__in=missing)
        for user_id, name in pairs.values_list("user_id", "group__name"):
            found[user_id].add(name)
        for pk in missing:
            self._groups[pk] = found.get(pk, set())

    def groups(self, user: User) -> set[str]:
        self.load([user.pk])
        return self._groups[user.pk]

    def can_be_reminded(self, user: User | None) -> bool:
        """Active, has an address, and holds a role other than reader."""
        return (
            user is not None
            and user.is_active
            and bool(user.email)
            and bool(self.groups(user) & REMINDED_ROLES)
        )

    def is_director(self, user: User | None) -> bool:
        return user is not None and Role.DIRECTOR.value in self.groups(user)

    def escalation(self, action: Action) -> list[User]:
        """The director who assigned the action; else every director who can see it."""
        assigner = action.assigned_by
        if (
            self.can_be_reminded(assigner)
            and self.is_director(assigner)
            and can(assigner, "actions.view_action", action)
        ):
            return [assigner]
        plan = action.plan
        return [u for u in self._directors_of(plan) if can(u, "actions.view_action", action)]

    def _directors_of(self, plan: Plan) -> list[User]:
        authority = plan.local_authority_id
        if authority not in self._directors:
            people = list(
                User.objects.filter(
                    Q(organisation_id=authority) | Q(organisation__partner_of=authority),
                    groups__name=Role.DIRECTOR.value,
                    is_active=True,
                )
                .exclude(email="")
                .distinct()
                .order_by("pk")
            )
            self.load(u.pk for u in people)
            self._directors[authority] = [u for u in people if self.can_be_reminded(u)]
        return self._directors[authority]

    def plan(self, source: Inspection) -> list[User]:
        """Policy officers and directors of the council whose plan the source feeds, who
        see that plan; nobody for a report held as history (it feeds no plan)."""
        if source.plan_id is None:
            return []
        people = list(
            User.objects.filter(
                organisation_id=source.local_authority_id,
                groups__name__in=[Role.DIRECTOR.value, Role.POLICY_OFFICER.value],
                is_active=True,
            )
            .exclude(email="")
            .distinct()
            .order_by("pk")
        )
        self.load(u.pk for u in people)
        people = [u for u in people if self.can_be_reminded(u)]
        seeing = who_sees(people, source.plan_id) if people else set()
        return [u for u in people if u.pk in seeing]

    def still_reminded(self, user: User) -> bool:
        """At send time: the same rule, read fresh."""
        self._groups.pop(user.pk, None)
        return self.can_be_reminded(user)
