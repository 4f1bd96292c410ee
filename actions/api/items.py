"""What hangs off an action: progress updates, evidence, measures and readings.

Read here (lists for sync, filtered by action or plan); added through the action's own
endpoints (views.py), readings through their measure; returned by a director here.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Prefetch, QuerySet
from django.http import FileResponse, Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import decorators, serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from actions import lifecycle, services
from actions.models import Action, Evidence, Measure, MeasureReading, ProgressUpdate
from core.api.fields import ID_PATTERN
from core.api.filters import BooleanFilter, IdFilter

from . import serializers as s
from .common import actions_for, require, validated

# What actions.uploads accepts, by content.
FILE_TYPES = [
    "application/pdf",
    "image/png",
    "image/jpeg",
    "text/plain",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
]
BY_TIME = {"id": ("id",), "-id": ("-id",)}


def item_created(
    request: Request, serializer: type[serializers.Serializer], item: Any, collection: str
) -> Response:
    location = request.build_absolute_uri(f"/api/v1/{collection}/{item.pk}/")
    return Response(serializer(item).data, status=201, headers={"Location": location})


class ItemFilter(django_filters.FilterSet):
    action = IdFilter(field_name="action_id")
    plan = IdFilter(field_name="action__plan_id", help_text="Of an action of this plan.")
    inspection = IdFilter(
        method="filter_inspection",
        help_text="Of an action answering an item of this report (inspection).",
    )

    def filter_inspection(self, queryset: QuerySet, name: str, value: int) -> QuerySet:
        answers = Action.recommendations.through.objects.filter(recommendation__inspection_id=value)
        return queryset.filter(action__in=answers.values("action_id"))


class ProgressFilter(ItemFilter):
    created_since = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="gte")
    returned = BooleanFilter(field_name="returned_at", lookup_expr="isnull", exclude=True)

    class Meta:
        model = ProgressUpdate
        fields: list[str] = []


class EvidenceFilter(ItemFilter):
    added_since = django_filters.IsoDateTimeFilter(field_name="added_at", lookup_expr="gte")
    returned = BooleanFilter(field_name="returned_at", lookup_expr="isnull", exclude=True)

    class Meta:
        model = Evidence
        fields: list[str] = []


class MeasureFilter(ItemFilter):
    class Meta:
        model = Measure
        fields: list[str] = []


class ReadingFilter(django_filters.FilterSet):
    measure = IdFilter(field_name="measure_id")
    action = IdFilter(field_name="measure__action_id")
    plan = IdFilter(field_name="measure__action__plan_id", help_text="Of an action of this plan.")
    recorded_since = django_filters.IsoDateTimeFilter(field_name="recorded_at", lookup_expr="gte")

    class Meta:
        model = MeasureReading
        fields: list[str] = []


def _return(view: viewsets.GenericViewSet, request: Request) -> Response:
    item = view.get_object()
    require(request, "actions.return_item", item.action)
    data = validated(s.ReturnSerializer, request)
    services.return_item(item=item, by=request.user, **data)
    return Response(view.get_serializer(view.get_queryset().get(pk=item.pk)).data)


@extend_schema_view(
    list=extend_schema(summary="Progress updates"),
    retrieve=extend_schema(summary="One progress update"),
)
class ProgressUpdateViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = s.ProgressUpdateSerializer
    lookup_value_regex = ID_PATTERN
    filterset_class = ProgressFilter
    orderings = {**BY_TIME, "created_at": ("created_at", "id")}

    def get_queryset(self) -> QuerySet[ProgressUpdate]:
        return ProgressUpdate.objects.filter(action__in=actions_for(self.request)).select_related(
            "author", "action"
        )

    @extend_schema(
        summary="Return a progress update to its author (directors)",
        request=s.ReturnSerializer,
        filters=False,
    )
    @decorators.action(detail=True, methods=["post"], url_path="return")
    def return_item(self, request: Request, pk: str) -> Response:
        return _return(self, request)


@extend_schema_view(
    list=extend_schema(summary="Evidence"), retrieve=extend_schema(summary="One piece of evidence")
)
class EvidenceViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = s.EvidenceSerializer
    lookup_value_regex = ID_PATTERN
    filterset_class = EvidenceFilter
    orderings = {**BY_TIME, "added_at": ("added_at", "id")}

    def get_queryset(self) -> QuerySet[Evidence]:
        return Evidence.objects.filter(action__in=actions_for(self.request)).select_related(
            "action"
        )

    @extend_schema(
        summary="Return evidence to whoever added it (directors)",
        request=s.ReturnSerializer,
        filters=False,
    )
    @decorators.action(detail=True, methods=["post"], url_path="return")
    def return_item(self, request: Request, pk: str) -> Response:
        return _return(self, request)

    @extend_schema(
        summary="Download the evidence file",
        description="Always an attachment, under the name it was uploaded with.",
        responses={(200, media): OpenApiTypes.BINARY for media in FILE_TYPES},
        filters=False,
    )
    @decorators.action(detail=True, methods=["get"])
    def download(self, request: Request, pk: str) -> FileResponse:
        evidence = self.get_object()
        if not evidence.file:
            raise Http404("This evidence is a link, not a file.")
        return FileResponse(
            evidence.file.open("rb"),
            as_attachment=True,
            filename=evidence.original_filename or "evidence",
            content_type=evidence.content_type or "application/octet-stream",
        )


@extend_schema_view(
    list=extend_schema(summary="Measures, with their readings"),
    retrieve=extend_schema(summary="One measure, with its readings"),
)
class MeasureViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = s.MeasureSerializer
    lookup_value_regex = ID_PATTERN
    filterset_class = MeasureFilter
    orderings = BY_TIME

    def get_queryset(self) -> QuerySet[Measure]:
        readings = Prefetch("readings", queryset=MeasureReading.objects.order_by("date", "id"))
        return (
            Measure.objects.filter(action__in=actions_for(self.request))
            .select_related("action")
            .prefetch_related(readings)
        )

    @extend_schema(
        summary="Record a reading (one per measure and day)",
        request=s.ReadingCreateSerializer,
        responses={201: s.ReadingSerializer},
        filters=False,
    )
    @decorators.action(detail=True, methods=["post"])
    def readings(self, request: Request, pk: str) -> Response:
        measure = self.get_object()
        require(request, lifecycle.permission("reading"), measure.action)
        data = validated(s.ReadingCreateSerializer, request)
        reading = services.record_reading(measure=measure, by=request.user, **data)
        return item_created(request, s.ReadingSerializer, reading, "readings")


@extend_schema_view(
    list=extend_schema(summary="Measure readings"), retrieve=extend_schema(summary="One reading")
)
class ReadingViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = s.ReadingSerializer
    lookup_value_regex = ID_PATTERN
    filterset_class = ReadingFilter
    orderings = {**BY_TIME, "date": ("date", "id")}

    def get_queryset(self) -> QuerySet[MeasureReading]:
        return MeasureReading.objects.filter(measure__action__in=actions_for(self.request))
