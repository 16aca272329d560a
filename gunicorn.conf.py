"""Gunicorn settings for the production image (``gunicorn --config gunicorn.conf.py``).

Every value can be changed through the environment without rebuilding the image.
"""

import gc
import os

from django import db


def env(name, default=None):
    return os.environ.get(name) or default


def env_int(name, default):
    value = env(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise SystemExit(f"{name} must be a whole number, not {value!r}") from None


def available_cpus():
    """CPUs this container may use: its CPU set, further limited by a cgroup v2 quota."""
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    try:
        with open("/sys/fs/cgroup/cpu.max") as f:
            quota, period = f.read().split()[:2]
    except (OSError, ValueError):
        return cpus or 1
    if quota != "max":
        cpus = min(cpus or 1, max(1, -(-int(quota) // int(period))))
    return cpus or 1


# One sync worker per CPU: the workers spend their time on the CPU (rendering,
# or copying a cached page), so more of them only take turns, each holding a whole
# Django + Wagtail process (roughly 150 MB). At most 8 by default, since memory runs
# out first on a large host. Set WEB_CONCURRENCY to override.
MAX_DEFAULT_WORKERS = 8

wsgi_app = "mediation_site.wsgi:application"
bind = f"0.0.0.0:{env_int('PORT', 8000)}"
workers = env_int("WEB_CONCURRENCY", min(available_cpus(), MAX_DEFAULT_WORKERS))
threads = env_int("GUNICORN_THREADS", 1)
timeout = env_int("GUNICORN_TIMEOUT", 30)
graceful_timeout = env_int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = env_int("GUNICORN_KEEPALIVE", 5)

# The application is imported once, in the master, and each worker is forked from
# it: a new or recycled worker answers at once instead of spending seconds importing
# Django and Wagtail (and its first request with them). The master opens no database
# connection; post_fork below closes any all the same, so no two workers share one.
preload_app = True

# Recycle workers now and then so a slow leak cannot grow without bound, but rarely:
# each restart costs a fork and cold caches. The jitter keeps them from all
# restarting at the same moment.
max_requests = env_int("GUNICORN_MAX_REQUESTS", 10000)
max_requests_jitter = env_int("GUNICORN_MAX_REQUESTS_JITTER", 1000)


def when_ready(server):
    """The master has imported the application: what it holds is frozen, never scanned
    by a worker's garbage collector (a story page's collections cost 0.6 ms of its CPU,
    0.28 ms frozen) nor written to by it, so the workers share those pages of memory."""
    gc.freeze()


def post_fork(server, worker):
    db.connections.close_all()


# The reverse proxy in front terminates TLS; only the addresses listed here may
# set X-Forwarded-Proto / X-Forwarded-For. Use "*" only when nothing but the
# proxy can reach this port (as in docker-compose.yml).
forwarded_allow_ips = env("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Worker heartbeat files in memory: a container's disk-backed /tmp can stall
# the heartbeat and get healthy workers killed. (gunicorn creates them with
# mkstemp and unlinks them at once, so a shared directory is safe: S108.)
if os.path.isdir("/dev/shm"):  # noqa: S108
    worker_tmp_dir = "/dev/shm"  # noqa: S108

# Nothing in the container runs gunicornc, and its default socket path under
# $HOME is not writable by the app user.
control_socket_disable = True

accesslog = "-"
errorlog = "-"
loglevel = env("LOG_LEVEL", "info").lower()
