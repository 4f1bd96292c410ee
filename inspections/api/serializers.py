"""Inspections, their judgements and recommendations, and imports awaiting review."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.fields import ApiModelSerializer, PlanDateField, StrictCharField, UtcDateTimeField
from inspections.importing.result import (
    FRAMEWORK_KINDS,
    GRADES,
    INSPECTION_TYPES,
    SCALES,
    TIMESCALES,
)
from inspections.models import (
    DeadlineBasis,
    FrameworkKind,
    Grade,
    Inspection,
    Judgement,
    PendingImport,
    Recommendation,
    RecommendationRepeat,
    RepeatStatus,
)


class JudgementSerializer(ApiModelSerializer):
    grade = serializers.ChoiceField(
        choices=Grade.choices,
        allow_blank=True,
        read_only=True,
        help_text='"" when the judgement is not a grade.',
    )

    class Meta:
        model = Judgement
        fields = ["id", "area", "section", "grade_text", "scale", "grade", "order"]


class InspectionSerializer(ApiModelSerializer):
    judgements = JudgementSerializer(many=True, read_only=True)
    recommendation_count = serializers.IntegerField(read_only=True)
    html_url = StrictCharField(
        source="get_absolute_url",
        read_only=True,
        help_text="The report's page (a path on this site).",
    )
    plan = serializers.PrimaryKeyRelatedField(
        read_only=True,
        allow_null=True,
        help_text="The plan this report is a source of; null for a report held as history "
        "(compared for repeats, feeding no plan).",
    )
    plan_due_basis = serializers.ChoiceField(
        choices=DeadlineBasis.choices, allow_blank=True, read_only=True
    )
    draft_plan_due_basis = serializers.ChoiceField(
        choices=DeadlineBasis.choices, allow_blank=True, read_only=True
    )
    asks_for_a_plan = serializers.BooleanField(
        read_only=True,
        help_text="Whether the report asks for a plan of its own: false for a monitoring "
        "visit letter, and for a focused visit or an area SEND inspection that names no "
        "areas for priority action (no deadline is worked out for those; a stated or "
        "officer's date still counts).",
    )
    draft_plan_sent_at = UtcDateTimeField(
        read_only=True,
        allow_null=True,
        help_text="When the draft plan a focused visit asked for was recorded as sent (its "
        "reminders stop then); null while it has not been, or when no draft is asked for.",
    )

    class Meta:
        model = Inspection
        fields = [
            "id",
            "local_authority",
            "plan",
            "inspection_type",
            "title",
            "inspection_start",
            "inspection_end",
            "publication_date",
            "received_date",
            "lead_inspector",
            "source_filename",
            "imported_by",
            "imported_at",
            "stated_plan_due_date",
            "stated_draft_plan_due_date",
            "draft_plan_required",
            "asks_for_a_plan",
            "plan_due_date",
            "plan_due_basis",
            "plan_due_override",
            "plan_due_override_reason",
            "draft_plan_due_date",
            "draft_plan_due_basis",
            "draft_plan_due_override",
            "draft_plan_due_override_reason",
            "draft_plan_sent_at",
            "plan_submitted_at",
            "created_at",
            "updated_at",
            "recommendation_count",
            "judgements",
            "html_url",
        ]
        read_only_fields = fields


class NationalFrameworkSerializer(serializers.Serializer):
    """A recommendation's cross-reference to the Children's Social Care National Framework.

    Read from the recommendation's own fields; null when the report prints none (every
    report before 2025).
    """

    kind = serializers.ChoiceField(
        choices=FrameworkKind.choices, source="framework_kind", read_only=True
    )
    number = serializers.IntegerField(
        source="framework_number",
        allow_null=True,
        read_only=True,
        help_text="e.g. 4 for outcome 4; null when the report names the item without a number.",
    )
    name = StrictCharField(
        source="framework_name",
        read_only=True,
        help_text='The framework\'s name for it; "" when not known.',
    )

    def to_representation(self, instance: Recommendation) -> dict | None:
        if not instance.framework_kind:
            return None
        return super().to_representation(instance)


class RepeatSerializer(serializers.Serializer):
    """An earlier recommendation a later one repeats (a suggested or confirmed link)."""

    id = serializers.IntegerField(source="earlier_id", read_only=True, help_text="Its id.")
    status = serializers.ChoiceField(
        choices=[
            (RepeatStatus.SUGGESTED.value, RepeatStatus.SUGGESTED.label),
            (RepeatStatus.CONFIRMED.value, RepeatStatus.CONFIRMED.label),
        ],
        read_only=True,
        help_text="Suggested by the detector, or confirmed by an officer (dismissed ones are "
        "left out).",
    )
    score = serializers.FloatField(read_only=True, help_text="The detector's similarity, 0 to 100.")
    text = StrictCharField(source="earlier.text", read_only=True, help_text="Its text, verbatim.")
    inspection = serializers.IntegerField(
        source="earlier.inspection_id", read_only=True, help_text="The report it came from."
    )


class RecommendationSerializer(ApiModelSerializer):
    national_framework = NationalFrameworkSerializer(
        source="*",
        read_only=True,
        allow_null=True,
        help_text='The national framework item the report refers to, e.g. "(outcome 4, '
        'national framework)"; null when it prints none. The text keeps the reference.',
    )
    repeats = serializers.SerializerMethodField(
        help_text="The earlier recommendations of the same council this one says again, "
        "suggested or confirmed, most alike first."
    )
    actions = serializers.SerializerMethodField(
        help_text="The ids of the actions answering it (of the plans you can see)."
    )

    class Meta:
        model = Recommendation
        fields = [
            "id",
            "inspection",
            "section",
            "timescale",
            "addressee",
            "addressee_organisation",
            "text",
            "number",
            "priority",
            "national_framework",
            "order",
            "repeats",
            "actions",
        ]
        read_only_fields = fields

    @extend_schema_field(RepeatSerializer(many=True))
    def get_repeats(self, recommendation: Recommendation) -> list[dict]:
        # The view prefetches the links the request may see (inspections.api.views).
        links: list[RecommendationRepeat] = recommendation.shown_repeats
        return RepeatSerializer(links, many=True).data

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_actions(self, recommendation: Recommendation) -> list[int]:
        return [action.pk for action in recommendation.shown_actions]


class DeadlineOverrideSerializer(serializers.Serializer):
    which = serializers.ChoiceField(choices=[("plan", "Plan"), ("draft_plan", "Draft plan")])
    new_date = PlanDateField(allow_null=True, help_text="null removes the override.")
    reason = StrictCharField(max_length=2000)


# The review result: the same shape as ParsedReport.to_dict() (inspections.importing).
class ParsedJudgementSerializer(serializers.Serializer):
    area = StrictCharField(max_length=300)
    section = StrictCharField(max_length=300, allow_blank=True, default="")
    grade_text = StrictCharField(max_length=300)
    scale = serializers.ChoiceField(choices=SCALES)
    grade = serializers.ChoiceField(choices=GRADES, allow_null=True, default=None)


class ParsedRecommendationSerializer(serializers.Serializer):
    section = StrictCharField(max_length=300, allow_blank=True, default="")
    timescale = serializers.ChoiceField(choices=TIMESCALES)
    text = StrictCharField(max_length=20000)
    addressee = StrictCharField(max_length=300, allow_blank=True, default="")
    number = StrictCharField(max_length=32, allow_blank=True, default="")
    priority = serializers.BooleanField(default=False)
    framework_kind = serializers.ChoiceField(
        choices=FRAMEWORK_KINDS,
        allow_blank=True,
        default="",
        help_text='The national framework item the text refers to; "" when none.',
    )
    framework_number = serializers.IntegerField(
        min_value=1, max_value=99, allow_null=True, default=None
    )
    framework_name = StrictCharField(max_length=300, allow_blank=True, default="")


class ParsedReportSerializer(serializers.Serializer):
    local_authority = StrictCharField(max_length=200)
    inspection_type = serializers.ChoiceField(choices=INSPECTION_TYPES)
    inspection_start = PlanDateField(allow_null=True, default=None)
    inspection_end = PlanDateField(allow_null=True, default=None)
    publication_date = PlanDateField(allow_null=True, default=None)
    lead_inspector = StrictCharField(max_length=200, allow_blank=True, default="")
    stated_plan_due_date = PlanDateField(allow_null=True, default=None)
    stated_draft_plan_due_date = PlanDateField(allow_null=True, default=None)
    judgements = ParsedJudgementSerializer(many=True, default=list)
    recommendations = ParsedRecommendationSerializer(many=True, allow_empty=False)
    warnings = serializers.ListField(
        child=StrictCharField(max_length=2000), default=list, read_only=False
    )

    def validate(self, data: dict) -> dict:
        start, end = data.get("inspection_start"), data.get("inspection_end")
        if start and end and end < start:
            raise serializers.ValidationError(
                {"inspection_end": ["The inspection cannot end before it started."]}
            )
        return data


class PendingImportSerializer(ApiModelSerializer):
    id = StrictCharField(source="token", read_only=True)
    uploaded_at = UtcDateTimeField(read_only=True)
    result = ParsedReportSerializer(read_only=True, help_text="What the parser found.")

    class Meta:
        model = PendingImport
        fields = ["id", "filename", "uploaded_at", "result"]
        read_only_fields = fields


class ImportUploadSerializer(serializers.Serializer):
    report = serializers.FileField(help_text="The inspection report: PDF or UTF-8 text.")


class ImportConfirmSerializer(serializers.Serializer):
    received_date = PlanDateField(
        allow_null=True,
        required=False,
        default=None,
        help_text="When the council received the report (the plan deadline counts from it).",
    )
    result = ParsedReportSerializer(
        required=False, help_text="The corrected result; leave out to import what was parsed."
    )
