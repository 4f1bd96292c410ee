"""Test defaults for environment variables, loaded as a pytest plugin before Django starts.

Tests read settings from the environment like every other process; these defaults only
fill what the environment leaves unset.
"""

import os

# A developer's `.env` (written by `make run`) must not change what the tests see.
os.environ.setdefault("ENV_FILE", "")
os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-not-for-production")
os.environ.setdefault("EMAIL_URL", "consolemail://")
os.environ.setdefault(
    "STATICFILES_BACKEND", "django.contrib.staticfiles.storage.StaticFilesStorage"
)
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# Webhook tests (and the workers they start) post to receivers on this machine over http.
os.environ.setdefault("WEBHOOK_ALLOW_HTTP", "true")
os.environ.setdefault("WEBHOOK_ALLOWED_NETWORKS", "127.0.0.0/8,::1/128")

# Whitenoise looks for STATIC_ROOT when the application starts.
_var = os.environ.get("VAR_DIR") or os.path.join(os.path.dirname(os.path.dirname(__file__)), "var")
os.makedirs(os.path.join(_var, "static"), exist_ok=True)
