"""Administrators create and revoke API tokens here. A new token is shown once."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from . import services
from .models import ApiToken


class ApiTokenForm(forms.ModelForm):
    class Meta:
        model = ApiToken
        fields = ["name", "user", "scope", "organisation", "expires_at"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if "expires_at" in self.fields and not self.instance.pk:
            self.fields["expires_at"].initial = services.default_expiry


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    form = ApiTokenForm
    list_display = [
        "name",
        "prefix",
        "user",
        "scope",
        "organisation",
        "expires_at",
        "last_used_at",
        "revoked_at",
    ]
    list_filter = ["scope", "organisation"]
    list_select_related = ["user", "organisation"]
    search_fields = ["name", "prefix", "user__username"]
    actions = ["revoke"]
    readonly_fields = [
        "prefix",
        "created_at",
        "created_by",
        "last_used_at",
        "revoked_at",
        "revoked_by",
    ]

    def get_readonly_fields(self, request: HttpRequest, obj: ApiToken | None = None) -> list[str]:
        if obj is None:
            return []
        # A token's powers are fixed once issued: issue a new one instead.
        return [*self.readonly_fields, "user", "scope", "organisation", "expires_at"]

    def get_fields(self, request: HttpRequest, obj: ApiToken | None = None) -> list[str]:
        if obj is None:
            return ["name", "user", "scope", "organisation", "expires_at"]
        return ["name", "user", "scope", "organisation", "expires_at", *self.readonly_fields]

    def save_model(self, request: HttpRequest, obj: ApiToken, form, change: bool) -> None:
        if change:
            obj.save(update_fields=["name"])
            return
        token, secret = services.create_token(
            name=obj.name,
            user=obj.user,
            scope=obj.scope,
            organisation=obj.organisation,
            expires_at=obj.expires_at,
            created_by=request.user,
        )
        obj.pk, obj.prefix = token.pk, token.prefix
        request._new_api_token_secret = secret  # shown by response_add, never stored

    def response_add(
        self, request: HttpRequest, obj: ApiToken, post_url_continue=None
    ) -> HttpResponse:
        secret = getattr(request, "_new_api_token_secret", None)
        if secret is None:
            return super().response_add(request, obj, post_url_continue)
        context = {
            **self.admin_site.each_context(request),
            "token": obj,
            "secret": secret,
            "opts": self.model._meta,
            "title": "API token created",
        }
        response = TemplateResponse(request, "tokens/created.html", context)
        response["Cache-Control"] = "no-store"
        return response

    @admin.action(description="Revoke the selected tokens")
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        for token in queryset.filter(revoked_at__isnull=True):
            services.revoke_token(token=token, by=request.user)
        messages.success(request, "The selected tokens are revoked.")
