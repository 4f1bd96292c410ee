"""The sign-in pages (ours and the admin's) and the two single sign-on steps (off unless
OIDC is configured). A correct password of someone with two-step verification on leads
to the code page (core.auth.two_step_views) instead of signing them in."""

from __future__ import annotations

import logging
from typing import Any

import requests
from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth import views as auth_views
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from . import pending, two_step
from .events import record_failure
from .oidc import ProviderUnavailable, oidc_setting

logger = logging.getLogger("core.auth")

NOT_SIGNED_IN = (
    "You could not be signed in with your council account. Try again, or ask your "
    "administrator to check that your account has access to this service."
)


class SignInView(auth_views.LoginView):
    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        user = form.get_user()
        if two_step.is_on(user):
            pending.begin(self.request, user, redirect_to=self.get_success_url())
            return redirect("two-step-code")
        return super().form_valid(form)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["oidc_enabled"] = settings.OIDC_ENABLED
        context["idle_minutes"] = settings.SESSION_IDLE_TIMEOUT // 60
        return context


class AdminSignInView(SignInView):
    """The admin's sign-in page, with the admin's look, throttling and two-step
    verification like ours (Django's own would sign people in on the password alone)."""

    template_name = "admin/login.html"
    authentication_form = AdminAuthenticationForm
    redirect_authenticated_user = False

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if admin.site.has_permission(request):
            return redirect("admin:index")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            admin.site.each_context(self.request),
            title="Log in",
            subtitle=None,
            app_path=self.request.get_full_path(),
            username=self.request.user.get_username(),
        )
        if REDIRECT_FIELD_NAME not in self.request.GET and REDIRECT_FIELD_NAME not in (
            self.request.POST
        ):
            context[REDIRECT_FIELD_NAME] = reverse("admin:index")
        return context

    def get_default_redirect_url(self) -> str:
        return reverse("admin:index")


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None
) -> HttpResponse:
    """The page shown instead of signing in while a username and address are locked out
    (django-axes calls it: AXES_LOCKOUT_CALLABLE)."""
    cool_off = get_cool_off(request)
    context = {
        "failure_limit": get_failure_limit(request, credentials),
        "username": get_client_username(request, credentials) or "",
        "minutes": max(1, round(cool_off.total_seconds() / 60)) if cool_off else None,
    }
    return render(request, "registration/locked_out.html", context, status=429)


def _provider_unavailable(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.error("single sign-on: identity provider unavailable: %s", exc)
    record_failure(request, None, "single sign-on: identity provider unavailable")
    messages.error(request, NOT_SIGNED_IN)
    return redirect(settings.LOGIN_URL)


class StartSignIn(OIDCAuthenticationRequestView):
    """Sends the person to the identity provider with a state, a nonce and a PKCE
    challenge kept in their session."""

    get_settings = staticmethod(oidc_setting)

    def __init__(self, **kwargs: Any) -> None:
        # The library reads the provider's endpoint here; wait until the view is used.
        View.__init__(self, **kwargs)

    def get(self, request: HttpRequest) -> HttpResponse:
        if not settings.OIDC_ENABLED:
            raise Http404
        try:
            self.OIDC_OP_AUTH_ENDPOINT = oidc_setting("OIDC_OP_AUTHORIZATION_ENDPOINT")
        except ProviderUnavailable as exc:
            return _provider_unavailable(request, exc)
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        return super().get(request)


class FinishSignIn(OIDCAuthenticationCallbackView):
    """Where the identity provider sends the person back with a code."""

    get_settings = staticmethod(oidc_setting)

    def get(self, request: HttpRequest) -> HttpResponse:
        if not settings.OIDC_ENABLED:
            raise Http404
        if request.GET.get("error"):
            # The provider refused (or the person cancelled): say so, no details.
            logger.warning(
                "single sign-on: the provider returned error=%r", request.GET.get("error")[:100]
            )
            record_failure(request, None, "single sign-on: the identity provider refused")
        try:
            return super().get(request)
        except (requests.RequestException, ProviderUnavailable) as exc:
            return _provider_unavailable(request, exc)

    def login_failure(self) -> HttpResponse:
        messages.error(self.request, NOT_SIGNED_IN)
        return redirect(settings.LOGIN_URL)
