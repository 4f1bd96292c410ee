"""A plan as other council systems read it: its sources, themes and wider areas."""

from __future__ import annotations

from rest_framework import serializers

from core.api.fields import ApiModelSerializer, StrictCharField
from core.models import User
from inspections.importing.result import FRAMEWORK_KINDS
from plans.models import Plan, Theme, WiderArea


class ThemeSerializer(ApiModelSerializer):
    framework_kind = serializers.ChoiceField(
        choices=FRAMEWORK_KINDS,
        allow_blank=True,
        read_only=True,
        help_text="The national framework item a standard theme stands for (with "
        '`framework_number`, e.g. outcome 4); "" for a council\'s own theme.',
    )

    class Meta:
        model = Theme
        fields = ["id", "name", "framework_kind", "framework_number", "order"]
        read_only_fields = fields


class WiderAreaSerializer(ApiModelSerializer):
    class Meta:
        model = WiderArea
        fields = ["id", "text", "origin", "origin_detail", "theme", "order"]
        read_only_fields = fields


class PlanSerializer(ApiModelSerializer):
    lead_director_name = serializers.SerializerMethodField()
    sources = serializers.PrimaryKeyRelatedField(
        many=True,
        read_only=True,
        help_text="The ids of the inspections (reports and letters) the plan responds to.",
    )
    themes = ThemeSerializer(many=True, read_only=True, help_text="Its workstreams, in order.")
    wider_areas = WiderAreaSerializer(
        many=True,
        read_only=True,
        help_text="Wider areas for improvement the council recorded on the plan itself.",
    )
    html_url = StrictCharField(
        source="get_absolute_url",
        read_only=True,
        help_text="The plan's page (a path on this site).",
    )

    class Meta:
        model = Plan
        fields = [
            "id",
            "local_authority",
            "title",
            "status",
            "lead_director",
            "lead_director_name",
            "sources",
            "themes",
            "wider_areas",
            "created_at",
            "updated_at",
            "html_url",
        ]
        read_only_fields = fields

    def get_lead_director_name(self, plan: Plan) -> str | None:
        director: User | None = plan.lead_director
        return (director.get_full_name() or director.username) if director else None
