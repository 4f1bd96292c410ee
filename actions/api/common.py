"""Small helpers every action endpoint uses: permission, If-Match, validated input."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import PermissionDenied
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers
from rest_framework.request import Request

from actions.models import Action, ActionQuerySet
from core.api.errors import Problem
from core.api.scope import organisation_limit
from plans.permissions import can

IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description='The ETag of the action as you read it, e.g. "7". If someone changed the '
    "action since, nothing is written and the answer is 412 with the current values.",
)
_ETAG = re.compile(r'^\s*(?:W/)?"?(\d{1,9})"?\s*$')


def actions_for(request: Request) -> ActionQuerySet:
    """The actions the request may see: of the plans core.api.scope.plans_for names, in
    the list's own query."""
    return Action.objects.seen_by(request.user, authority_id=organisation_limit(request))


def require(request: Request, permission: str, obj: Any = None) -> None:
    """403 unless the one permission layer (plans.permissions) allows it."""
    if not can(request.user, permission, obj):
        raise PermissionDenied(f"You do not have permission to do this ({permission}).")


def expected_version(request: Request) -> int | None:
    """The version an If-Match header names; None without one (or with `*`)."""
    header = request.headers.get("If-Match")
    if header is None or header.strip() == "*":
        return None
    match = _ETAG.match(header)
    if match is None:
        raise Problem(
            status_code=412,
            code="precondition_failed",
            detail='If-Match must be one ETag as sent by the API, e.g. "7".',
        )
    return int(match.group(1))


def etag(version: int) -> str:
    return f'"{version}"'


def validated(
    serializer_class: type[serializers.Serializer], request: Request, **context: Any
) -> dict[str, Any]:
    """The request's data checked by the serializer; the request and `context` are given
    to its fields (which look up what the request may see)."""
    form = serializer_class(data=request.data, context={"request": request, **context})
    form.is_valid(raise_exception=True)
    return dict(form.validated_data)
