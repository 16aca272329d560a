"""The deployment files agree with each other and with the settings.

docker-compose.yml, the Dockerfile, gunicorn.conf.py and .env.example are read as
data; the production settings are exercised in subprocesses, exactly as the
container starts them, so nothing here needs Docker.
"""

import json
import os
import re
import runpy

import pytest
import yaml
from production import (
    GUNICORN_CONF,
    PRODUCTION_SETTINGS,
    READ_BY_LIBRARIES,
    ROOT,
    SETTINGS_DIR,
    names_read_by,
    production_env,
    run,
    settings_env_names,
)

REQUIRED_IN_PRODUCTION = ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL")
APP_SERVICES = ("web", "migrate", "scheduler")
INTERPOLATION = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)")


def known_env_names():
    """Every variable the production container reads: its settings, gunicorn, libraries."""
    return (
        names_read_by(SETTINGS_DIR / "base.py", SETTINGS_DIR / "production.py")
        | names_read_by(GUNICORN_CONF)
        | {"DJANGO_SETTINGS_MODULE", "PORT", "WEB_CONCURRENCY"}
        | set(READ_BY_LIBRARIES)
    )


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


@pytest.fixture(scope="module")
def services(compose):
    return compose["services"]


def dockerfile_instructions():
    """(INSTRUCTION, arguments) pairs, with continuation lines joined and comments dropped."""
    instructions, current = [], ""
    for line in (ROOT / "Dockerfile").read_text().splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.endswith("\\"):
            current += stripped[:-1] + " "
            continue
        keyword, _, arguments = (current + stripped).partition(" ")
        instructions.append((keyword.upper(), arguments.strip()))
        current = ""
    return instructions


def dockerfile_stages():
    stages = []
    for keyword, arguments in dockerfile_instructions():
        if keyword == "FROM":
            stages.append([])
        elif stages:
            stages[-1].append((keyword, arguments))
    return stages


def final_stage(keyword):
    return [arguments for kw, arguments in dockerfile_stages()[-1] if kw == keyword]


def dockerfile_cmd():
    return json.loads(final_stage("CMD")[-1])


def dockerfile_healthcheck():
    (healthcheck,) = final_stage("HEALTHCHECK")
    return json.loads(healthcheck.split(" CMD ", 1)[1])


def load_gunicorn_conf(monkeypatch, **environ):
    for name in names_read_by(GUNICORN_CONF):
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(GUNICORN_CONF))


# --- the variable names -------------------------------------------------------


def test_workers_are_forked_from_a_frozen_master(monkeypatch):
    """The application the master imported is frozen before the workers fork, so their
    garbage collector never scans it and memory stays shared."""
    import gc

    conf = load_gunicorn_conf(monkeypatch)
    assert conf["preload_app"] is True
    frozen = gc.get_freeze_count()
    try:
        conf["when_ready"](server=None)
        assert gc.get_freeze_count() > frozen
    finally:
        gc.unfreeze()


def test_the_scan_finds_the_variables_the_settings_read():
    # Guards the regex: an empty or partial scan would let every check below pass.
    assert {"SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL", "SENTRY_DSN"} <= (
        settings_env_names()
    )
    assert {"PORT", "WEB_CONCURRENCY", "GUNICORN_THREADS"} <= names_read_by(GUNICORN_CONF)


@pytest.mark.parametrize("service", APP_SERVICES)
def test_compose_passes_only_variables_that_something_reads(services, service):
    unknown = set(services[service]["environment"]) - known_env_names()
    assert not unknown, f"{service} sets variables nothing reads (typo?): {sorted(unknown)}"


@pytest.mark.parametrize("service", APP_SERVICES)
def test_compose_sets_every_required_production_variable(services, service):
    environment = services[service]["environment"]
    assert environment["DJANGO_SETTINGS_MODULE"] == PRODUCTION_SETTINGS
    for name in REQUIRED_IN_PRODUCTION:
        assert environment.get(name), f"{service} does not set {name}"
    # Secrets come from .env, and compose refuses to start without them.
    for name in ("SECRET_KEY", "ALLOWED_HOSTS"):
        assert re.fullmatch(rf"\$\{{{name}:\?.+\}}", environment[name]), environment[name]
    assert re.fullmatch(r"postgres://.+@db:5432/.+", environment["DATABASE_URL"])
    assert environment["REDIS_URL"].startswith("redis://redis:")


