from django.contrib import admin
from django.urls import include, path

from core import views as core_views
from core.auth.views import AdminSignInView

urlpatterns = [
    path("", include("core.urls")),
    path("inspections/", include("inspections.urls")),
    path("plans/", include("plans.urls")),
    path("actions/", include("actions.urls")),
    path("reminders/", include("actions.reminders.urls")),
    path("documents/", include("actions.documents.urls")),
    path("documents/", include("actions.tracker.urls")),
    path("documents/", include("actions.calendar.urls")),
    path("api/", include("config.api_urls")),
    # Before the admin's own: the admin signs in with two-step verification too.
    path("admin/login/", AdminSignInView.as_view(), name="admin-login"),
    path("admin/", admin.site.urls),
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", core_views.readyz, name="readyz"),
]
