import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    unset = {"SECRET_KEY", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    base = {k: v for k, v in os.environ.items() if k not in unset}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage("check", DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_development_has_a_default_secret_key():
    assert run_manage("check", DEBUG="true").returncode == 0


def test_deploy_check_is_clean_with_production_settings():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="false",
        SECRET_KEY="a-long-random-production-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        ALLOWED_HOSTS="plans.example.gov.uk",
        SECURE_SSL_REDIRECT="true",
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_time_zone_is_london(settings):
    assert settings.TIME_ZONE == "Europe/London"


def database_options(**env: str) -> str:
    code = (
        "from django.conf import settings; "
        "print(sorted(settings.DATABASES['default']['OPTIONS'].items()))"
    )
    result = run_manage("shell", "-c", code, DEBUG="true", **env)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_postgresql_prepares_the_statements_a_connection_repeats():
    options = database_options(DATABASE_URL="postgres://plans@db.example:5432/plans")
    assert "('prepare_threshold', 5)" in options and "('server_side_binding', True)" in options


def test_prepared_statements_can_be_turned_off_for_an_old_connection_pooler():
    options = database_options(
        DATABASE_URL="postgres://plans@db.example:5432/plans", DATABASE_PREPARED_STATEMENTS="false"
    )
    assert "prepare_threshold" not in options and "server_side_binding" not in options


def test_a_checkouts_env_file_lets_documented_commands_run_outside_make_run(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("DEBUG=1\nSITE_URL=http://127.0.0.1:8100\n")
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.SITE_URL)",
        ENV_FILE=str(env_file),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "http://127.0.0.1:8100"


def test_the_environment_wins_over_the_env_file(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("DEBUG=1\nSITE_URL=http://127.0.0.1:8100\n")
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.SITE_URL)",
        ENV_FILE=str(env_file),
        SITE_URL="https://plans.example.gov.uk",
    )
    assert result.stdout.strip().splitlines()[-1] == "https://plans.example.gov.uk"


def test_make_run_points_links_at_the_port_it_serves_and_writes_the_env_file():
    script = (ROOT / "scripts" / "run-dev").read_text()
    assert 'export SITE_URL="${SITE_URL:-http://$HOST:$PORT}"' in script
    assert "SITE_URL=$SITE_URL" in script


def test_the_documented_file_mail_url_keeps_an_absolute_path(tmp_path):
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.EMAIL_FILE_PATH)",
        DEBUG="1",
        EMAIL_URL=f"filemail:///{tmp_path}",
    )
    assert result.stdout.strip().splitlines()[-1] == str(tmp_path)
    readme = (ROOT / "README.md").read_text()
    assert "filemail:////srv/mail" in readme
