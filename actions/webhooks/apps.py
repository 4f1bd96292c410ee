from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "actions.webhooks"
    label = "webhooks"
    verbose_name = "Webhooks"
