"""The production shape is described by files no engine runs here: check their structure."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]


def test_compose_runs_every_production_process():
    assert {"db", "redis", "migrate", "web", "worker", "beat"} <= set(SERVICES)
    assert SERVICES["db"]["image"].startswith("postgres:1")
    assert int(SERVICES["db"]["image"].split(":")[1]) >= 15
    assert SERVICES["redis"]["image"] == "redis:7"
    assert "gunicorn" in (ROOT / "Dockerfile").read_text()
    assert SERVICES["worker"]["command"][:4] == ["celery", "-A", "config", "worker"]
    assert SERVICES["beat"]["command"][:4] == ["celery", "-A", "config", "beat"]


@pytest.mark.parametrize("name", ["db", "redis", "web", "worker", "beat"])
def test_every_long_running_service_has_a_health_check_and_restarts(name):
    service = SERVICES[name]
    assert service["healthcheck"]["test"]
    assert service["restart"] == "unless-stopped"


def test_there_is_exactly_one_scheduler():
    assert SERVICES["beat"]["deploy"]["replicas"] == 1


def test_application_services_read_settings_from_env_file():
    for name in ("migrate", "web", "worker", "beat"):
        assert SERVICES[name]["env_file"] == ".env"


def test_no_secret_is_written_in_the_compose_file():
    text = (ROOT / "docker-compose.yml").read_text()
    assert "SECRET_KEY" not in text
    for key, value in SERVICES["db"]["environment"].items():
        if "PASSWORD" in key:
            assert re.fullmatch(r"\$\{[A-Z_]+:\?.+\}", value), "passwords come from .env"


def test_env_example_documents_settings_without_real_secrets():
    env = dict(
        line.split("=", 1)
        for line in (ROOT / ".env.example").read_text().splitlines()
        if line and not line.startswith("#")
    )
    assert env["SECRET_KEY"] == ""
    assert env["POSTGRES_PASSWORD"] == ""
    assert {"DATABASE_URL", "REDIS_URL", "ALLOWED_HOSTS", "EMAIL_URL"} <= set(env)


@pytest.mark.skipif(shutil.which("docker") is None, reason="no docker client here")
def test_docker_compose_config_validates_where_the_plugin_exists(tmp_path):
    probe = subprocess.run(["docker", "compose", "version"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip("the docker compose plugin is not installed here")
    shutil.copy(ROOT / "docker-compose.yml", tmp_path)
    shutil.copy(ROOT / ".env.example", tmp_path / ".env")
    result = subprocess.run(
        ["docker", "compose", "config", "--quiet"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={"POSTGRES_PASSWORD": "example", "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr


def test_the_web_health_check_asks_with_an_allowed_host_name():
    # Django answers 400 to a Host outside ALLOWED_HOSTS, health checks included.
    check = " ".join(SERVICES["web"]["healthcheck"]["test"])
    assert "/healthz" in check
    assert "ALLOWED_HOSTS" in check


def test_stopping_a_worker_gives_running_tasks_time_and_requeues_the_rest():
    worker = SERVICES["worker"]
    assert worker["environment"]["REMAP_SIGTERM"] == "SIGQUIT"
    grace = int(worker["stop_grace_period"].rstrip("s"))
    env = dict(
        line.split("=", 1)
        for line in (ROOT / ".env.example").read_text().splitlines()
        if line and not line.startswith("#")
    )
    assert float(env["CELERY_WORKER_SOFT_SHUTDOWN_TIMEOUT"]) < grace


def test_the_image_runs_as_a_user_with_static_files_collected_and_backup_tools():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "USER app" in dockerfile
    assert "collectstatic --no-input" in dockerfile
    assert "postgresql-client" in dockerfile
    assert "exec gunicorn" in dockerfile


def test_env_example_has_single_sign_on_switched_off():
    env = dict(
        line.split("=", 1)
        for line in (ROOT / ".env.example").read_text().splitlines()
        if line and not line.startswith("#")
    )
    assert env["OIDC_RP_CLIENT_ID"] == ""
    assert env["OIDC_RP_CLIENT_SECRET"] == ""


QUEUES = {"celery", "reminders", "documents", "webhooks"}


def _queues(command: list[str]) -> set[str]:
    """The queues a `celery worker` command consumes (every queue without -Q)."""
    if "-Q" not in command:
        return set(QUEUES)
    return set(command[command.index("-Q") + 1].split(","))


def test_each_kind_of_background_work_has_its_own_queue():
    from config.celery import app

    routes = {
        "webhooks.deliver": "webhooks",
        "webhooks.sweep": "webhooks",
        "reminders.send_reminder": "reminders",
        "reminders.sweep": "reminders",
        "documents.generate_document": "documents",
        "documents.sweep": "documents",
        "actions.refresh_rag": "celery",
    }
    for task, queue in routes.items():
        assert app.amqp.router.route({}, task)["queue"].name == queue, task
    assert {queue.name for queue in app.conf.task_queues} == QUEUES


def test_compose_starts_workers_for_every_queue_and_webhooks_apart():
    workers = {
        name: _queues(service["command"])
        for name, service in SERVICES.items()
        if service.get("command", [])[:4] == ["celery", "-A", "config", "worker"]
    }
    assert set().union(*workers.values()) == QUEUES
    # Slow receivers hold up nothing else: webhooks have workers of their own.
    assert all(queues == {"webhooks"} for queues in workers.values() if "webhooks" in queues)
    assert all(queues == {"documents"} for queues in workers.values() if "documents" in queues)
    for name in workers:
        assert SERVICES[name]["healthcheck"]["test"]
        assert SERVICES[name]["restart"] == "unless-stopped"


def test_make_run_starts_workers_for_every_queue():
    script = (ROOT / "scripts" / "run-dev").read_text()
    [loop] = re.findall(r"for queues in ([^;]+); do", script)
    consumed = set(",".join(loop.split()).split(","))
    assert consumed == QUEUES
    assert '-Q "$queues"' in script
