"""Load test of the production stack: wrk against gunicorn with production settings.

Run with ``make loadtest``. It sets up, on this machine:

- a PostgreSQL database (``DATABASE_URL``, default ``loadtest`` on 127.0.0.1:5432),
  created when absent, migrated, and loaded with the fixtures and search documents
  (``load_content`` and ``update_search_documents``, both idempotent);
- Redis as the shared cache (``REDIS_URL``, default database 15 on 127.0.0.1:6379);
- static files collected into a temporary ``STATIC_ROOT`` (WhiteNoise, as in the image);
- gunicorn with ``gunicorn.conf.py`` and the production settings, bound to loopback: a
  random ``SECRET_KEY``, ``ALLOWED_HOSTS=127.0.0.1``, ``SECURE_SSL_REDIRECT`` left on.
  wrk sends ``X-Forwarded-Proto: https``, which gunicorn trusts from loopback
  (``FORWARDED_ALLOW_IPS``' default), so every request goes through exactly the
  production middleware. Only the access log's format gains the request time.

Every URL of the mix must answer 200 once before the run. Then wrk keeps 50
connections busy for 60 seconds, rotating through the mix (``benchmarks/loadtest.lua``).
The script prints the figures, writes them into ``docs/benchmarks.md`` and exits
non-zero on any socket error or any 5xx.
"""

import argparse
import contextlib
import http.client
import io
import json
import os
import platform
import re
import resource
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from collections import Counter, defaultdict
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote, unquote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent
WORK = ROOT / "var" / "loadtest"
DOCS = ROOT / "docs" / "benchmarks.md"
LUA = Path("benchmarks") / "loadtest.lua"
PATHS_FILE = Path("var") / "loadtest" / "paths.txt"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/loadtest"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/15"
BEGIN, END = "<!-- loadtest:begin -->", "<!-- loadtest:end -->"
# gunicorn's default access log line, plus the time the worker spent (%(M)s, in ms).
ACCESS_LOG_FORMAT = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms'
ACCESS_LINE = re.compile(r'"GET (?P<path>\S+) HTTP/1\.[01]" (?P<status>\d{3}) .* (?P<ms>\d+)ms$')


def fail(message):
    print(f"loadtest: {message}", file=sys.stderr)
    raise SystemExit(1)


def production_environment(port, static_root):
    database_url = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    if not database_url.startswith(("postgres://", "postgresql://")):
        fail(f"DATABASE_URL must name a PostgreSQL database, as production uses: {database_url}")
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "mediation_site.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url,
        "REDIS_URL": os.environ.get("REDIS_URL") or DEFAULT_REDIS_URL,
        "STATIC_ROOT": str(static_root),
        "MEDIA_ROOT": str(WORK / "media"),
        "PORT": str(port),
        # Access-log lines reach the file as requests finish, not in blocks.
        "PYTHONUNBUFFERED": "1",
    }


# Setting up -----------------------------------------------------------------------------


def ensure_database(settings_dict):
    """Create the database when it does not exist; return True if it was created."""
    import psycopg
    from psycopg import sql

    parameters = {
        "dbname": "postgres",
        "host": settings_dict["HOST"],
        "port": settings_dict["PORT"],
        "user": settings_dict["USER"],
        "password": settings_dict["PASSWORD"],
    }
    try:
        server = psycopg.connect(**{k: v for k, v in parameters.items() if v}, autocommit=True)
    except psycopg.Error as exc:
        fail(f"cannot reach PostgreSQL: {exc}")
    with server:
        name = settings_dict["NAME"]
        exists = server.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            server.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return not exists


