from django.urls import path

from . import correction_views, views

urlpatterns = [
    path("<int:pk>/", views.inspection_detail, name="inspection-detail"),
    path("<int:pk>/deadline/", views.override_deadline, name="inspection-deadline"),
    path("<int:pk>/correct/", correction_views.correct_report, name="inspection-correct"),
    path("import/", views.import_upload, name="import-upload"),
    path("import/<str:token>/review/", views.import_review, name="import-review"),
]
