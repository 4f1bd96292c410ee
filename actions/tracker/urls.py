from django.urls import path

from . import views

urlpatterns = [
    path("plans/<int:pk>/tracker.xlsx", views.export_xlsx, name="documents-export-xlsx"),
    path("plans/<int:pk>/tracker.csv", views.export_csv, name="documents-export-csv"),
    path("plans/<int:pk>/import/", views.import_upload, name="documents-import"),
    path(
        "plans/<int:pk>/import/preview/",
        views.import_preview,
        name="documents-import-preview",
    ),
]