def prepare_site():
    """Database, content, search documents and static files, in this process."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    created = ensure_database(connection.settings_dict)
    print(f"database: {connection.settings_dict['NAME']} ({'created' if created else 'exists'})")
    quiet = io.StringIO()
    with contextlib.redirect_stdout(quiet):  # the translation-field sync prints directly
        call_command("migrate", "--noinput", verbosity=0, stdout=quiet)
        call_command("load_content", stdout=quiet)
        call_command("update_search_documents", stdout=quiet)
        call_command("collectstatic", "--noinput", verbosity=0, stdout=quiet)
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        (postgres_version,) = cursor.fetchone()
    return {"postgresql": postgres_version.split()[0]}


def url_mix():
    """Every page type in both languages, search, feeds, sitemap and the API."""
    from django.db import connections
    from django.utils import translation
    from django.utils.encoding import iri_to_uri

    from apps.charter.models import CharterIndexPage, CharterProvisionPage
    from apps.home.models import HomePage
    from apps.news.models import NewsIndexPage, NewsStoryPage
    from apps.reports.models import ReportPage
    from apps.topics.models import TopicPage

    pages = [
        HomePage.objects.live().first(),
        NewsIndexPage.objects.live().first(),
        NewsStoryPage.objects.live().order_by("-date").first(),
        ReportPage.objects.live().filter(symbol__isnull=False).order_by("symbol").first(),
        TopicPage.objects.live().first(),
        CharterIndexPage.objects.live().first(),
        CharterProvisionPage.objects.live().order_by("-article").first(),
    ]
    if None in pages:
        fail("the load-test database lacks a page type: drop it and run again")
    paths = []
    for page in pages:
        for language in ("en", "ar"):
            with translation.override(language):
                paths.append(iri_to_uri(page.get_url()))
    paths += [
        "/en/search/?q=mediation",
        f"/ar/search/?q={quote('الوساطة')}",
        "/en/feeds/news.rss",
        "/ar/feeds/news.atom",
        "/en/feeds/reports.atom",
        "/ar/feeds/reports.rss",
        "/sitemap.xml",
        "/api/v2/pages/",
    ]
    connections.close_all()
    return paths


# Serving --------------------------------------------------------------------------------


def get(port, path, timeout=30):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"X-Forwarded-Proto": "https"})
        response = connection.getresponse()
        response.read()
        return response.status, response.getheader("Location")
    finally:
        connection.close()


@contextlib.contextmanager
def gunicorn(environment, port, log):
    command = [
        str(BIN / "gunicorn"),
        "--config",
        "gunicorn.conf.py",
        "--bind",
        f"127.0.0.1:{port}",
        "--access-logformat",
        ACCESS_LOG_FORMAT,
    ]
    with open(log, "w") as out:
        server = subprocess.Popen(  # noqa: S603 - our own gunicorn
            command, cwd=ROOT, env=environment, stdout=out, stderr=subprocess.STDOUT
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            if server.poll() is not None:
                fail(f"gunicorn exited with status {server.returncode}:\n{tail(log)}")
            with contextlib.suppress(OSError):
                if get(port, "/healthz/", timeout=5)[0] == 200:
                    break
            if time.monotonic() > deadline:
                fail(f"gunicorn did not answer /healthz/ within 60 s:\n{tail(log)}")
            time.sleep(0.5)
        yield server
    finally:
        workers = children(server.pid)
        server.send_signal(signal.SIGQUIT)  # the run is over: gunicorn's quick shutdown
        try:
            server.wait(timeout=5)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        for pid in workers:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


def tail(log, lines=30):
    return "\n".join(Path(log).read_text(errors="replace").splitlines()[-lines:])


def check_urls(port, paths):
    failures = []
    for path in paths:
        status, location = get(port, path)
        print(f"  {status}  {path}")
        if status != 200:
            failures.append(f"{path}: {status}" + (f" → {location}" if location else ""))
    return failures


def children(pid):
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def rss_mb(pid):
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def cpu_seconds(pid):
    """User and system CPU time a process has used so far."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Sampler(threading.Thread):
    """Samples gunicorn's workers once a second while wrk runs: resident memory, and
    the CPU time master and workers use (how much of the machine the site got)."""

    def __init__(self, master):
        super().__init__(daemon=True)
        self.master, self.stop = master, threading.Event()
        self.peak_total, self.per_worker, self.workers_seen = 0.0, {}, set()
        self.cpu_start, self.cpu_last = {}, {}
        self.sample_cpu()

    def sample_cpu(self):
        for pid in [self.master, *children(self.master)]:
            used = cpu_seconds(pid)
            if used is not None:
                self.cpu_start.setdefault(pid, used)
                self.cpu_last[pid] = used

    @property
    def cpu_used(self):
        return sum(self.cpu_last[pid] - self.cpu_start[pid] for pid in self.cpu_last)

    def run(self):
        while not self.stop.wait(1):
            self.sample_cpu()
            sizes = {pid: rss_mb(pid) for pid in children(self.master)}
            sizes = {pid: size for pid, size in sizes.items() if size}
            self.workers_seen |= set(sizes)
            self.per_worker = sizes
            self.peak_total = max(self.peak_total, sum(sizes.values()))


