"""Actions and what hangs off them, out (representations) and in (the services' inputs)."""

from __future__ import annotations

from typing import Any

from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection
from django.db.models import Case, F, OuterRef, Prefetch, QuerySet, Value, When
from django.db.models.functions import Coalesce, Concat, NullIf, Trim
from django.utils import timezone
from rest_framework import serializers

from actions.models import (
    Action,
    Evidence,
    Measure,
    MeasureReading,
    ProgressUpdate,
    Rag,
    overdue_condition,
)
from actions.permissions import plan_organisations, possible_owners
from core.api.fields import (
    ApiModelSerializer,
    IdField,
    IdRelatedField,
    PlanDateField,
    StrictCharField,
)
from core.api.scope import plans_for, reports_for
from core.models import Organisation, User
from inspections.models import Recommendation
from plans.models import Theme, WiderArea


def person_name(user: User | None) -> str | None:
    return (user.get_full_name() or user.username) if user else None


class PlanOrganisationField(IdRelatedField):
    """An organisation the plan may name (actions.permissions.plan_organisations), the
    plan's authority given as `authority_id` in the serializer's context. Any other id,
    whether it exists or not, is answered alike: "does not exist"."""

    def __init__(self, **kwargs) -> None:
        super().__init__(queryset=Organisation.objects.none(), **kwargs)

    def get_queryset(self):
        authority_id = self.context.get("authority_id")
        if authority_id is None:
            return Organisation.objects.none()
        return plan_organisations(authority_id)


class PossibleOwnerField(IdRelatedField):
    """A person who may own an action of the plan (actions.permissions.possible_owners):
    anyone else, whether they exist or not, is answered alike: "does not exist"."""

    def __init__(self, **kwargs) -> None:
        super().__init__(queryset=User.objects.none(), **kwargs)

    def get_queryset(self):
        authority_id = self.context.get("authority_id")
        if authority_id is None:
            return User.objects.none()
        return possible_owners(authority_id)


