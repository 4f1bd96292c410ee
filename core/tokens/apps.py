from django.apps import AppConfig


class TokensConfig(AppConfig):
    name = "core.tokens"
    label = "tokens"
    verbose_name = "API tokens"
