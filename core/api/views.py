"""Organisations and people (read only), and the API's documentation pages."""

from __future__ import annotations

import django_filters
from csp.decorators import csp_update
from django.db.models import QuerySet
from django.http import Http404
from django.utils.decorators import method_decorator
from drf_spectacular.utils import extend_schema, extend_schema_view
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework import decorators, viewsets
from rest_framework.decorators import api_view, permission_classes, schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from core.models import Organisation, User
from core.roles import Role

from .fields import ID_PATTERN
from .filters import IdFilter
from .scope import organisations_for, users_for
from .serializers import OrganisationSerializer, UserSerializer


class OrganisationFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=Organisation.Kind.choices)
    name = django_filters.CharFilter(lookup_expr="icontains", help_text="Part of the name.")

    class Meta:
        model = Organisation
        fields: list[str] = []


@extend_schema_view(
    list=extend_schema(
        summary="Organisations",
        description="Your own organisation, the councils whose plans you can see and "
        "their partners: the organisations an action of those plans may name.",
    ),
    retrieve=extend_schema(summary="One organisation"),
)
class OrganisationViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = OrganisationSerializer
    lookup_value_regex = ID_PATTERN
    filterset_class = OrganisationFilter
    orderings = {"id": ("id",), "-id": ("-id",), "name": ("name", "id")}

    def get_queryset(self) -> QuerySet[Organisation]:
        return organisations_for(self.request).prefetch_related("partner_of")


class UserFilter(django_filters.FilterSet):
    organisation = IdFilter(field_name="organisation_id")
    role = django_filters.ChoiceFilter(
        field_name="groups__name", choices=[(r.value, r.label) for r in Role]
    )
    username = django_filters.CharFilter()

    class Meta:
        model = User
        fields: list[str] = []


@extend_schema_view(
    list=extend_schema(
        summary="People",
        description="People of the organisations you can see (those who may be "
        "assigned to their plans) and everyone named on a visible action (owners, "
        "assigners).",
    ),
    retrieve=extend_schema(summary="One person"),
)
class UserViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = UserSerializer
    lookup_value_regex = ID_PATTERN
    filterset_class = UserFilter

    def get_queryset(self) -> QuerySet[User]:
        return users_for(self.request).prefetch_related("groups")

    @extend_schema(summary="Who the request acts as", responses=UserSerializer)
    @decorators.action(detail=False, methods=["get"], pagination_class=None, filterset_class=None)
    def me(self, request: Request) -> Response:
        return Response(UserSerializer(request.user).data)


# Swagger UI's page carries one small inline <style>; every script comes from 'self'.
@method_decorator(csp_update({"style-src": ["'unsafe-inline'"]}), name="dispatch")
class ApiDocsView(SpectacularSwaggerSplitView):
    pass


@api_view(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"])
@permission_classes([AllowAny])
@schema(None)
def not_found(request: Request) -> Response:
    """Any other /api/ address: a problem document, not the site's HTML page."""
    raise Http404
