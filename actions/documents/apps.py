from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "actions.documents"
    label = "documents"
    verbose_name = "Submission documents and exports"
