"""The beat schedule, as rows the admin shows and can edit (django-celery-beat).

- the reminder sweep: hourly on the hour's fifth minute, 07:05–19:05 London time (each
  run after the first of the day only hands out what is unsent, so the hourly runs are
  how reminders held up by a broker outage go out the same day);
- the nightly RAG refresh (time alone turns actions amber and red).

Re-running the migration updates the rows by name; an administrator's later edits to
times are theirs to keep unless this migration is reapplied.
"""

from django.db import migrations

TIMEZONE = "Europe/London"
SCHEDULE = [
    {
        "name": "Reminders: record and send due reminders",
        "task": "reminders.sweep",
        "crontab": {"minute": "5", "hour": "7-19"},
        "description": "Finds the reminders due (and any missed) and sends each once.",
    },
    {
        "name": "Actions: refresh RAG status nightly",
        "task": "actions.refresh_all_rags",
        "crontab": {"minute": "30", "hour": "1"},
        "description": "Recomputes every open action's RAG: time alone turns actions red.",
    },
]


def create_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    for entry in SCHEDULE:
        crontab, _ = CrontabSchedule.objects.get_or_create(
            minute=entry["crontab"]["minute"],
            hour=entry["crontab"]["hour"],
            day_of_week="*",
            day_of_month="*",
            month_of_year="*",
            timezone=TIMEZONE,
        )
        PeriodicTask.objects.update_or_create(
            name=entry["name"],
            defaults={
                "task": entry["task"],
                "crontab": crontab,
                "interval": None,
                "enabled": True,
                "description": entry["description"],
            },
        )
    # Tell a running beat to reload (what PeriodicTask's save signal does normally).
    from django.utils import timezone

    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def remove_schedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[entry["name"] for entry in SCHEDULE]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reminders", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
