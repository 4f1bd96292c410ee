"""Organisations and people, as other council systems read them."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.models import Organisation, User
from core.roles import Role

from .fields import ApiModelSerializer


class OrganisationSerializer(ApiModelSerializer):
    partner_of = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True, help_text="Local authorities whose plans its people may see."
    )

    class Meta:
        model = Organisation
        fields = ["id", "name", "kind", "partner_of"]


class UserSerializer(ApiModelSerializer):
    name = serializers.SerializerMethodField()
    roles = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "name",
            "email",
            "organisation",
            "job_title",
            "roles",
            "is_active",
        ]

    def get_name(self, user: User) -> str:
        return user.get_full_name() or user.username

    @extend_schema_field(
        serializers.ListField(child=serializers.ChoiceField(choices=[r.value for r in Role]))
    )
    def get_roles(self, user: User) -> list[str]:
        names = {group.name for group in user.groups.all()}  # prefetched by the view
        return [role.value for role in Role if role.value in names]
