from django.apps import AppConfig


class SignInConfig(AppConfig):
    name = "core.auth"
    # "auth" is django.contrib.auth's label.
    label = "core_auth"
    verbose_name = "Signing in"

    def ready(self) -> None:
        from . import events, sessions

        events.connect()
        sessions.connect()
