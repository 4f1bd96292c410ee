"""The person's calendar link page and the feeds themselves (secret links, no sign-in)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from core.models import User
from plans.permissions import can
from plans.visibility import plans_seen_by, reports_seen_by

from . import feed as calendar


def _links(request: HttpRequest, token: str) -> dict:
    base = settings.SITE_URL  # the address calendars reach the service at
    plans = plans_seen_by(request.user).select_related("local_authority")
    return {
        "person": base + reverse("documents-calendar-person", args=[token]),
        "plans": [
            (plan, base + reverse("documents-calendar-plan", args=[token, plan.pk]))
            for plan in plans
        ],
    }


@login_required
@require_http_methods(["GET", "POST"])
def calendar_page(request: HttpRequest) -> HttpResponse:
    """Make, replace or turn off one's secret calendar link. The link is shown once."""
    links = None
    if request.method == "POST":
        if request.POST.get("action") == "off":
            calendar.turn_off_feed(user=request.user)
            messages.success(request, "Your calendar link is turned off.")
            return redirect("documents-calendar")
        links = _links(request, calendar.new_feed(user=request.user))
    feed = getattr(request.user, "calendar_feed", None)
    return render(request, "documents/calendar.html", {"feed": feed, "links": links})


def _ics(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, max-age=900"
    response["X-Robots-Tag"] = "noindex"
    return response


@require_GET
def person_feed(request: HttpRequest, token: str) -> HttpResponse:
    user = calendar.user_for_token(token)
    if user is None:
        raise Http404
    return _ics(calendar.person_feed(user), "my-actions.ics")


def _plan_ics(user: User | None, plan_id: int | None) -> HttpResponse:
    plan = plans_seen_by(user).filter(pk=plan_id).first() if user and plan_id else None
    if plan is None or not can(user, "plans.view_plan", plan):
        raise Http404
    return _ics(calendar.plan_feed(plan), f"plan-{plan.pk}.ics")


@require_GET
def plan_feed(request: HttpRequest, token: str, pk: int) -> HttpResponse:
    return _plan_ics(calendar.user_for_token(token), pk)


@require_GET
def report_plan_feed(request: HttpRequest, token: str, pk: int) -> HttpResponse:
    """Links made before plans stood apart from reports named a report: they still give
    the feed of the plan that report is a source of."""
    user = calendar.user_for_token(token)
    report = reports_seen_by(user).filter(pk=pk).first() if user else None
    return _plan_ics(user, report.plan_id if report else None)