def test_env_example_documents_every_variable(services):
    compose_text = (ROOT / "docker-compose.yml").read_text()
    example = (ROOT / ".env.example").read_text()
    wanted = set(INTERPOLATION.findall(compose_text))
    for service in APP_SERVICES:
        wanted |= set(services[service]["environment"])
    missing = {name for name in wanted if not re.search(rf"\b{name}\b", example)}
    assert not missing, f".env.example does not mention {sorted(missing)}"

    listed = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]*)=", example, re.M))
    unknown = listed - known_env_names() - set(INTERPOLATION.findall(compose_text))
    assert not unknown, f".env.example lists variables nothing reads: {sorted(unknown)}"


# --- docker-compose.yml -------------------------------------------------------


def test_web_runs_the_image_command_with_the_gunicorn_config(services):
    command = services["web"]["command"]
    assert command == dockerfile_cmd()
    assert command[0] == "gunicorn"
    assert command[command.index("--config") + 1] == "gunicorn.conf.py"


def test_db_and_redis_have_health_checks(services):
    assert "pg_isready" in " ".join(services["db"]["healthcheck"]["test"])
    assert "$$POSTGRES_USER" in " ".join(services["db"]["healthcheck"]["test"])
    assert services["redis"]["healthcheck"]["test"][-2:] == ["redis-cli", "ping"]


def test_web_waits_for_healthy_services_and_finished_migrations(services):
    assert services["web"]["depends_on"] == {
        "db": {"condition": "service_healthy"},
        "redis": {"condition": "service_healthy"},
        "migrate": {"condition": "service_completed_successfully"},
    }


def test_migrations_are_a_separate_one_shot_step(services):
    migrate = services["migrate"]
    assert migrate["command"] == ["python", "manage.py", "migrate", "--noinput"]
    assert migrate["restart"] == "no"
    assert migrate["depends_on"]["db"] == {"condition": "service_healthy"}
    assert "migrate" not in " ".join(dockerfile_cmd())


