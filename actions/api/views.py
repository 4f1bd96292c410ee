"""Actions: read, draft, change details (PATCH) and every state change, each through the
service the pages use (actions.services). Nothing here writes a field directly."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import decorators, parsers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.generics import get_object_or_404
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.request import Request
from rest_framework.response import Response

from actions import lifecycle, services
from actions.models import Action
from core.api.fields import ID_PATTERN
from core.api.scope import plans_for

from . import export
from . import serializers as s
from .common import IF_MATCH, actions_for, etag, expected_version, require, validated
from .filters import ApiActionFilter
from .items import item_created

ETAG_OK = {"x-etag": ["200"]}
ORDERINGS = {
    "id": ("id",),
    "-id": ("-id",),
    "updated_at": ("updated_at", "id"),
    "-updated_at": ("-updated_at", "-id"),
    "due_date": ("due_date", "id"),
    "-due_date": ("-due_date", "-id"),
}


class FirstRenderer(BaseContentNegotiation):
    """File downloads answer in their own type whatever the Accept header says."""

    def select_parser(self, request: Request, parsers: list) -> Any:
        return parsers[0] if parsers else None

    def select_renderer(self, request: Request, renderers: list, format_suffix: Any = None):
        return renderers[0], renderers[0].media_type


def change(
    summary: str, request: Any = None, description: str = "", versioned: bool = True
) -> Callable:
    """The schema of a state change: its input, the action back, If-Match, ETag."""
    return extend_schema(
        summary=summary,
        description=description,
        request=request,
        responses=s.ActionSerializer,
        parameters=[IF_MATCH] if versioned else [],
        extensions=ETAG_OK,
        filters=False,
    )


def authority_of(action: Action) -> int:
    """The local authority whose plan the action is in."""
    return action.plan.local_authority_id


class ActionViewSet(viewsets.GenericViewSet):
    serializer_class = s.ActionSerializer
    filterset_class = ApiActionFilter
    orderings = ORDERINGS
    lookup_value_regex = ID_PATTERN

    def get_queryset(self) -> QuerySet[Action]:
        return actions_for(self.request).select_related("owner", "plan")

    def get_object(self) -> Action:
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    def represent(self, action: Action, status: int = 200) -> Response:
        fresh = s.with_answers(Action.objects.select_related("owner")).get(pk=action.pk)
        return Response(
            s.ActionSerializer(fresh).data, status=status, headers={"ETag": etag(fresh.version)}
        )

    def conflict_body(self, current: Action) -> dict:
        return self.represent(current).data

    def conflict_headers(self, current: Action) -> dict[str, str]:
        return {"ETag": etag(current.version)}

    def _change(
        self, request: Request, transition: str, form: Any, service: Callable[..., Any]
    ) -> Response:
        """Find (404), check (403), validate (400), then let the service decide (422/412):
        the permission and the statuses allowed are actions.lifecycle's `transition`."""
        action = self.get_object()
        require(request, lifecycle.permission(transition), action)
        data = validated(form, request, authority_id=authority_of(action)) if form else {}
        service(action=action, by=request.user, expected_version=expected_version(request), **data)
        return self.represent(action)

    @extend_schema(
        summary="Actions",
        description="Filter, sort and page through the actions "
        "of every plan you can see. For incremental sync use `updated_since` with "
        "`ordering=updated_at` and follow `next`.",
    )
    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(s.action_rows(self.filter_queryset(actions_for(request))))
        return self.get_paginated_response(s.answered([s.shown(row) for row in page]))

    @extend_schema(summary="One action", extensions=ETAG_OK, filters=False)
    def retrieve(self, request: Request, pk: str) -> Response:
        return self.represent(self.get_object())

    @extend_schema(
        summary="Draft an action",
        request=s.ActionDraftSerializer,
        responses={201: s.ActionSerializer},
        extensions={"x-etag": ["201"]},
    )
    def create(self, request: Request) -> Response:
        # The plan first: which organisations the action may name depends on it.
        choice = s.PlanChoiceSerializer(data=request.data)
        if not choice.is_valid():
            # Still list every other field's problem in the one answer.
            rest = s.ActionDraftSerializer(
                data=request.data, context={"authority_id": None, "request": request}
            )
            rest.is_valid()
            others = {k: v for k, v in rest.errors.items() if k != "organisation"}
            raise ValidationError({**others, **choice.errors})
        plan = get_object_or_404(
            plans_for(request).select_related("local_authority"),
            pk=choice.validated_data["plan"],
        )
        require(request, "actions.draft_action", plan)
        data = validated(
            s.ActionDraftSerializer,
            request,
            authority_id=plan.local_authority_id,
        )
        data.pop("plan")
        action = services.draft_action(plan=plan, by=request.user, **data)
        response = self.represent(action, status=201)
        response["Location"] = request.build_absolute_uri(f"{action.pk}/")
        return response

    @change(
        "Change what will be done, outcome, resources, risks, organisation, or what it answers",
        s.ActionUpdateSerializer,
        description="`recommendations`, `wider_area` and `theme` change what the action "
        "answers (policy officers and directors); what is left out of them stays as it is. "
        "The action must still answer a recommendation or a wider area of its plan.",
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        action = self.get_object()
        form = s.ActionUpdateSerializer(
            data=request.data,
            partial=True,
            context={"authority_id": authority_of(action), "request": request},
        )
        require(request, lifecycle.permission("edit"), action)
        form.is_valid(raise_exception=True)
        fixed = (
            sorted(set(request.data) - set(form.fields)) if hasattr(request.data, "keys") else []
        )
        if fixed:
            raise ValidationError(
                {
                    name: ["This cannot be changed here: use the action's state change endpoints."]
                    for name in fixed
                }
            )
        details = dict(form.validated_data)
        answers = {name: details.pop(name) for name in s.ANSWERS if name in details}
        version = expected_version(request)
        with transaction.atomic():
            if answers:
                services.change_answers(
                    action=action,
                    by=request.user,
                    expected_version=version,
                    recommendations=answers.get(
                        "recommendations", list(action.recommendations.select_related("inspection"))
                    ),
                    wider_area=answers.get("wider_area", action.wider_area),
                    theme=answers.get("theme", action.theme),
                )
                version = None  # checked, and the row stays locked to the end
            if details or not answers:
                services.update_details(
                    action=action, by=request.user, expected_version=version, **details
                )
        return self.represent(action)

    @change("Assign the responsible officer (directors)", s.AssignOwnerSerializer)
    @decorators.action(detail=True, methods=["post"], url_path="assign-owner")
    def assign_owner(self, request: Request, pk: str) -> Response:
        return self._change(request, "assign", s.AssignOwnerSerializer, services.assign_owner)

    @change("Move the due date, with a reason (directors)", s.MoveDueDateSerializer)
    @decorators.action(detail=True, methods=["post"], url_path="move-due-date")
    def move_due_date(self, request: Request, pk: str) -> Response:
        return self._change(request, "move-date", s.MoveDueDateSerializer, services.move_due_date)

    @change("Set or clear the RAG by hand, with a reason (directors)", s.OverrideRagSerializer)
    @decorators.action(detail=True, methods=["post"], url_path="override-rag")
    def override_rag(self, request: Request, pk: str) -> Response:
        return self._change(request, "rag", s.OverrideRagSerializer, services.override_rag)

    @change("Mark the action complete, saying what was done", s.CompleteSerializer)
    @decorators.action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: str) -> Response:
        return self._change(request, "complete", s.CompleteSerializer, services.mark_complete)

    @change("Submit the impact (a reading or evidence must back it)", s.ImpactSerializer)
    @decorators.action(detail=True, methods=["post"], url_path="submit-impact")
    def submit_impact(self, request: Request, pk: str) -> Response:
        return self._change(request, "impact", s.ImpactSerializer, services.submit_impact)

    @change(
        "Sign off: close the loop (a director who does not own the action)", s.SignOffSerializer
    )
    @decorators.action(detail=True, methods=["post"], url_path="sign-off")
    def sign_off(self, request: Request, pk: str) -> Response:
        return self._change(request, "sign-off", s.SignOffSerializer, services.sign_off)

    @change("Reopen a complete or closed action (directors)", s.ReasonSerializer)
    @decorators.action(detail=True, methods=["post"])
    def reopen(self, request: Request, pk: str) -> Response:
        return self._change(request, "reopen", s.ReasonSerializer, services.reopen)

    @extend_schema(
        summary="Record progress",
        request=s.ProgressCreateSerializer,
        responses={201: s.ProgressUpdateSerializer},
        parameters=[IF_MATCH],
        filters=False,
    )
    @decorators.action(detail=True, methods=["post"], url_path="progress-updates")
    def progress_updates(self, request: Request, pk: str) -> Response:
        action = self.get_object()
        require(request, lifecycle.permission("progress"), action)
        data = validated(s.ProgressCreateSerializer, request)
        update = services.record_progress(
            action=action, by=request.user, expected_version=expected_version(request), **data
        )
        return item_created(request, s.ProgressUpdateSerializer, update, "progress-updates")

    @extend_schema(
        summary="Add evidence: a file (multipart) or a link",
        request={
            "multipart/form-data": s.EvidenceCreateSerializer,
            "application/json": s.EvidenceCreateSerializer,
        },
        responses={201: s.EvidenceSerializer},
        filters=False,
    )
    @decorators.action(
        detail=True, methods=["post"], parser_classes=[parsers.MultiPartParser, parsers.JSONParser]
    )
    def evidence(self, request: Request, pk: str) -> Response:
        action = self.get_object()
        require(request, lifecycle.permission("evidence"), action)
        data = validated(s.EvidenceCreateSerializer, request)
        item = services.add_evidence(action=action, by=request.user, **data)
        return item_created(request, s.EvidenceSerializer, item, "evidence")

    @extend_schema(
        summary="Add a measure: how we will know",
        request=s.MeasureCreateSerializer,
        responses={201: s.MeasureSerializer},
        filters=False,
    )
    @decorators.action(detail=True, methods=["post"])
    def measures(self, request: Request, pk: str) -> Response:
        action = self.get_object()
        require(request, lifecycle.permission("measure"), action)
        data = validated(s.MeasureCreateSerializer, request)
        measure = services.add_measure(action=action, by=request.user, **data)
        return item_created(request, s.MeasureSerializer, measure, "measures")

    @extend_schema(
        summary="Export every matching action (streamed)",
        description="All actions matching the filters, streamed as CSV or as a JSON array of "
        "the list's rows, without paging.",
        parameters=[
            OpenApiParameter(
                "file_format", OpenApiTypes.STR, enum=["csv", "json"], description="Default: csv."
            )
        ],
        responses={
            (200, "text/csv"): OpenApiTypes.STR,
            (200, "application/json"): s.ActionSerializer(many=True),
        },
    )
    @decorators.action(
        detail=False,
        methods=["get"],
        pagination_class=None,
        content_negotiation_class=FirstRenderer,
    )
    def export(self, request: Request) -> Any:
        return export.stream(
            s.action_rows(self.filter_queryset(actions_for(request))),
            request.query_params.get("file_format", "csv"),
        )
