"""Inspections (with judgements), recommendations and the plan deadline override."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import decorators, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from actions.permissions import can
from core.api.fields import ID_PATTERN
from core.api.scope import inspections_for
from inspections import services
from inspections.models import Inspection, Recommendation

from .filters import InspectionFilter, RecommendationFilter
from .serializers import DeadlineOverrideSerializer, InspectionSerializer, RecommendationSerializer


@extend_schema_view(
    list=extend_schema(
        summary="Inspections",
        description="The inspections (plans) you can "
        "see, with their judgements and plan deadlines.",
    ),
    retrieve=extend_schema(summary="One inspection"),
)
class InspectionViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = InspectionSerializer
    lookup_value_regex = ID_PATTERN
    filterset_class = InspectionFilter
    orderings = {
        "id": ("id",),
        "-id": ("-id",),
        "updated_at": ("updated_at", "id"),
        "-updated_at": ("-updated_at", "-id"),
    }

    def get_queryset(self) -> QuerySet[Inspection]:
        return (
            inspections_for(self.request)
            .select_related("local_authority")
            .prefetch_related("judgements")
            .annotate(recommendation_count=Count("recommendations"))
        )

    @extend_schema(
        summary="Override the plan (or draft plan) deadline",
        description="A policy officer sets the due date by hand with a reason; `new_date: "
        "null` removes the override and the derived date applies again.",
        request=DeadlineOverrideSerializer,
        responses=InspectionSerializer,
    )
    @decorators.action(detail=True, methods=["post"], filterset_class=None)
    def deadline(self, request: Request, pk: str) -> Response:
        inspection = self.get_object()
        if not can(request.user, "inspections.change_deadline", inspection):
            raise PermissionDenied("Only policy officers can change the plan deadline.")
        form = DeadlineOverrideSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        services.override_deadline(inspection=inspection, by=request.user, **form.validated_data)
        return Response(InspectionSerializer(self.get_queryset().get(pk=inspection.pk)).data)


@extend_schema_view(
    list=extend_schema(
        summary="Recommendations", description="Verbatim, in report order with `ordering=report`."
    ),
    retrieve=extend_schema(summary="One recommendation"),
)
class RecommendationViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = RecommendationSerializer
    lookup_value_regex = ID_PATTERN
    filterset_class = RecommendationFilter
    orderings = {"id": ("id",), "-id": ("-id",), "report": ("inspection_id", "order", "id")}

    def get_queryset(self) -> QuerySet[Recommendation]:
        return Recommendation.objects.filter(inspection__in=inspections_for(self.request))
