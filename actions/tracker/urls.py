from django.urls import path

from . import views

urlpatterns = [
    path("inspections/<int:pk>/plan.xlsx", views.export_xlsx, name="documents-export-xlsx"),
    path("inspections/<int:pk>/plan.csv", views.export_csv, name="documents-export-csv"),
    path("inspections/<int:pk>/import/", views.import_upload, name="documents-import"),
    path(
        "inspections/<int:pk>/import/preview/",
        views.import_preview,
        name="documents-import-preview",
    ),
]
