"""The production settings in a subprocess, exactly as the container starts them.

``production_env()`` is this process's environment without any variable the
application reads (so nothing leaks in from the test run), plus what production
requires; ``run()`` runs Python with it in the project's directory.
"""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SETTINGS_DIR = ROOT / "mediation_site" / "settings"
GUNICORN_CONF = ROOT / "gunicorn.conf.py"
PRODUCTION_SETTINGS = "mediation_site.settings.production"
# Read from the environment by a library rather than by our settings.
READ_BY_LIBRARIES = {
    "AWS_ACCESS_KEY_ID": "django-storages / boto3 (S3 credentials)",
    "AWS_SECRET_ACCESS_KEY": "django-storages / boto3 (S3 credentials)",
}
# env("NAME", ...), env_bool("NAME", ...), env_list("NAME", ...), env_int("NAME", ...)
ENV_CALL = re.compile(r"""\benv(?:_bool|_list|_int)?\(\s*["']([A-Z][A-Z0-9_]*)["']""")


def names_read_by(*paths):
    return {name for path in paths for name in ENV_CALL.findall(path.read_text())}


def settings_env_names():
    """Every variable any settings module reads (dev and test included)."""
    return names_read_by(*sorted(SETTINGS_DIR.glob("*.py")))


def production_env(tmp_path=None, **overrides):
    """The environment of a production process; ``tmp_path`` gives it a SQLite database
    and a static root of its own. An override of ``None`` removes the variable."""
    leaky = (
        settings_env_names()
        | names_read_by(GUNICORN_CONF)
        | set(READ_BY_LIBRARIES)
        # DJANGO_ALLOW_ASYNC_UNSAFE is set while the browser tests run; production never has it.
        | {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "PORT", "WEB_CONCURRENCY"}
    )
    environ = {name: value for name, value in os.environ.items() if name not in leaky}
    environ.update(
        DJANGO_SETTINGS_MODULE=PRODUCTION_SETTINGS,
        SECRET_KEY=secrets.token_urlsafe(48),  # 64 characters
        ALLOWED_HOSTS="example.org",
    )
    if tmp_path is not None:
        environ.update(
            DATABASE_URL=f"sqlite:///{tmp_path / 'production.sqlite3'}",
            STATIC_ROOT=str(tmp_path / "static"),
        )
    for name, value in overrides.items():
        if value is None:
            environ.pop(name, None)
        else:
            environ[name] = value
    return environ


def run(args, environ, timeout=120):
    """``python *args`` in the project's directory, its output captured as text."""
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
