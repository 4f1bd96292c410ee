"""Settings of the worker the redelivery test starts: the project's own, with a Redis
visibility timeout of seconds instead of an hour (so the test need not wait an hour)."""

from config.settings import *  # noqa: F403

CELERY_BROKER_TRANSPORT_OPTIONS = {
    **CELERY_BROKER_TRANSPORT_OPTIONS,  # noqa: F405
    "visibility_timeout": 3,
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
