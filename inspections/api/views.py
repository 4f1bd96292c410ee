"""Inspections (with judgements), recommendations and the plan deadline override."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import decorators, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from actions.models import Action
from core.api.fields import ID_PATTERN
from core.api.scope import plans_for, reports_for
from inspections import services
from inspections.models import Inspection, Recommendation, RecommendationRepeat, RepeatStatus
from plans.permissions import can

from .filters import InspectionFilter, RecommendationFilter
from .serializers import DeadlineOverrideSerializer, InspectionSerializer, RecommendationSerializer


@extend_schema_view(
    list=extend_schema(
        summary="Inspections",
        description="The inspections (reports and letters) you can see: the sources of "
        "the plans you see and the reports their councils hold as history, with their "
        "judgements and the deadlines of their own submissions.",
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
            reports_for(self.request)
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
        return recommendations_for(self.request)


def recommendations_for(request: Request) -> QuerySet[Recommendation]:
    """The recommendations of the reports the request may see, each with the earlier
    items it repeats (not dismissed, of reports it may see) and the actions answering it
    (of plans it may see): two queries for a page, whatever its size."""
    repeats = (
        RecommendationRepeat.objects.exclude(status=RepeatStatus.DISMISSED)
        .filter(earlier__inspection__in=reports_for(request))
        .select_related("earlier")
        .order_by("-score", "earlier_id")
    )
    actions = Action.objects.filter(plan__in=plans_for(request)).only("pk").order_by("pk")
    return Recommendation.objects.filter(inspection__in=reports_for(request)).prefetch_related(
        Prefetch("repeat_links", queryset=repeats, to_attr="shown_repeats"),
        Prefetch("actions", queryset=actions, to_attr="shown_actions"),
    )
