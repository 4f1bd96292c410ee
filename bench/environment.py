"""The settings every benchmark runs the application with, set before Django starts.

Production defaults (HTTPS redirects, the hashed static files manifest) would get in the
way of a local run; everything else stays as a deployment has it.
"""

from __future__ import annotations

import os


def configure(**extra: str) -> None:
    """Set the benchmark environment, plus `extra` variables for one script."""
    os.environ.update(
        SECRET_KEY=os.environ.get("SECRET_KEY", "benchmarks-only"),
        DJANGO_SETTINGS_MODULE="config.settings",
        SECURE_SSL_REDIRECT="false",
        STATICFILES_BACKEND="django.contrib.staticfiles.storage.StaticFilesStorage",
        **extra,
    )
