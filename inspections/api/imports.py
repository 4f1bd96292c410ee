"""Importing a report through the API: upload → review the parsed result → confirm.

The same path as the upload page: inspections.importer reads, refuses duplicates and
parses; a PendingImport row holds the result until it is confirmed (optionally corrected)
or abandoned.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import decorators, mixins, parsers, serializers, status, viewsets
from rest_framework.generics import get_object_or_404
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.errors import Problem
from core.api.fields import IdRelatedField
from core.api.parsers import JSONParser
from core.api.scope import token_of
from core.models import Organisation
from inspections import importer, services
from inspections.authorities import default_authority, may_act_for
from inspections.models import Inspection, PendingImport
from inspections.review import report_from_dict
from plans.models import Plan, PlanStatus
from plans.permissions import can

from .serializers import (
    ImportConfirmSerializer,
    ImportUploadSerializer,
    InspectionSerializer,
    PendingImportSerializer,
)


class ConfirmSerializer(ImportConfirmSerializer):
    local_authority = IdRelatedField(
        queryset=Organisation.objects.filter(kind=Organisation.Kind.LOCAL_AUTHORITY),
        required=False,
        allow_null=True,
        default=None,
        help_text="The id of the council whose plan this is: one you may import a plan for. "
        "Leave out for the token's council, else your own. The name the report prints "
        "never creates or chooses a council.",
    )
    plan = IdRelatedField(
        queryset=Plan.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text="The id of the council's open plan this report becomes a source of. Leave "
        "out for a new plan (or with hold_as_history, for none).",
    )
    hold_as_history = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Keep the report as history: it feeds no plan, and its items are compared "
        "with later reports' items to find repeats.",
    )

    def validate(self, data: dict) -> dict:
        data = super().validate(data)
        if data.get("plan") is not None and data.get("hold_as_history"):
            raise serializers.ValidationError(
                {"plan": "Give a plan or hold the report as history, not both."}
            )
        return data


def plan_authority(request: Request, chosen: Organisation | None, printed: str) -> Organisation:
    """The council whose plan an API import makes: the one named, else the token's, else
    the person's own (see default_authority); refused unless the token and the person may
    act for it."""
    token = token_of(request)
    limit = token.organisation if token else None
    authority = chosen or limit or default_authority(request.user, printed)
    if authority is None:
        raise Problem(
            status_code=400,
            code="invalid",
            detail="Give local_authority: the council whose plan this is.",
        )
    if limit is not None and authority.pk != limit.pk:
        raise PermissionDenied(f"This token is limited to {limit}'s plans.")
    if not may_act_for(request.user, authority):
        raise PermissionDenied("You cannot import a plan for this council.")
    return authority


def _open_plan(request: Request, plan: Plan | None) -> Plan | None:
    """The plan named, if the person sees it and it is open (the import service checks
    that it is the chosen council's)."""
    if plan is None:
        return None
    if not can(request.user, "plans.view_plan", plan):
        raise Problem(status_code=400, code="invalid", detail="Choose one of the council's plans.")
    if plan.status == PlanStatus.CLOSED:
        raise Problem(
            status_code=400, code="invalid", detail="This plan is closed: choose an open plan."
        )
    return plan


def duplicate(request: Request, error: services.DuplicateReport) -> Problem:
    """409: the file was imported before; which plan it became only for those who see it."""
    existing = error.seen_by(request.user)
    if existing is None:
        return Problem(status_code=409, code="duplicate", detail=services.NOT_YOURS_DUPLICATE)
    return Problem(
        status_code=409,
        code="duplicate",
        detail=f"This report has already been imported: {existing}.",
        existing={
            "id": existing.pk,
            "url": request.build_absolute_uri(f"/api/v1/inspections/{existing.pk}/"),
            "html_url": request.build_absolute_uri(existing.get_absolute_url()),
        },
    )


@extend_schema_view(
    list=extend_schema(summary="Your imports awaiting review"),
    retrieve=extend_schema(summary="One import awaiting review"),
    destroy=extend_schema(summary="Abandon an import (nothing is saved)"),
)
class ImportViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = PendingImportSerializer
    lookup_field = "token"
    lookup_url_kwarg = "id"
    lookup_value_regex = "[0-9a-f]{32}"
    orderings = {"id": ("id",), "-id": ("-id",)}
    parser_classes = [JSONParser, parsers.MultiPartParser]  # the report is uploaded

    def initial(self, request: Request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)
        if not can(request.user, "inspections.import_report"):
            raise PermissionDenied("Only policy officers import reports.")

    def get_queryset(self) -> QuerySet[PendingImport]:
        if not self.request.user.is_authenticated:  # the schema generator's fake request
            return PendingImport.objects.none()
        return PendingImport.objects.filter(uploaded_by=self.request.user)

    def perform_destroy(self, instance: PendingImport) -> None:
        importer.abandon(instance)

    @extend_schema(
        summary="Upload a report for review",
        description="Reads the report and returns what was found, for review. Nothing is "
        "imported until it is confirmed. A file imported before is refused (409, with a "
        "link to the existing inspection).",
        request={"multipart/form-data": ImportUploadSerializer},
        responses={201: PendingImportSerializer},
    )
    def create(self, request: Request) -> Response:
        form = ImportUploadSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        try:
            pending = importer.start_review(upload=form.validated_data["report"], user=request.user)
        except services.DuplicateReport as error:
            raise duplicate(request, error) from None
        return Response(PendingImportSerializer(pending).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Confirm an import",
        description="Imports the reviewed result (or the corrected `result`, in the same shape) "
        "as an inspection with its judgements and recommendations.",
        request=ConfirmSerializer,
        responses={201: InspectionSerializer},
    )
    @decorators.action(detail=True, methods=["post"], parser_classes=[parsers.JSONParser])
    def confirm(self, request: Request, id: str) -> Response:
        pending = get_object_or_404(self.get_queryset(), token=id)
        form = ConfirmSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        edited = form.validated_data.get("result")
        report = report_from_dict(edited if edited is not None else pending.result)
        authority = plan_authority(
            request, form.validated_data.get("local_authority"), report.local_authority
        )
        try:
            inspection = importer.confirm(
                pending=pending,
                report=report,
                user=request.user,
                authority=authority,
                received_date=form.validated_data.get("received_date"),
                plan=_open_plan(request, form.validated_data.get("plan")),
                hold_as_history=form.validated_data.get("hold_as_history", False),
            )
        except services.DuplicateReport as error:
            raise duplicate(request, error) from None
        created = Inspection.objects.filter(pk=inspection.pk)
        data = InspectionSerializer(created.prefetch_related("judgements").with_counts().get()).data
        location = request.build_absolute_uri(f"/api/v1/inspections/{inspection.pk}/")
        return Response(data, status=status.HTTP_201_CREATED, headers={"Location": location})
