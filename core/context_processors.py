from django.http import HttpRequest

from .roles import Role, roles_of


def roles(request: HttpRequest) -> dict:
    user_roles = roles_of(request.user)
    return {
        "user_roles": sorted(role.label for role in user_roles),
        "is_director": Role.DIRECTOR in user_roles,
        "is_policy_officer": Role.POLICY_OFFICER in user_roles,
    }
