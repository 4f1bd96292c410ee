from django.urls import path

from . import views

urlpatterns = [
    path("", views.action_list, name="action-list"),
    path("mine/", views.my_actions, name="my-actions"),
    path("<int:pk>/", views.action_detail, name="action-detail"),
    path("<int:pk>/answers/", views.change_answers, name="action-answers"),
    path("<int:pk>/<slug:name>/", views.action_transition, name="action-transition"),
    path(
        "new/<int:recommendation_pk>/",
        views.draft_action_for_recommendation,
        name="action-draft",
    ),
    path("<str:kind>/<int:pk>/return/", views.return_item, name="action-return-item"),
    path("evidence/<int:pk>/download/", views.evidence_download, name="evidence-download"),
]
