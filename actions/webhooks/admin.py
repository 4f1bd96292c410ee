"""Administrators see every subscription and delivery here; changes go through services."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from core.errors import DomainError

from . import access, services, targets
from .models import ALL_EVENTS, Delivery, DeliveryAttempt, EventType, Subscription

EVENT_CHOICES = [(ALL_EVENTS, "Every action event (including types added later)")] + [
    (value, f"{label} ({value})") for value, label in EventType.choices if value != EventType.PING
]


class SubscriptionForm(forms.ModelForm):
    url = forms.URLField(max_length=1000, assume_scheme="https")
    event_types = forms.MultipleChoiceField(
        choices=EVENT_CHOICES, widget=forms.CheckboxSelectMultiple, initial=[ALL_EVENTS]
    )

    class Meta:
        model = Subscription
        fields = ["name", "owner", "url", "event_types", "organisation", "active"]

    def clean_url(self) -> str:
        url = self.cleaned_data["url"]
        try:
            targets.check_url(url)
        except targets.RefusedTarget as exc:
            raise forms.ValidationError(str(exc)) from None
        return url

    def clean_owner(self):
        owner = self.cleaned_data.get("owner")
        if owner is not None and not owner.is_active:
            raise forms.ValidationError("The subscription's owner must be an active person.")
        return owner

    def clean(self):
        cleaned = super().clean()
        owner, organisation = cleaned.get("owner"), cleaned.get("organisation")
        limited = owner is not None and organisation is not None
        if limited and not access.may_limit_to(owner, organisation):
            self.add_error("organisation", access.NOT_AN_ORGANISATION_SEEN)
        return cleaned


def _secret_page(request: HttpRequest, rows: list[tuple[Subscription, str]], title: str):
    context = {
        **admin.site.each_context(request),
        "rows": rows,
        "title": title,
        "opts": Subscription._meta,
    }
    response = TemplateResponse(request, "webhooks/secrets.html", context)
    response["Cache-Control"] = "no-store"
    return response


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    form = SubscriptionForm
    list_display = [
        "name",
        "owner",
        "url",
        "organisation",
        "active",
        "consecutive_failures",
        "paused_reason",
        "created_at",
    ]
    list_filter = ["active", "organisation"]
    list_select_related = ["owner", "organisation"]
    search_fields = ["name", "url", "owner__username"]
    raw_id_fields = ["owner"]
    actions = ["send_ping", "rotate_secrets", "pause", "resume"]
    readonly_fields = [
        "paused_at",
        "paused_reason",
        "consecutive_failures",
        "previous_secret_expires_at",
        "created_by",
        "created_at",
        "updated_at",
    ]

    def get_readonly_fields(self, request: HttpRequest, obj: Subscription | None = None):
        if obj is None:
            return []
        # Whose visibility it carries is fixed once made: make a new subscription instead.
        return ["owner", "organisation", *self.readonly_fields]

    def get_fields(self, request: HttpRequest, obj: Subscription | None = None):
        fields = ["name", "owner", "url", "event_types", "organisation", "active"]
        return fields if obj is None else [*fields, *self.readonly_fields]

    def save_model(self, request: HttpRequest, obj: Subscription, form, change: bool) -> None:
        if change:
            editable = {"name", "url", "event_types", "active"}
            changes = {n: form.cleaned_data[n] for n in form.changed_data if n in editable}
            services.update_subscription(subscription=obj, by=request.user, **changes)
            return
        made, secret = services.create_subscription(
            by=request.user,
            owner=obj.owner,
            name=obj.name,
            url=obj.url,
            event_types=form.cleaned_data["event_types"],
            organisation=obj.organisation,
            active=obj.active,
        )
        obj.pk = made.pk
        request._new_webhook_secret = secret  # shown by response_add, never again

    def response_add(self, request: HttpRequest, obj: Subscription, post_url_continue=None):
        secret = getattr(request, "_new_webhook_secret", None)
        if secret is None:
            return super().response_add(request, obj, post_url_continue)
        return _secret_page(request, [(obj, secret)], "Webhook subscription created")

    def delete_model(self, request: HttpRequest, obj: Subscription) -> None:
        services.delete_subscription(subscription=obj, by=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Subscription]) -> None:
        for subscription in queryset:
            services.delete_subscription(subscription=subscription, by=request.user)

    @admin.action(description="Send a test ping to the selected subscriptions")
    def send_ping(self, request: HttpRequest, queryset: QuerySet[Subscription]) -> None:
        for subscription in queryset:
            services.send_ping(subscription=subscription, by=request.user)
        messages.success(request, "Test pings queued: see their deliveries.")

    @admin.action(description="Rotate the signing secret of the selected subscriptions")
    def rotate_secrets(
        self, request: HttpRequest, queryset: QuerySet[Subscription]
    ) -> HttpResponse:
        rows = [services.rotate_secret(subscription=s, by=request.user) for s in queryset]
        return _secret_page(request, rows, "Signing secrets rotated")

    @admin.action(description="Pause the selected subscriptions")
    def pause(self, request: HttpRequest, queryset: QuerySet[Subscription]) -> None:
        for subscription in queryset:
            services.update_subscription(subscription=subscription, by=request.user, active=False)
        messages.success(request, "Paused.")

    @admin.action(description="Resume the selected subscriptions")
    def resume(self, request: HttpRequest, queryset: QuerySet[Subscription]) -> None:
        for subscription in queryset:
            services.update_subscription(subscription=subscription, by=request.user, active=True)
        messages.success(request, "Resumed.")


class AttemptInline(admin.TabularInline):
    model = DeliveryAttempt
    extra = 0
    can_delete = False
    fields = ["number", "started_at", "duration_ms", "response_status", "error", "response_body"]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "event_type",
        "subscription",
        "action",
        "status",
        "attempts",
        "last_response_status",
        "next_attempt_at",
        "delivered_at",
    ]
    list_filter = ["status", "event_type"]
    list_select_related = ["subscription", "action"]
    search_fields = ["event_id", "subscription__name", "action__title"]
    date_hierarchy = "created_at"
    inlines = [AttemptInline]
    actions = ["deliver_again"]

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        # The record of what was sent is evidence: nothing in it is edited by hand.
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description="Deliver the selected events again")
    def deliver_again(self, request: HttpRequest, queryset: QuerySet[Delivery]) -> None:
        sent, refused = 0, []
        for delivery in queryset:
            try:
                services.redeliver(delivery=delivery, by=request.user)
                sent += 1
            except DomainError as exc:
                refused.append(f"{delivery.pk}: {exc.message}")
        messages.success(request, f"{sent} delivery(ies) queued again.")
        if refused:
            messages.warning(request, "Not queued: " + "; ".join(refused))
