"""The documents sweep in the beat schedule, as a row the admin shows and can edit
(django-celery-beat): every minute, like the webhook sweep, so a generation whose worker
died is handed out again soon after its claim expires.

Re-running the migration updates the row by name; an administrator's later edits are
theirs to keep unless this migration is reapplied.
"""

from django.db import migrations

TIMEZONE = "Europe/London"
ENTRY = {
    "name": "Documents: hand out generations again whose worker died",
    "task": "documents.sweep",
    "crontab": {"minute": "*", "hour": "*"},
    "description": "Publishes document generations left pending or claimed for longer "
    "than DOCUMENTS_STALE_GENERATION_SECONDS (a worker died or the broker was down), once "
    "each.",
}


def create_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute=ENTRY["crontab"]["minute"],
        hour=ENTRY["crontab"]["hour"],
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone=TIMEZONE,
    )
    PeriodicTask.objects.update_or_create(
        name=ENTRY["name"],
        defaults={
            "task": ENTRY["task"],
            "crontab": crontab,
            "interval": None,
            "enabled": True,
            "description": ENTRY["description"],
        },
    )
    # Tell a running beat to reload (what PeriodicTask's save signal does normally).
    from django.utils import timezone

    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def remove_schedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name=ENTRY["name"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0003_generation_claims"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
