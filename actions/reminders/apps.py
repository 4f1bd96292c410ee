from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "actions.reminders"
    label = "reminders"
    verbose_name = "Reminders"
