"""Plans (read only): the improvement plans of the councils you can see."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets

from core.api.fields import ID_PATTERN
from core.api.scope import plans_for
from inspections.models import Inspection
from plans.models import Plan

from .filters import PlanFilter
from .serializers import PlanSerializer


@extend_schema_view(
    list=extend_schema(
        summary="Plans",
        description="The improvement plans you can see: each with its sources (the "
        "inspections it responds to), its themes and its wider areas for improvement.",
    ),
    retrieve=extend_schema(summary="One plan"),
)
class PlanViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = PlanSerializer
    lookup_value_regex = ID_PATTERN
    filterset_class = PlanFilter
    orderings = {
        "id": ("id",),
        "-id": ("-id",),
        "updated_at": ("updated_at", "id"),
        "-updated_at": ("-updated_at", "-id"),
    }

    def get_queryset(self) -> QuerySet[Plan]:
        sources = Inspection.objects.order_by("publication_date", "id").only("pk", "plan_id")
        return (
            plans_for(self.request)
            .select_related("lead_director")
            .prefetch_related(Prefetch("sources", queryset=sources), "themes", "wider_areas")
        )
