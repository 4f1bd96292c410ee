"""One sweep and delivery in the foreground, for deployments that run cron, not Celery."""

from __future__ import annotations

from collections import Counter

from django.core.management.base import BaseCommand
from django.utils import timezone

from actions.reminders import delivery, sweep
from actions.reminders.channels import TransientDeliveryError


class Command(BaseCommand):
    help = (
        "Record the reminders due today (and any missed since the last sweep) and send "
        "every unsent one now, without a broker. Safe to run from cron as often as you "
        "like, alongside Celery or another copy of itself: each reminder is sent once."
    )

    def handle(self, *args, **options) -> None:
        result = sweep.record_due_reminders(today=timezone.localdate(), source="command")
        outcomes: Counter[str] = Counter()
        for reminder_id in delivery.pending_now():
            try:
                outcomes[delivery.deliver(reminder_id=reminder_id)] += 1
            except TransientDeliveryError as exc:
                # Recorded on the row; the next run tries again (bounded attempts).
                outcomes["retry later"] += 1
                self.stderr.write(f"Reminder {reminder_id} not sent yet: {exc}")
        sent = outcomes[delivery.Outcome.SENT]
        self.stdout.write(
            f"Sent {sent} reminder{'' if sent == 1 else 's'} "
            f"({result.created} newly due; {outcomes[delivery.Outcome.CANCELLED]} no longer "
            f"needed; {outcomes[delivery.Outcome.FAILED]} failed; "
            f"{outcomes['retry later']} to retry)."
        )
