from django.http import HttpRequest

from .roles import Role, roles_of


def roles(request: HttpRequest) -> dict:
    # A request refused before the authentication middleware (a bad Host header, say)
    # has no user: its error page shows no role-specific links.
    user = getattr(request, "user", None)
    user_roles = roles_of(user) if user is not None else set()
    return {
        "user_roles": sorted(role.label for role in user_roles),
        "is_director": Role.DIRECTOR in user_roles,
        "is_policy_officer": Role.POLICY_OFFICER in user_roles,
    }