def test_scheduler_publishes_scheduled_pages_after_migrations(services):
    scheduler = services["scheduler"]
    assert "python manage.py publish_scheduled" in " ".join(scheduler["command"])
    assert scheduler["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}


def test_worker_runs_the_queued_background_work_of_every_service(services, compose):
    worker = services["worker"]
    assert worker["command"][:3] == ["python", "manage.py", "db_worker"]
    assert worker["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
    # Every service that publishes queues its work in the database for the worker.
    for name in ("web", "scheduler", "worker"):
        assert services[name]["environment"]["TASKS_BACKEND"] == "database", name
    assert "prune_db_task_results" in " ".join(services["scheduler"]["command"])


@pytest.mark.parametrize("service", ["migrate", "scheduler", "worker"])
def test_services_without_http_turn_off_the_image_health_check(services, service):
    # Otherwise they inherit the Dockerfile's /healthz/ probe and show as unhealthy.
    assert services[service]["healthcheck"] == {"disable": True}


def test_web_health_check_is_the_image_health_check(services):
    assert services["web"]["healthcheck"]["test"] == ["CMD", *dockerfile_healthcheck()]


def test_one_port_everywhere(services, monkeypatch):
    gunicorn_port = load_gunicorn_conf(monkeypatch)["bind"].rsplit(":", 1)[1]
    (exposed,) = final_stage("EXPOSE")
    (published,) = services["web"]["ports"]
    probe = " ".join(dockerfile_healthcheck())
    assert "/healthz/" in probe
    probe_default = re.search(r"os\.environ\.get\('PORT', '(\d+)'\)", probe).group(1)
    assert (
        gunicorn_port
        == exposed
        == services["web"]["environment"]["PORT"]
        == published.rsplit(":", 1)[1]
        == probe_default
    )


def test_web_runs_as_a_non_root_user(services):
    assert services["web"]["user"] not in {"", "root", "0"}
    assert not services["web"]["user"].startswith(("root:", "0:"))


# --- Dockerfile ---------------------------------------------------------------


def test_dockerfile_is_a_multi_stage_build():
    assert len(dockerfile_stages()) >= 2


def test_image_runs_as_a_non_root_user():
    users = final_stage("USER")
    assert users, "the final stage has no USER: it would run as root"
    assert users[-1].split(":")[0] not in {"root", "0"}


def test_static_files_are_collected_and_messages_compiled_at_build_time():
    runs = " ".join(
        arguments for stage in dockerfile_stages() for kw, arguments in stage if kw == "RUN"
    )
    assert "collectstatic --noinput" in runs
    assert "compilemessages" in runs


def test_image_health_check_probes_healthz():
    probe = dockerfile_healthcheck()
    assert probe[0] == "python"
    assert "/healthz/" in probe[-1]


# --- gunicorn.conf.py ---------------------------------------------------------


def test_gunicorn_follows_port_and_web_concurrency(monkeypatch):
    conf = load_gunicorn_conf(monkeypatch, PORT="9123", WEB_CONCURRENCY="3", GUNICORN_THREADS="4")
    assert conf["bind"] == "0.0.0.0:9123"
    assert conf["workers"] == 3
    assert conf["threads"] == 4


def test_gunicorn_defaults(monkeypatch):
    conf = load_gunicorn_conf(monkeypatch)
    assert conf["bind"] == "0.0.0.0:8000"
    # One worker per CPU, forked from an application imported once, recycled rarely.
    assert conf["workers"] == min(conf["available_cpus"](), conf["MAX_DEFAULT_WORKERS"])
    assert conf["preload_app"] is True
    assert conf["max_requests"] >= 10000
    assert conf["wsgi_app"] == "mediation_site.wsgi:application"
    assert conf["accesslog"] == conf["errorlog"] == "-"
    assert conf["max_requests"] > 0 and conf["max_requests_jitter"] > 0


def test_gunicorn_refuses_a_malformed_number(monkeypatch):
    with pytest.raises(SystemExit, match="WEB_CONCURRENCY"):
        load_gunicorn_conf(monkeypatch, WEB_CONCURRENCY="lots")


def test_gunicorn_conf_names_only_real_gunicorn_settings(monkeypatch):
    from gunicorn.config import Config

    conf = load_gunicorn_conf(monkeypatch, PORT="8001")
    config = Config()
    values = {
        name: value
        for name, value in conf.items()
        if name.islower() and not name.startswith("_") and not callable(value)
        if not isinstance(value, type(os))
    }
    unknown = set(values) - set(config.settings)
    assert not unknown, f"gunicorn would silently ignore {sorted(unknown)}"
    for name, value in values.items():
        config.set(name, value)  # runs gunicorn's own validation
    assert [f"{host}:{port}" for host, port in config.address] == [conf["bind"]]
    assert conf["bind"].endswith(":8001")


# --- production settings ------------------------------------------------------


def test_production_settings_pass_the_deployment_checks(tmp_path):
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], production_env(tmp_path)
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("missing", REQUIRED_IN_PRODUCTION)
def test_production_refuses_to_start_without(tmp_path, missing):
    result = run(["manage.py", "check", "--deploy"], production_env(tmp_path, **{missing: None}))
    assert result.returncode != 0
    assert missing in result.stderr


PROBE = """
import json
import django
from django.conf import settings
from django.test import Client

django.setup()
client = Client()
print(json.dumps({
    "staticfiles": settings.STORAGES["staticfiles"]["BACKEND"],
    "debug": settings.DEBUG,
    "healthz": client.get("/healthz/", HTTP_HOST="example.org").status_code,
    "healthz_other_host": client.get("/healthz/", HTTP_HOST="attacker.test").status_code,
    "page_over_http": client.get("/en/", HTTP_HOST="example.org").status_code,
}))
"""


def test_production_serves_compressed_manifest_static_files(tmp_path):
    result = run(
        [
            "-c",
            "import mediation_site.settings.production as s; "
            "print(s.STORAGES['staticfiles']['BACKEND'])",
        ],
        production_env(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "whitenoise.storage.CompressedManifestStaticFilesStorage"


def test_health_check_answers_over_plain_http_only_for_an_allowed_host(tmp_path):
    result = run(["-c", PROBE], production_env(tmp_path))
    assert result.returncode == 0, result.stderr
    probe = json.loads(result.stdout.strip().splitlines()[-1])
    assert probe["debug"] is False
    # The container's probe reaches gunicorn over HTTP: /healthz/ must not be
    # redirected to HTTPS, while pages are.
    assert probe["healthz"] == 200
    assert probe["page_over_http"] == 301
    assert probe["healthz_other_host"] == 400


def test_collectstatic_succeeds_with_production_settings(tmp_path):
    # The same step as the image build; the manifest storage fails on any
    # stylesheet that refers to a missing file.
    result = run(["manage.py", "collectstatic", "--noinput", "-v", "0"], production_env(tmp_path))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "static" / "staticfiles.json").is_file()


def test_the_sites_connections_start_no_parallel_workers_unless_told(monkeypatch, db):
    """A short statement the planner misjudges would start workers (milliseconds) for
    a fraction of a millisecond of work; DB_PARALLEL_WORKERS or the URL's own
    ``options`` change it."""
    from django.db import connection

    from mediation_site.settings.base import database_from_env

    def options(url="postgres://user@db.example:5432/site"):
        monkeypatch.setenv("DATABASE_URL", url)
        return database_from_env()["OPTIONS"]["options"]

    monkeypatch.delenv("DB_PARALLEL_WORKERS", raising=False)
    monkeypatch.delenv("DB_TOAST_COMPRESSION", raising=False)
    assert options().startswith("-c max_parallel_workers_per_gather=0 ")
    monkeypatch.setenv("DB_PARALLEL_WORKERS", "2")
    assert options().startswith("-c max_parallel_workers_per_gather=2 ")
    assert options("postgres://db.example/site?options=-c%20work_mem%3D8MB") == "-c work_mem=8MB"
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW max_parallel_workers_per_gather")
            assert cursor.fetchone()[0] == "0"


def test_long_values_are_compressed_with_lz4_unless_told(monkeypatch, db):
    """lz4 compresses a revision's content in a third of pglz's time; a server built
    without it is told so by DB_TOAST_COMPRESSION, and any other value is refused."""
    from django.core.exceptions import ImproperlyConfigured
    from django.db import connection

    from mediation_site.settings.base import database_from_env

    def options():
        return database_from_env()["OPTIONS"]["options"]

    monkeypatch.setenv("DATABASE_URL", "postgres://user@db.example:5432/site")
    monkeypatch.delenv("DB_TOAST_COMPRESSION", raising=False)
    assert options().endswith(" -c default_toast_compression=lz4")
    monkeypatch.setenv("DB_TOAST_COMPRESSION", "pglz")
    assert options().endswith(" -c default_toast_compression=pglz")
    monkeypatch.setenv("DB_TOAST_COMPRESSION", "zstd")
    with pytest.raises(ImproperlyConfigured, match="DB_TOAST_COMPRESSION must be lz4 or pglz"):
        options()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW default_toast_compression")
            assert cursor.fetchone()[0] == "lz4"


def test_prepared_statements_are_on_unless_turned_off(monkeypatch):
    from mediation_site.settings.base import database_from_env

    monkeypatch.setenv("DATABASE_URL", "postgres://user@db.example:5432/site")
    monkeypatch.delenv("DB_PREPARED_STATEMENTS", raising=False)
    assert database_from_env()["OPTIONS"]["prepare_threshold"] == 5
    monkeypatch.setenv("DB_PREPARED_STATEMENTS", "0")
    assert "prepare_threshold" not in database_from_env()["OPTIONS"]
