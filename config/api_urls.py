"""The REST API: version 1 under /api/v1/, its OpenAPI schema and documentation pages."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from actions.api.documents import DocumentVersionViewSet
from actions.api.items import EvidenceViewSet, MeasureViewSet, ProgressUpdateViewSet, ReadingViewSet
from actions.api.reminders import ReminderViewSet
from actions.api.views import ActionViewSet
from actions.api.webhooks import WebhookViewSet
from core.api.views import ApiDocsView, OrganisationViewSet, UserViewSet, not_found
from inspections.api.imports import ImportViewSet
from inspections.api.views import InspectionViewSet, RecommendationViewSet
from plans.api.views import PlanViewSet


class Router(DefaultRouter):
    include_root_view = False


router = Router()
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("users", UserViewSet, basename="user")
router.register("plans", PlanViewSet, basename="plan")
router.register("inspections", InspectionViewSet, basename="inspection")
router.register("recommendations", RecommendationViewSet, basename="recommendation")
router.register("imports", ImportViewSet, basename="import")
router.register("actions", ActionViewSet, basename="action")
router.register("progress-updates", ProgressUpdateViewSet, basename="progress-update")
router.register("evidence", EvidenceViewSet, basename="evidence")
router.register("measures", MeasureViewSet, basename="measure")
router.register("readings", ReadingViewSet, basename="reading")
router.register("reminders", ReminderViewSet, basename="reminder")
router.register("documents", DocumentVersionViewSet, basename="document")
router.register("webhooks", WebhookViewSet, basename="webhook")

v1 = [*router.urls]

app_name = "api"
urlpatterns = [
    path("v1/", include((v1, "v1"))),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", ApiDocsView.as_view(url_name="api:schema"), name="docs"),
    re_path(r"^[\s\S]*$", not_found),  # any path, even one with a newline in it
]
