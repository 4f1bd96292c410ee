"""Settings of the worker processes the reminder tests start: the project's settings,
with e-mail written to files the test reads (see mailbox.py)."""

from config.settings import *  # noqa: F403

EMAIL_BACKEND = "tests.actions.reminders.mailbox.RecordingBackend"