class ActionSerializer(ApiModelSerializer):
    """One action. Lists and exports read the same shape as rows (action_rows)."""

    recommendations = serializers.PrimaryKeyRelatedField(
        many=True,
        read_only=True,
        help_text="The ids of the recommendations it answers, of any of the plan's sources, "
        "in report order; empty when it answers a wider area only.",
    )
    wider_area = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text="The plan's wider area it answers, if any."
    )
    theme = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text="The plan's theme it is filed under, if any."
    )
    owner_name = serializers.SerializerMethodField()
    rag = serializers.ChoiceField(
        source="shown_rag",
        choices=Rag.choices,
        read_only=True,
        help_text="The RAG people see: an override wins.",
    )
    rag_derived = serializers.ChoiceField(source="rag", choices=Rag.choices, read_only=True)
    rag_override = serializers.ChoiceField(
        choices=Rag.choices,
        allow_blank=True,
        read_only=True,
        help_text='"" when the RAG is derived.',
    )
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Action
        fields = [
            "id",
            "plan",
            "recommendations",
            "wider_area",
            "theme",
            "title",
            "description",
            "owner",
            "owner_name",
            "organisation",
            "assigned_by",
            "assigned_at",
            "due_date",
            "overdue",
            "status",
            "rag",
            "rag_derived",
            "rag_reason",
            "rag_override",
            "rag_override_reason",
            "expected_outcome",
            "resources",
            "risks",
            "completed_at",
            "closure_justification",
            "signed_off_by",
            "signed_off_at",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_owner_name(self, action: Action) -> str | None:
        return person_name(action.owner)

    def get_overdue(self, action: Action) -> bool:
        return action.is_open and action.due_date < timezone.localdate()


# The order the ids of the items an action answers are given in, everywhere.
ANSWER_ORDER = ("inspection_id", "order", "id")


def with_answers(actions: QuerySet[Action]) -> QuerySet[Action]:
    """`actions` with the items each answers read in one query, in ANSWER_ORDER, for
    ActionSerializer."""
    return actions.prefetch_related(
        Prefetch(
            "recommendations",
            queryset=Recommendation.objects.only("pk", "inspection_id", "order").order_by(
                *ANSWER_ORDER
            ),
        )
    )


def action_rows(actions: QuerySet[Action]) -> QuerySet:
    """`actions` as ActionSerializer shows them, one dict per row (`values()`), for lists
    and exports: a serializer costs far more per row than the query does. The derived
    fields are worked out in the same query; the RAG people see comes as `shown_rag`
    (a field's own name cannot be reused) and `shown` names it as the serializer does.
    On PostgreSQL the ids of the items each answers come in the row too, as `answer_ids`
    (an array subquery); `answered` names them as the serializer does, and elsewhere
    reads them for a page of rows in one more query.
    tests/api/test_actions.py holds the two shapes equal."""
    owner_name = Trim(Concat("owner__first_name", Value(" "), "owner__last_name"))
    overdue = overdue_condition(timezone.localdate())
    rows = actions.values(
        *(name for name in ActionSerializer.Meta.fields if name not in _DERIVED),
        owner_name=Coalesce(NullIf(owner_name, Value("")), "owner__username"),
        overdue=Case(When(overdue, then=Value(True)), default=Value(False)),
        rag_derived=F("rag"),
        shown_rag=Coalesce(NullIf("rag_override", Value("")), "rag"),
    )
    if _arrays():
        items = _links_in_answer_order(action=OuterRef("pk")).values("recommendation_id")
        rows = rows.annotate(answer_ids=ArraySubquery(items))
    return rows


_DERIVED = {"recommendations", "owner_name", "overdue", "rag", "rag_derived"}


def _arrays() -> bool:
    """Whether the database reads a list of ids into a row (PostgreSQL's arrays)."""
    return connection.vendor == "postgresql"


def _links_in_answer_order(**which: Any) -> QuerySet:
    """The links between actions and the items they answer (those `which` names), in
    ANSWER_ORDER."""
    links = Action.recommendations.through.objects.filter(**which)
    return links.order_by(*(f"recommendation__{name}" for name in ANSWER_ORDER))


def shown(row: dict[str, Any]) -> dict[str, Any]:
    """A row of action_rows as the API shows it."""
    row["rag"] = row.pop("shown_rag")
    return row


def answered(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows of action_rows, each with `recommendations`: the ids of the items its action
    answers, in ANSWER_ORDER. Already in the rows on PostgreSQL (action_rows); elsewhere
    read for every row in one query."""
    if _arrays():
        for row in rows:
            row["recommendations"] = row.pop("answer_ids")
        return rows
    answers: dict[int, list[int]] = {row["id"]: [] for row in rows}
    if answers:
        links = _links_in_answer_order(action_id__in=list(answers))
        for action_id, recommendation_id in links.values_list("action_id", "recommendation_id"):
            answers[action_id].append(recommendation_id)
    for row in rows:
        row["recommendations"] = answers[row["id"]]
    return rows


class SeenByRequestField(IdRelatedField):
    """A plan's theme or wider area, by id, of the plans the request sees (the `request`
    in the serializer's context). Any other id, whether it exists or not, is answered
    alike: "does not exist". Whether it is of the action's own plan, the service decides."""

    model: type = Theme

    def __init__(self, **kwargs) -> None:
        super().__init__(queryset=self.model.objects.none(), **kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        if request is None:
            return self.model.objects.none()
        return self.model.objects.filter(plan__in=plans_for(request))


class ThemeField(SeenByRequestField):
    model = Theme


class WiderAreaField(SeenByRequestField):
    model = WiderArea


MAX_ANSWERS = 200


class RecommendationsField(serializers.ListField):
    """Ids of recommendations of the reports the request sees, read in one query. Any
    other id, whether it exists or not, is answered alike: "does not exist"."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("child", IdField())
        kwargs.setdefault("max_length", MAX_ANSWERS)
        super().__init__(**kwargs)

    def to_internal_value(self, data: object) -> list[Recommendation]:
        ids = list(dict.fromkeys(super().to_internal_value(data)))
        request = self.context.get("request")
        found = {}
        if request is not None and ids:
            seen = Recommendation.objects.filter(inspection__in=reports_for(request))
            found = seen.select_related("inspection").in_bulk(ids)
        missing = [pk for pk in ids if pk not in found]
        if missing:
            raise serializers.ValidationError(
                f'Invalid pk "{missing[0]}" - object does not exist.', code="does_not_exist"
            )
        return [found[pk] for pk in ids]


RECOMMENDATIONS_HELP = (
    "The ids of the recommendations it answers: items of any of the plan's sources. May "
    "be empty when it answers a wider area."
)
WIDER_AREA_HELP = "One of the plan's wider areas for improvement it answers."
THEME_HELP = (
    "One of the plan's themes. When drafting, defaults from the first item's national "
    "framework cross-reference, else from the wider area's theme."
)


class PlanChoiceSerializer(serializers.Serializer):
    """The plan a new action belongs to, read before the rest of the draft."""

    plan = IdField(help_text="The plan it belongs to.")


class ActionDraftSerializer(ApiModelSerializer):
    plan = IdField(help_text="The plan it belongs to.")
    recommendations = RecommendationsField(
        required=False, default=list, help_text=RECOMMENDATIONS_HELP
    )
    wider_area = WiderAreaField(
        required=False, allow_null=True, default=None, help_text=WIDER_AREA_HELP
    )
    theme = ThemeField(required=False, allow_null=True, default=None, help_text=THEME_HELP)
    due_date = PlanDateField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Defaults from the soonest of the recommendations' timescales.",
    )
    organisation = PlanOrganisationField(
        required=False,
        allow_null=True,
        default=None,
        help_text="The council or one of its partner organisations.",
    )

    class Meta:
        model = Action
        fields = [
            "plan",
            "recommendations",
            "wider_area",
            "theme",
            "title",
            "description",
            "due_date",
            "expected_outcome",
            "resources",
            "risks",
            "organisation",
        ]
        extra_kwargs = {
            name: {"max_length": 10000}
            for name in ["description", "expected_outcome", "resources", "risks"]
        }


# What a PATCH changes through actions.services.change_answers, not update_details.
ANSWERS = ("recommendations", "wider_area", "theme")


class ActionUpdateSerializer(ApiModelSerializer):
    organisation = PlanOrganisationField(
        required=False,
        allow_null=True,
        help_text="The council or one of its partner organisations.",
    )
    recommendations = RecommendationsField(required=False, help_text=RECOMMENDATIONS_HELP)
    wider_area = WiderAreaField(required=False, allow_null=True, help_text=WIDER_AREA_HELP)
    theme = ThemeField(required=False, allow_null=True, help_text="One of the plan's themes.")

    class Meta:
        model = Action
        fields = [
            "title",
            "description",
            "expected_outcome",
            "resources",
            "risks",
            "organisation",
            "recommendations",
            "wider_area",
            "theme",
        ]
        extra_kwargs = {
            name: {"max_length": 10000}
            for name in ["description", "expected_outcome", "resources", "risks"]
        }


class AssignOwnerSerializer(serializers.Serializer):
    owner = PossibleOwnerField(
        help_text="An active action owner of the council or of one of its partners."
    )
    organisation = PlanOrganisationField(
        required=False,
        allow_null=True,
        default=None,
        help_text="The council or one of its partners; defaults to the owner's organisation.",
    )


class MoveDueDateSerializer(serializers.Serializer):
    new_date = PlanDateField()
    reason = StrictCharField(max_length=2000)


class OverrideRagSerializer(serializers.Serializer):
    rag = serializers.ChoiceField(
        source="rag_value",
        allow_blank=True,
        choices=[("", "Clear the override"), *Rag.choices],
        help_text="Blue only for an action closed and signed off (otherwise 422).",
    )
    reason = StrictCharField(
        max_length=2000,
        allow_blank=True,
        default="",
        help_text="Why the RAG is set by hand: required with a RAG, ignored when clearing.",
    )


class CompleteSerializer(serializers.Serializer):
    note = StrictCharField(
        max_length=10000,
        allow_blank=True,
        default="",
        help_text="What was done, kept as progress. Required (otherwise 422) while no "
        "progress stands recorded on the action.",
    )


class ImpactSerializer(serializers.Serializer):
    summary = StrictCharField(max_length=10000)


class SignOffSerializer(serializers.Serializer):
    justification = StrictCharField(max_length=10000, allow_blank=True, default="")


class ReasonSerializer(serializers.Serializer):
    reason = StrictCharField(max_length=2000)


class ReturnSerializer(serializers.Serializer):
    comment = StrictCharField(max_length=2000)


class ProgressUpdateSerializer(ApiModelSerializer):
    author_name = serializers.SerializerMethodField()

    class Meta:
        model = ProgressUpdate
        fields = [
            "id",
            "action",
            "author",
            "author_name",
            "created_at",
            "text",
            "returned_by",
            "returned_at",
            "return_comment",
        ]
        read_only_fields = fields

    def get_author_name(self, update: ProgressUpdate) -> str | None:
        return person_name(update.author)


class ProgressCreateSerializer(serializers.Serializer):
    text = StrictCharField(max_length=10000)


class EvidenceSerializer(ApiModelSerializer):
    has_file = serializers.SerializerMethodField()

    class Meta:
        model = Evidence
        fields = [
            "id",
            "action",
            "description",
            "link",
            "has_file",
            "original_filename",
            "content_type",
            "size",
            "added_by",
            "added_at",
            "returned_by",
            "returned_at",
            "return_comment",
        ]
        read_only_fields = fields

    def get_has_file(self, evidence: Evidence) -> bool:
        return bool(evidence.file)


class EvidenceCreateSerializer(serializers.Serializer):
    description = StrictCharField(max_length=5000)
    file = serializers.FileField(required=False, help_text="PDF, Office, PNG, JPEG or text.")
    link = serializers.URLField(max_length=1000, required=False, allow_blank=True, default="")


class ReadingSerializer(ApiModelSerializer):
    class Meta:
        model = MeasureReading
        fields = ["id", "measure", "date", "value", "note", "recorded_by", "recorded_at"]
        read_only_fields = fields


class ReadingCreateSerializer(ApiModelSerializer):
    date = PlanDateField()

    class Meta:
        model = MeasureReading
        fields = ["date", "value", "note"]
        extra_kwargs = {"note": {"max_length": 5000}}


class MeasureSerializer(ApiModelSerializer):
    readings = ReadingSerializer(many=True, read_only=True)

    class Meta:
        model = Measure
        fields = [
            "id",
            "action",
            "name",
            "unit",
            "baseline",
            "baseline_date",
            "target",
            "direction",
            "readings",
        ]
        read_only_fields = fields


class MeasureCreateSerializer(ApiModelSerializer):
    baseline_date = PlanDateField(required=False, allow_null=True, default=None)

    class Meta:
        model = Measure
        fields = ["name", "unit", "baseline", "baseline_date", "target", "direction"]
