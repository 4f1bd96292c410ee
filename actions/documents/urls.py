from django.urls import path

from . import views

urlpatterns = [
    path("plans/<int:pk>/", views.plan_documents, name="documents-plan"),
    path(
        "plans/<int:pk>/sources/<int:source>/",
        views.source_documents,
        name="documents-source",
    ),
    path(
        "plans/<int:pk>/sources/<int:source>/submission/",
        views.generate_submission,
        name="documents-generate-submission",
    ),
    path(
        "plans/<int:pk>/sources/<int:source>/draft-sent/",
        views.draft_sent,
        name="documents-draft-sent",
    ),
    path(
        "plans/<int:pk>/sources/<int:source>/print/",
        views.submission_print,
        name="documents-submission-print",
    ),
    path("plans/<int:pk>/progress/", views.generate_progress, name="documents-generate-progress"),
    path(
        "plans/<int:pk>/progress/print/",
        views.progress_print,
        name="documents-progress-print",
    ),
    path("plans/<int:pk>/compare/", views.compare_versions, name="documents-compare"),
    path("versions/<int:pk>/", views.version_detail, name="documents-version"),
    path("versions/<int:pk>/download/", views.version_download, name="documents-version-download"),
    path("versions/<int:pk>/print/", views.version_print, name="documents-version-print"),
    path("versions/<int:pk>/submit/", views.version_submit, name="documents-version-submit"),
    path(
        "versions/<int:pk>/generate/",
        views.version_generate_now,
        name="documents-version-generate-now",
    ),
    path("document.css", views.stylesheet, name="documents-stylesheet"),
]