def run_wrk(port, threads, connections, duration, timeout):
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{duration}s",
        f"--timeout={timeout}s",
        "--latency",
        "-s",
        str(LUA),
        f"http://127.0.0.1:{port}",
        "--",
        str(PATHS_FILE),
    ]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = subprocess.run(  # noqa: S603 - wrk with our arguments
        command, cwd=ROOT, capture_output=True, text=True, timeout=duration + 60, check=False
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    wrk_cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if result.returncode != 0:
        fail(f"wrk failed ({result.returncode}): {result.stderr.strip()}")
    report = None
    for line in result.stdout.splitlines():
        if line.startswith("LOADTEST "):
            report = json.loads(line.removeprefix("LOADTEST "))
        else:
            print(f"  {line}")
    if report is None:
        fail("wrk printed no LOADTEST line: is benchmarks/loadtest.lua intact?")
    report["cpu_seconds"] = wrk_cpu
    return command, report


def access_log(log, start, end):
    """Requests per path during the run (the log between two offsets): statuses and
    worker times, and any error lines."""
    per_path = defaultdict(lambda: {"statuses": Counter(), "ms": []})
    errors = []
    with open(log, "rb") as file:
        file.seek(start)
        text = file.read(end - start).decode(errors="replace")
        for line in text.splitlines():
            match = ACCESS_LINE.search(line.rstrip())
            if match:
                entry = per_path[match["path"]]
                entry["statuses"][match["status"]] += 1
                entry["ms"].append(int(match["ms"]))
            elif "[ERROR]" in line or "Traceback" in line or "[CRITICAL]" in line:
                errors.append(line.rstrip())
    return per_path, errors


# Reporting ------------------------------------------------------------------------------


def machine():
    cpus = len(os.sched_getaffinity(0))
    model = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = " ".join(line.split(":", 1)[1].split())
                break
    memory = ""
    with contextlib.suppress(OSError, ValueError, IndexError):
        kb = int(Path("/proc/meminfo").read_text().splitlines()[0].split()[1])
        memory = f", {kb / 1024 / 1024:.0f} GB RAM"
    return f"{cpus} CPUs{f' ({model})' if model else ''}{memory}"


def revision():
    """The commit measured, and whether the working tree differed from it."""
    git = shutil.which("git")
    if not git:
        return "an unknown commit"

    def output(*arguments):
        result = subprocess.run(  # noqa: S603 - git with fixed arguments
            [git, *arguments], cwd=ROOT, capture_output=True, text=True, check=False
        )
        return result.stdout.strip()

    commit = output("rev-parse", "--short", "HEAD")
    if not commit:
        return "an unknown commit"
    dirty = output("status", "--porcelain", "--untracked-files=no")
    return f"commit {commit}" + (" with uncommitted changes" if dirty else "")


def redis_version(url):
    import redis

    try:
        return redis.Redis.from_url(url, socket_timeout=2).info("server")["redis_version"]
    except redis.RedisError as exc:
        fail(f"Redis at {url} does not answer: {exc}")


def rss_summary(sizes, sampler, restarts):
    if not sizes:
        return "not measured"
    low, high = f"{sizes[0]:.0f}", f"{sizes[-1]:.0f}"
    each = low if low == high else f"{low}–{high}"
    return (
        f"{each} MB per worker, {sum(sizes):.0f} MB for {len(sizes)}; peak total "
        f"{sampler.peak_total:.0f} MB; {restarts} worker restarts (`max_requests`)"
    )


def ms(microseconds):
    return f"{microseconds / 1000:.0f} ms"


def section(context):
    r = context["report"]
    errors = r["errors"]
    statuses = Counter(r["statuses"])
    seconds = r["duration_us"] / 1e6
    non_2xx = r["requests"] - statuses["2xx"]
    lat = r["latency_us"]
    rows = [
        ("requests", f"{r['requests']} in {seconds:.1f} s"),
        ("requests/s", f"{r['requests'] / seconds:.1f}"),
        (
            "latency p50 / p90 / p99 (max)",
            f"{ms(lat['p50'])} / {ms(lat['p90'])} / {ms(lat['p99'])} ({ms(lat['max'])})",
        ),
        (
            "socket errors: connect / read / write / timeout",
            f"{errors['connect']} / {errors['read']} / {errors['write']} / {errors['timeout']}",
        ),
        (
            "non-2xx (3xx / 4xx / 5xx)",
            f"{non_2xx} ({statuses['3xx']} / {statuses['4xx']} / {statuses['5xx']})",
        ),
        ("worker RSS after the run", context["rss"]),
        (
            "CPU time used during the run: gunicorn / wrk",
            f"{context['site_cpu']:.0f} s / {r['cpu_seconds']:.1f} s of "
            f"{context['cpus'] * seconds:.0f} s ({context['cpus']} CPUs × {seconds:.0f} s); "
            "the rest: PostgreSQL, Redis, the machine's other processes, idle",
        ),
        (
            "gunicorn CPU time per request",
            f"{context['site_cpu'] / max(r['requests'], 1) * 1000:.0f} ms",
        ),
        ("transferred", f"{r['bytes'] / 1e6:.1f} MB"),
    ]
    lines = [
        BEGIN,
        textwrap.fill(
            f"Run on {context['date']} at {context['revision']}: {context['machine']}; "
            f"load average {context['load']} before the run (the machine is shared). "
            f"PostgreSQL {context['postgresql']}, Redis {context['redis']}, Python "
            f"{platform.python_version()}; gunicorn {context['workers']} sync workers × "
            f"{context['threads']} thread{'' if context['threads'] == '1' else 's'} "
            "(`gunicorn.conf.py` defaults for this machine); "
            "wrk on the same machine.",
            width=88,
            break_on_hyphens=False,
        ),
        "",
        "```sh",
        "make loadtest",
        "# which runs, once gunicorn is up and every URL has answered 200:",
        " ".join(context["command"]),
        "```",
        "",
        "| | |",
        "|---|---|",
        *[f"| {name} | {value} |" for name, value in rows],
        "",
        "Per URL, from gunicorn's access log (worker time: from the request reaching a "
        "worker to the response leaving it, so without the wait for a free worker):",
        "",
        "| URL | requests | non-2xx | worker time median / p90 |",
        "|---|---:|---:|---:|",
    ]
    for path in context["paths"]:
        entry = context["per_path"].get(path, {"statuses": Counter(), "ms": []})
        count = sum(entry["statuses"].values())
        bad = count - entry["statuses"]["200"]
        times = sorted(entry["ms"]) or [0]
        p90 = times[min(len(times) - 1, int(len(times) * 0.9))]
        lines.append(
            f"| `{unquote(path)}` | {count} | {bad} | {statistics.median(times):.0f} / {p90} ms |"
        )
    lines.append(END)
    return "\n".join(lines)


INTRO = """## Load test of the production stack (`make loadtest`)

`benchmarks/loadtest.py` serves the site as production does — gunicorn with
`gunicorn.conf.py`, the production settings, PostgreSQL, Redis as the cache, static
files collected and served by WhiteNoise — on loopback, and drives it with
[wrk](https://github.com/wg/wrk) (`apt-get install wrk`) for 60 seconds over 50
connections. The mix (`benchmarks/loadtest.lua` rotates through it) is every page
type in both languages, search in English and Arabic, RSS and Atom feeds, the
sitemap and an API list. Requests carry `X-Forwarded-Proto: https` as from the TLS
proxy, so `SECURE_SSL_REDIRECT` stays on and every request passes the whole
production middleware. wrk's `--timeout` is 60 s, longer than gunicorn's 30-second
worker timeout, so a slow answer counts as latency, never as a wrk timeout. The
script first checks that every URL answers 200, and exits non-zero on any socket
error or any 5xx. The figures below are rewritten by each run.

"""


def write_docs(text):
    current = DOCS.read_text()
    if BEGIN in current and END in current:
        start, end = current.index(BEGIN), current.index(END) + len(END)
        updated = current[:start] + text + current[end:]
    else:
        updated = current.rstrip("\n") + "\n\n" + INTRO + text + "\n"
    DOCS.write_text(updated)


# The run --------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8501)
    parser.add_argument("--duration", type=int, default=60, help="seconds (default 60)")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--threads", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument("--timeout", type=int, default=60, help="wrk's --timeout in seconds")
    parser.add_argument("--no-docs", action="store_true", help="do not touch docs/benchmarks.md")
    options = parser.parse_args()

    if not shutil.which("wrk"):
        fail("wrk is not installed: apt-get install wrk")
    # `timeout` (make loadtest) sends SIGTERM: clean up as on Ctrl-C.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    WORK.mkdir(parents=True, exist_ok=True)
    static_root = Path(tempfile.mkdtemp(prefix="mediation-loadtest-static-"))
    try:
        environment = production_environment(options.port, static_root)
        os.environ.update(environment)
        started = time.monotonic()
        context = {"redis": redis_version(environment["REDIS_URL"])}
        context.update(prepare_site())
        paths = url_mix()
        print(f"set up in {time.monotonic() - started:.0f} s")
        PATHS_FILE.parent.mkdir(parents=True, exist_ok=True)
        (ROOT / PATHS_FILE).write_text("\n".join(paths) + "\n")
        log = WORK / "gunicorn.log"
        with gunicorn(environment, options.port, log) as server:
            print(f"gunicorn on 127.0.0.1:{options.port} (log: {log.relative_to(ROOT)})")
            print(f"serving after {time.monotonic() - started:.0f} s; each URL once:")
            failures = check_urls(options.port, paths)
            if failures:
                fail("these URLs did not answer 200:\n  " + "\n  ".join(failures))
            context["load"] = " ".join(f"{value:.1f}" for value in os.getloadavg())
            offset = log.stat().st_size
            print(f"checked after {time.monotonic() - started:.0f} s")
            sampler = Sampler(server.pid)
            sampler.start()
            print(f"wrk: {options.connections} connections for {options.duration} s")
            command, report = run_wrk(
                options.port, options.threads, options.connections, options.duration,
                options.timeout,
            )  # fmt: skip
            end = log.stat().st_size
            sampler.stop.set()
            sampler.join()
            sampler.sample_cpu()
            sizes = sorted(sampler.per_worker.values())
            stopping = time.monotonic()
        print(f"gunicorn stopped in {time.monotonic() - stopping:.0f} s")
        per_path, error_lines = access_log(log, offset, end)
    finally:
        shutil.rmtree(static_root, ignore_errors=True)

    restarts = max(0, len(sampler.workers_seen) - len(sizes))
    context.update(
        date=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        revision=revision(),
        cpus=len(os.sched_getaffinity(0)),
        site_cpu=sampler.cpu_used,
        machine=machine(),
        workers=len(sizes),
        threads=os.environ.get("GUNICORN_THREADS", "1"),
        command=["wrk", *command[1:]],
        report=report,
        paths=paths,
        per_path=per_path,
        rss=rss_summary(sizes, sampler, restarts),
    )
    text = section(context)
    print()
    print(text)
    if not options.no_docs:
        write_docs(text)
        print(f"\nWrote the figures into {DOCS.relative_to(ROOT)}.")

    errors = report["errors"]
    socket_errors = sum(errors[key] for key in ("connect", "read", "write", "timeout"))
    server_errors = report["statuses"].get("5xx", 0)
    if socket_errors or server_errors:
        failing = {
            path: dict(entry["statuses"])
            for path, entry in per_path.items()
            if any(status.startswith("5") for status in entry["statuses"])
        }
        print(f"\n{socket_errors} socket errors, {server_errors} responses 5xx.", file=sys.stderr)
        for path, statuses in failing.items():
            print(f"  {path}: {statuses}", file=sys.stderr)
        for line in error_lines[:20]:
            print(f"  {line}", file=sys.stderr)
        raise SystemExit(1)


if __name__ == "__main__":
    main()
