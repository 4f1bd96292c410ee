from django.urls import path

from . import views

urlpatterns = [
    path("calendar/", views.calendar_page, name="documents-calendar"),
    path("calendar/<str:token>/mine.ics", views.person_feed, name="documents-calendar-person"),
    path(
        "calendar/<str:token>/plans/<int:pk>.ics",
        views.plan_feed,
        name="documents-calendar-plan",
    ),
    # Links made when a report stood for its plan keep working.
    path(
        "calendar/<str:token>/inspections/<int:pk>.ics",
        views.report_plan_feed,
        name="documents-calendar-report",
    ),
]
