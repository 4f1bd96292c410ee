"""Plan submissions and progress reports: generate a version, list, download, submit.

Through actions.documents.services, like the documents page: each generated version is
kept with the snapshot it was built from; small plans are generated during the request,
large ones by a worker (the version's `status` says which stage it is at).
"""

from __future__ import annotations

import django_filters
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import FileResponse, Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import decorators, serializers, viewsets
from rest_framework.generics import get_object_or_404
from rest_framework.request import Request
from rest_framework.response import Response

from actions.documents import services
from actions.documents.access import PRODUCE
from actions.documents.models import (
    CONTENT_TYPES,
    DocumentFormat,
    DocumentKind,
    DocumentVersion,
    GenerationStatus,
)
from core.api.fields import ID_PATTERN, ApiModelSerializer, IdField, PlanDateField
from core.api.filters import IdFilter
from core.api.scope import plans_for, reports_for
from core.errors import DomainError
from plans.permissions import can, is_director, is_policy_officer

from .serializers import ThemeField


class DocumentVersionSerializer(ApiModelSerializer):
    class Meta:
        model = DocumentVersion
        fields = [
            "id",
            "plan",
            "inspection",
            "kind",
            "format",
            "status",
            "message",
            "download_name",
            "size",
            "sha256",
            "is_draft",
            "action_count",
            "period_start",
            "period_end",
            "generated_by",
            "requested_at",
            "generated_at",
            "submitted_at",
            "submitted_by",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "inspection": {
                "help_text": "The source (report) a submission answers; null for a "
                "progress report, which covers the whole plan."
            }
        }


class DocumentRequestSerializer(serializers.Serializer):
    plan = IdField(
        required=False,
        allow_null=True,
        default=None,
        help_text="The plan. May be left out when `inspection` names one of its sources.",
    )
    inspection = IdField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Submission: the source (report) it answers; each has its own statutory "
        "submission. May be left out when the plan has one source.",
    )
    theme = ThemeField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Progress report: one of the plan's themes, for a board reading by theme.",
    )
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    format = serializers.ChoiceField(choices=DocumentFormat.choices)
    signed_by = IdField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Submission: the director of the council who signs the plan.",
    )
    signed_on = PlanDateField(required=False, allow_null=True, default=None)
    period_start = PlanDateField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Progress report: first day of the period.",
    )
    period_end = PlanDateField(required=False, allow_null=True, default=None)


class DocumentFilter(django_filters.FilterSet):
    plan = IdFilter(field_name="plan_id")
    inspection = IdFilter(field_name="inspection_id", help_text="Submissions for this source.")
    kind = django_filters.ChoiceFilter(choices=DocumentKind.choices)

    class Meta:
        model = DocumentVersion
        fields: list[str] = []


@extend_schema_view(
    list=extend_schema(
        summary="Generated documents",
        description="Versions of the plans "
        "whose documents you may produce (directors and policy officers).",
    ),
    retrieve=extend_schema(summary="One document version"),
)
class DocumentVersionViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = DocumentVersionSerializer
    filterset_class = DocumentFilter
    orderings = {"id": ("id",), "-id": ("-id",)}
    lookup_value_regex = ID_PATTERN

    def get_queryset(self) -> QuerySet[DocumentVersion]:
        return DocumentVersion.objects.filter(plan__in=plans_for(self.request))

    def get_object(self) -> DocumentVersion:
        version = get_object_or_404(
            self.get_queryset().select_related("plan", "inspection"), pk=self.kwargs["pk"]
        )
        if not can(self.request.user, PRODUCE, version.plan):
            raise PermissionDenied("Only directors and policy officers see plan documents.")
        return version

    def list(self, request: Request) -> Response:
        if not (is_director(request.user) or is_policy_officer(request.user)):
            raise PermissionDenied("Only directors and policy officers see plan documents.")
        return super().list(request)

    @extend_schema(
        summary="Generate a submission or progress report",
        description="Records a version from the plan as it is now: a submission answers "
        "one source (`inspection`); a progress report covers the plan, or one `theme`. "
        "Small plans are generated at once (`status: ready`); large ones by a worker "
        "(`pending`).",
        request=DocumentRequestSerializer,
        responses={201: DocumentVersionSerializer},
    )
    def create(self, request: Request) -> Response:
        form = DocumentRequestSerializer(data=request.data, context={"request": request})
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        plan = inspection = None
        if data["plan"] is not None:
            plan = get_object_or_404(plans_for(request), pk=data["plan"])
        if data["inspection"] is not None:
            inspection = get_object_or_404(
                reports_for(request).select_related("plan"), pk=data["inspection"]
            )
        subject = plan or inspection
        if subject is None:
            raise DomainError("Give the plan, or the source a submission answers.", field="plan")
        services.require_documents(request.user, subject)
        version = services.request_document(
            plan=plan,
            inspection=inspection,
            theme=data["theme"],
            by=request.user,
            kind=data["kind"],
            fmt=data["format"],
            signed_by=services.signatory(subject, data["signed_by"]),
            signed_on=data["signed_on"],
            period_start=data["period_start"],
            period_end=data["period_end"],
        )
        return Response(DocumentVersionSerializer(version).data, status=201)

    @extend_schema(
        summary="Download a generated document",
        responses={(200, media): OpenApiTypes.BINARY for media in CONTENT_TYPES.values()},
        filters=False,
    )
    @decorators.action(detail=True, methods=["get"])
    def download(self, request: Request, pk: str) -> FileResponse:
        version = self.get_object()
        if version.status != GenerationStatus.READY or not version.file:
            raise Http404("This document is not ready.")
        return FileResponse(
            version.file.open("rb"),
            as_attachment=True,
            filename=version.download_name,
            content_type=version.content_type,
        )

    @extend_schema(
        summary="Mark a plan submission as sent to DfE and Ofsted",
        description="The version is locked from then on.",
        request=None,
        responses=DocumentVersionSerializer,
        filters=False,
    )
    @decorators.action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str) -> Response:
        version = services.mark_submitted(version=self.get_object(), by=request.user)
        return Response(DocumentVersionSerializer(version).data)
