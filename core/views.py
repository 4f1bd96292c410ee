from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from actions.dashboard import dashboard_context

from .forms import PreferencesForm


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    """People choose single reminder e-mails or a weekly digest."""
    form = PreferencesForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your reminder settings are saved.")
        return redirect("preferences")
    return render(request, "core/preferences.html", {"form": form})


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    context = dashboard_context(request.user, timezone.localdate(), request.GET.get("page"))
    return render(request, "core/dashboard.html", context)


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html")


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness: the process answers."""
    return JsonResponse({"status": "ok"})


@require_GET
@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness: the database answers. The broker and the last reminder sweep are
    reported, not required: pages and the API work without them. The broker check gives
    up after about two seconds, so a hung broker cannot hang the probe."""
    from actions.reminders.health import broker_status
    from actions.reminders.selectors import last_successful_sweep

    checks: dict[str, str] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:  # any database failure means not ready
        checks["database"] = f"error: {exc.__class__.__name__}"
    ok = checks["database"] == "ok"
    checks["broker"] = broker_status()
    checks["last_sweep"] = "unknown"
    if ok:
        try:
            sweep = last_successful_sweep()
            checks["last_sweep"] = sweep.finished_at.isoformat() if sweep else "never"
        except Exception as exc:  # e.g. migrations not yet applied
            checks["last_sweep"] = f"error: {exc.__class__.__name__}"
    return JsonResponse(
        {"status": "ok" if ok else "error", "checks": checks}, status=200 if ok else 503
    )
