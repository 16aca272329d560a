"""The benchmark of the served stack at archive scale (``make bench``).

On this machine, in one run:

1. a PostgreSQL database of its own (``BENCH_DATABASE_URL``; by default
   ``bench_<stories>_<reports>_s<seed>`` on 127.0.0.1:5432), created when absent,
   migrated and loaded with the fixtures;
2. the archive: ``generate_archive`` writes ``--stories`` stories and ``--reports``
   report summaries into ``var/bench/``, and ``import_documents`` imports them in
   batches of ``--batch`` files, each batch timed with its SQL statements counted. Each
   batch commits with a row of the table ``bench_import`` saying what it was, so a run
   that stops loses one batch at most and the next run resumes; a database that already
   holds the whole archive of that size and seed is used as it is (``--skip-import``:
   whatever it holds);
3. static files collected into a temporary ``STATIC_ROOT`` (WhiteNoise, as in the image);
4. two gunicorns with ``gunicorn.conf.py`` and the production settings on loopback, on
   the same database and Redis: one as production runs (the whole-page cache on), one
   with ``PAGE_CACHE_SECONDS=0`` so that every request renders its page;
5. SQL queries per render, counted in this process through Django's test client with the
   same settings: the second render of each URL (as a warm worker renders it), and for
   the cached server the second request, a hit;
6. wrk, target after target, each for ``--duration`` seconds, the cached and uncached
   runs of a page alternating, ``--rounds`` times (every other round in reverse), while
   the gunicorn workers' resident memory and CPU time are read from /proc.

It prints the table, writes it into ``docs/benchmarks.md`` between the bench markers
with the date, machine and command, and exits non-zero on any socket error, any
response other than 2xx, or any URL that did not answer 200 before the runs.
"""

import argparse
import contextlib
import http.client
import io
import os
import platform
import resource
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.report import (  # noqa: E402
    BEGIN,
    END,
    Batch,
    Measurement,
    ReportError,
    Target,
    criteria,
    criteria_lines,
    import_lines,
    parse_wrk,
    replace_block,
    summarise_import,
    table,
)

BIN = Path(sys.executable).parent
WORK = ROOT / "var" / "bench"
DOCS = ROOT / "docs" / "benchmarks.md"
LUA = Path("benchmarks") / "bench.lua"
PATHS_FILE = Path("var") / "bench" / "paths.txt"
# Below the databases tests/test_page_cache.py empties (12 and up, one per xdist worker).
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/11"
LANGUAGES = ("en", "ar")
# Words found across the archive (the generated stories reuse the fixtures' vocabulary),
# so that each search ranks many matches: the dear case.
SEARCHES = {
    "en": ["mediation", "Security Council", "peace", "Secretary-General", "conflict", "Charter"],
    "ar": ["الوساطة", "مجلس الأمن", "السلام", "الأمين العام", "النزاع", "الميثاق"],
}
STORY_SAMPLE, OTHER_SAMPLE, QUERY_SAMPLE = 100, 20, 5
FULL_ARCHIVE = 50_000


def fail(message):
    print(f"bench: {message}", file=sys.stderr)
    raise SystemExit(1)


def env_int(name, default):
    value = os.environ.get(name)
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        fail(f"{name} must be a whole number, not {value!r}")


def options():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add = parser.add_argument
    add("--stories", type=int, default=env_int("BENCH_STORIES", FULL_ARCHIVE),
        help="stories in the archive (BENCH_STORIES, default 50000)")  # fmt: skip
    add("--reports", type=int, default=None,
        help="report summaries (BENCH_REPORTS, default a fiftieth of the stories)")  # fmt: skip
    add("--seed", type=int, default=env_int("BENCH_SEED", 1), help="BENCH_SEED, default 1")
    add("--batch", type=int, default=env_int("BENCH_IMPORT_BATCH", 1000),
        help="files imported at a time (BENCH_IMPORT_BATCH, default 1000)")  # fmt: skip
    add("--skip-import", action="store_true",
        default=os.environ.get("BENCH_SKIP_IMPORT", "") not in ("", "0"),
        help="serve the bench database as it is (BENCH_SKIP_IMPORT=1)")  # fmt: skip
    add("--duration", type=int, default=env_int("BENCH_DURATION", 10),
        help="seconds of wrk per target and round (BENCH_DURATION, default 10)")  # fmt: skip
    add("--rounds", type=int, default=env_int("BENCH_ROUNDS", 1),
        help="rounds over the targets (BENCH_ROUNDS, default 1)")  # fmt: skip
    add("--connections", type=int, default=None,
        help="wrk connections (BENCH_CONNECTIONS, default one per gunicorn worker)")  # fmt: skip
    add("--port", type=int, default=8501, help="the cached server; the uncached one: +1")
    add("--no-docs", action="store_true", help="do not touch docs/benchmarks.md")
    add("--import-only", action="store_true",
        help="stop after the import and print its figures (no wrk, no serving)")  # fmt: skip
    parsed = parser.parse_args()
    if parsed.reports is None:
        parsed.reports = env_int("BENCH_REPORTS", parsed.stories // 50)
    if parsed.connections is None:
        parsed.connections = env_int("BENCH_CONNECTIONS", 0) or None
    for name in ("stories", "reports", "seed"):
        if getattr(parsed, name) < 0:
            fail(f"--{name} must not be negative")
    for name in ("batch", "duration", "rounds", "port"):
        if getattr(parsed, name) < 1:
            fail(f"--{name} must be at least 1")
    return parsed


def production_environment(opts, static_root):
    default_db = f"bench_{opts.stories}_{opts.reports}_s{opts.seed}"
    database_url = (
        os.environ.get("BENCH_DATABASE_URL") or f"postgres://postgres@127.0.0.1:5432/{default_db}"
    )
    if not database_url.startswith(("postgres://", "postgresql://")):
        fail(f"BENCH_DATABASE_URL must name a PostgreSQL database, as production uses: "
             f"{database_url}")  # fmt: skip
    return production_settings(
        database_url,
        STATIC_ROOT=str(static_root),
        # Access-log lines reach the file as requests finish, not in blocks.
        PYTHONUNBUFFERED="1",
    )


def production_settings(database_url, **extra):
    """The environment of a process with the production settings on ``database_url``:
    a random ``SECRET_KEY``, loopback only, Redis (``REDIS_URL``, else the bench's
    database), media under ``var/bench/``; ``extra`` added."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "mediation_site.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url,
        "REDIS_URL": os.environ.get("REDIS_URL") or DEFAULT_REDIS_URL,
        "MEDIA_ROOT": str(WORK / "media"),
        **extra,
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
    """Database, fixtures, search documents and static files, in this process."""
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


# The archive ----------------------------------------------------------------------------

IMPORT_TABLE = """
CREATE TABLE IF NOT EXISTS bench_import (
    batch integer PRIMARY KEY,
    stories integer NOT NULL,
    reports integer NOT NULL,
    seed integer NOT NULL,
    files integer NOT NULL,
    pages integer NOT NULL,
    seconds double precision,
    queries integer,
    imported_at timestamptz NOT NULL DEFAULT now()
)"""


def recorded_batches(cursor):
    cursor.execute(IMPORT_TABLE)
    cursor.execute(
        "SELECT batch, stories, reports, seed, files, pages, seconds, queries, imported_at "
        "FROM bench_import ORDER BY batch"
    )
    return cursor.fetchall()


def archive_directory(opts):
    directory = WORK / f"archive-{opts.stories}-{opts.reports}-s{opts.seed}"
    from apps.importer.archive import ArchiveGenerator
    from apps.importer.management.commands.import_documents import document_paths

    expected = ArchiveGenerator(directory, seed=opts.seed).file_count(opts.stories, opts.reports)
    if directory.is_dir() and len(document_paths([directory])) == expected:
        print(f"archive: {expected} files in {directory.relative_to(ROOT)} (reused)")
    else:
        from django.core.management import call_command

        started = time.monotonic()
        call_command(
            "generate_archive", str(directory), "--stories", str(opts.stories),
            "--reports", str(opts.reports), "--seed", str(opts.seed),
        )  # fmt: skip
        print(f"archive: generated in {time.monotonic() - started:.0f} s")
    return document_paths([directory])


def import_archive(opts):
    """Import what the bench database lacks of the archive, batch after batch; return
    every batch's figures (those of earlier runs included) and a line saying what was done."""
    from django.core.management import call_command
    from django.db import connection, transaction

    from wagtail.models import Page

    with connection.cursor() as cursor:
        rows = recorded_batches(cursor)
    identity = (opts.stories, opts.reports, opts.seed)
    held = {tuple(row[1:4]) for row in rows}
    batches = [Batch(row[0], row[4], row[5], row[6], row[7]) for row in rows]
    done_files = sum(b.files for b in batches)
    described = ", ".join(f"{s} stories, {r} reports, seed {d}" for s, r, d in sorted(held))
    if opts.skip_import:
        return (
            batches,
            "import skipped (--skip-import); the database holds "
            + (described or "no recorded archive"),
        )
    if held and held != {identity}:
        fail(
            f"the database {connection.settings_dict['NAME']} holds another archive "
            f"({described}); drop it, or name another with BENCH_DATABASE_URL"
        )
    from apps.importer.archive import ArchiveGenerator

    total = ArchiveGenerator(WORK, seed=opts.seed).file_count(opts.stories, opts.reports)
    if done_files >= total:
        when = f", imported {rows[-1][8]:%Y-%m-%d %H:%M} UTC" if rows else ""
        return batches, (
            f"import: none, the database already holds the whole archive ({opts.stories} "
            f"stories, {opts.reports} reports, seed {opts.seed}: {total} files{when}); the "
            "figures are those of that import"
        )
    paths = archive_directory(opts)
    remaining = paths[done_files:]
    if done_files:
        print(f"import: resuming after {done_files} of {total} files")
    count = -(-len(remaining) // opts.batch)
    statements, own, marks = 0, 0, []

    def counting(execute, sql, params, many, context):
        nonlocal statements
        statements += 1
        return execute(sql, params, many, context)

    from apps.importer.loader import Loader

    load_batch = Loader.load_batch

    def timed(loader, records):
        """The batch, then the time, the import's statements and the site's pages at its
        end (counting the pages is the bench's own statement)."""
        nonlocal own
        load_batch(loader, records)
        pages, own = Page.objects.count(), own + 1
        marks.append((time.perf_counter(), statements - own, pages))
        (done, _s, before), (now, _s, pages) = marks[-2] if len(marks) > 1 else start, marks[-1]
        print(f"  batch {len(marks)}/{count}: {pages - before} new pages in {now - done:.1f} s "
              f"({(pages - before) / (now - done):.1f} pages/s)", flush=True)  # fmt: skip

    quiet = io.StringIO()
    pages_before = Page.objects.count()
    start = (time.perf_counter(), 0, pages_before)
    Loader.load_batch = timed
    try:
        with connection.execute_wrapper(counting), transaction.atomic():
            call_command(
                "import_documents", *map(str, remaining), "--batch-size", str(opts.batch),
                stdout=quiet, stderr=quiet,
            )  # fmt: skip
            ended = time.perf_counter()
            # Each batch: from the end of the one before (the run's start for the first)
            # to its own end; the run's end (its commit of the import, the statistics)
            # is a row of its own, of no files, counted in the whole import.
            before = start
            for number, mark in enumerate(marks, start=1):
                files = min(opts.batch, len(remaining) - (number - 1) * opts.batch)
                seconds, queries = mark[0] - before[0], mark[1] - before[1]
                batches.append(
                    Batch(len(batches) + 1, files, mark[2] - before[2], seconds, queries)
                )
                before = mark
            batches.append(Batch(len(batches) + 1, 0, 0, ended - before[0], None))
            with connection.cursor() as cursor:
                for batch in batches[-len(marks) - 1 :]:
                    cursor.execute(
                        "INSERT INTO bench_import "
                        "(batch, stories, reports, seed, files, pages, seconds, queries) "
                        "VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
                        [batch.number, *identity, batch.files, batch.pages, batch.seconds,
                         batch.queries],
                    )  # fmt: skip
    finally:
        Loader.load_batch = load_batch
    batches[-1].seconds += time.perf_counter() - ended  # the bench's own commit
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE bench_import SET seconds = %s WHERE batch = %s",
            [batches[-1].seconds, batches[-1].number],
        )
    print(f"  the run's end (commit, statistics): {batches[-1].seconds:.1f} s")
    return batches, f"import: {len(remaining)} files imported in this run"


# What is measured -----------------------------------------------------------------------


def spread(queryset, count):
    """Up to ``count`` objects spread evenly over the whole ordered queryset."""
    ids = list(queryset.values_list("pk", flat=True))
    if len(ids) > count:
        step = len(ids) / count
        ids = [ids[int(i * step)] for i in range(count)]
    chosen = queryset.model.objects.in_bulk(ids)
    return [chosen[pk] for pk in ids]


def targets():
    """Every page type in both languages (cached and uncached), search in both languages,
    the news feeds, the sitemap's index and its largest file, and the stylesheet as the
    static file."""
    from django.templatetags.static import static
    from django.utils import translation
    from django.utils.encoding import iri_to_uri

    from apps.charter.models import CharterIndexPage, CharterProvisionPage
    from apps.home.models import HomePage
    from apps.news.models import NewsIndexPage, NewsStoryPage
    from apps.reports.models import ReportIndexPage, ReportPage
    from apps.syndication.sitemaps import largest_file
    from apps.topics.models import TopicPage

    kinds = [
        ("home", HomePage, 1),
        ("news index", NewsIndexPage, 1),
        ("news story", NewsStoryPage, STORY_SAMPLE),
        ("report index", ReportIndexPage, 1),
        ("report", ReportPage, OTHER_SAMPLE),
        ("topic", TopicPage, OTHER_SAMPLE),
        ("charter index", CharterIndexPage, 1),
        ("charter article", CharterProvisionPage, OTHER_SAMPLE),
    ]
    found = []
    for name, model, sample in kinds:
        pages = spread(model.objects.live().order_by("path"), sample)
        if not pages:
            fail(f"the bench database has no live {model.__name__}")
        for language in LANGUAGES:
            with translation.override(language):
                paths = [iri_to_uri(page.get_url()) for page in pages]
            for cached in (True, False):
                found.append(Target(f"{name} {language}", paths, cached))
    for language in LANGUAGES:
        paths = [f"/{language}/search/?q={quote(words)}" for words in SEARCHES[language]]
        found.append(Target(f"search {language}", paths, False, "search"))
    for language, feed in (("en", "news.rss"), ("ar", "news.atom")):
        for cached in (True, False):
            found.append(Target(f"feed {language}", [f"/{language}/feeds/{feed}"], cached, "feed"))
    # The sitemap's index, and the largest of the files it lists (the most pages).
    largest = largest_file()
    if largest is None:
        fail("the bench database's sitemap lists no page")
    largest = urlsplit(largest)
    largest = f"{largest.path}?{largest.query}" if largest.query else largest.path
    for name, path in (("sitemap index", "/sitemap.xml"), ("sitemap file", largest)):
        for cached in (True, False):
            found.append(Target(name, [path], cached, "sitemap"))
    found.append(Target("static file", [static("css/site.css")], None, "static"))
    return found


def count_queries(target):
    """SQL queries of the second render of each of the target's first URLs (the first
    warms the process's own caches, as a worker's first requests do), through the test
    client with the production settings; the most of them. On the cached side the second
    request is a hit and is counted as such."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    client = Client(headers={"X-Forwarded-Proto": "https"}, HTTP_HOST="127.0.0.1")
    most = 0
    # The cached side keeps the production settings' PAGE_CACHE_SECONDS.
    overrides = {} if target.cached else {"PAGE_CACHE_SECONDS": 0}
    with override_settings(**overrides):
        for path in target.paths[:QUERY_SAMPLE]:
            first = client.get(path)
            if first.status_code != 200:
                return None
            with CaptureQueriesContext(connection) as queries:
                client.get(path)
            most = max(most, len(queries))
    return most


# Serving --------------------------------------------------------------------------------


def get(port, path, timeout=60):
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
    command = [str(BIN / "gunicorn"), "--config", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}"]
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


def warm(port, paths):
    """Request each path once; the failures, as text."""
    failures = []
    for path in paths:
        try:
            status, location = get(port, path)
        except OSError as exc:
            failures.append(f"{unquote(path)}: {exc}")
            continue
        if status != 200:
            failures.append(f"{unquote(path)}: {status}" + (f" → {location}" if location else ""))
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
    """While one wrk run lasts: the largest resident memory of any of a gunicorn's
    workers (every quarter of a second), and the CPU time master and workers used."""

    def __init__(self, master):
        super().__init__(daemon=True)
        self.master, self.stop = master, threading.Event()
        self.peak = 0.0
        self.cpu_start, self.cpu_last = {}, {}
        self.sample()

    def sample(self):
        workers = children(self.master)
        for pid in [self.master, *workers]:
            used = cpu_seconds(pid)
            if used is not None:
                self.cpu_start.setdefault(pid, used)
                self.cpu_last[pid] = used
        sizes = [size for size in map(rss_mb, workers) if size]
        self.peak = max([self.peak, *sizes])

    @property
    def cpu_used(self):
        return sum(self.cpu_last[pid] - self.cpu_start[pid] for pid in self.cpu_last)

    def run(self):
        while not self.stop.wait(0.25):
            self.sample()

    def finish(self):
        self.stop.set()
        self.join()
        self.sample()


def run_wrk(port, connections, duration):
    command = [
        "wrk",
        f"-t{min(2, connections)}",
        f"-c{connections}",
        f"-d{duration}s",
        "--timeout=60s",
        "--latency",
        "-s",
        str(LUA),
        f"http://127.0.0.1:{port}",
        "--",
        str(PATHS_FILE),
    ]
    result = subprocess.run(  # noqa: S603 - wrk with our arguments
        command, cwd=ROOT, capture_output=True, text=True, timeout=duration + 90, check=False
    )
    if result.returncode != 0:
        fail(f"wrk failed ({result.returncode}): {result.stderr.strip()}")
    try:
        report, _summary = parse_wrk(result.stdout)
    except ReportError as exc:
        fail(str(exc))
    return command, report


def measure(opts, servers, measurements, connections):
    wrk_cpu = 0.0
    command = None
    for round_number in range(opts.rounds):
        order = measurements if round_number % 2 == 0 else measurements[::-1]
        for m in order:
            if m.failure:
                continue
            t = m.target
            port, master = servers[bool(t.cached) if t.cached is not None else True]
            failures = warm(port, t.paths)
            if failures:
                m.failure = failures[0]
                continue
            (ROOT / PATHS_FILE).write_text("\n".join(t.paths) + "\n")
            sampler = Sampler(master)
            sampler.start()
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            command, report = run_wrk(port, connections, opts.duration)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            sampler.finish()
            wrk_cpu += (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
            m.runs.append(report)
            m.cpu_seconds += sampler.cpu_used
            m.peak_rss_mb = max(m.peak_rss_mb or 0, sampler.peak)
            rate = report["requests"] / (report["duration_us"] / 1e6)
            print(
                f"  {t.label:<34} {t.mode:<9} {rate:7.0f}/s"
                f"  p50 {report['latency_us']['p50'] / 1000:6.1f} ms"
                f"  p99 {report['latency_us']['p99'] / 1000:6.1f} ms"
            )
    return command, wrk_cpu


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


def invocation(opts):
    settings = [f"BENCH_STORIES={opts.stories}"]
    if opts.reports != opts.stories // 50:
        settings.append(f"BENCH_REPORTS={opts.reports}")
    for name, value, default in (
        ("BENCH_SEED", opts.seed, 1),
        ("BENCH_IMPORT_BATCH", opts.batch, 1000),
        ("BENCH_DURATION", opts.duration, 10),
        ("BENCH_ROUNDS", opts.rounds, 1),
    ):
        if value != default:
            settings.append(f"{name}={value}")
    if opts.skip_import:
        settings.append("BENCH_SKIP_IMPORT=1")
    return " ".join(["make bench", *settings])


def block(context):
    summary = context["summary"]
    lines = [BEGIN]
    if context["stories"] < FULL_ARCHIVE:
        lines += [
            f"**A small run: {context['stories']} stories; the targets at the end are set "
            f"for {FULL_ARCHIVE:,}.**",
            "",
        ]
    lines += [
        textwrap.fill(
            f"Run on {context['date']} at {context['revision']}: {context['machine']}; load "
            f"average {context['load']} before the runs (the machine is shared). "
            f"PostgreSQL {context['postgresql']}, Redis {context['redis']}, Python "
            f"{platform.python_version()}; each gunicorn {context['workers']} sync workers "
            f"(`gunicorn.conf.py`'s default for this machine); wrk on the same machine, "
            f"{context['connections']} connections, {context['duration']} s per target and "
            f"round, {context['rounds']} round(s). The archive: {context['stories']} stories "
            f"and {context['reports']} report summaries (seed {context['seed']}); the site "
            f"then held {context['pages']} pages.",
            width=88,
            break_on_hyphens=False,
        ),
        "",
        "```sh",
        context["invocation"],
        "# each target, after each of its URLs has answered 200 once:",
        " ".join(context["command"]) if context["command"] else "# (no wrk run)",
        "```",
        "",
        f"Import: {context['import_note']}.",
        "",
        *import_lines(summary),
        "",
        "Serving:",
        "",
        table(context["measurements"]),
        "",
        "Against the targets:",
        "",
        *criteria_lines(context["criteria"]),
        END,
    ]
    return "\n".join(lines)


def write_docs(text):
    try:
        DOCS.write_text(replace_block(DOCS.read_text(), text) + "\n")
    except ReportError as exc:
        fail(str(exc))


# The run --------------------------------------------------------------------------------


def main():
    opts = options()
    if not shutil.which("wrk") and not opts.import_only:
        fail("wrk is not installed: apt-get install wrk")
    # `timeout` (make bench) sends SIGTERM: clean up as on Ctrl-C.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    WORK.mkdir(parents=True, exist_ok=True)
    static_root = Path(tempfile.mkdtemp(prefix="mediation-bench-static-"))
    try:
        environment = production_environment(opts, static_root)
        os.environ.update(environment)
        started = time.monotonic()
        context = {"redis": redis_version(environment["REDIS_URL"])}
        context.update(prepare_site())
        batches, note = import_archive(opts)
        print(note)
        summary = summarise_import(batches)
        if opts.import_only:
            print("\n".join(import_lines(summary)))
            return

        from django.db import connections

        from wagtail.models import Page

        context["pages"] = Page.objects.filter(depth__gt=1).count()
        measurements = [Measurement(t) for t in targets()]
        print(f"SQL queries per render ({len(measurements)} targets):")
        for m in measurements:
            if m.target.kind != "static":
                m.queries = count_queries(m.target)
        connections.close_all()
        print(f"set up in {time.monotonic() - started:.0f} s")

        cached_env = environment
        uncached_env = {**environment, "PAGE_CACHE_SECONDS": "0"}
        with (
            gunicorn(cached_env, opts.port, WORK / "gunicorn-cached.log") as cached,
            gunicorn(uncached_env, opts.port + 1, WORK / "gunicorn-uncached.log") as uncached,
        ):
            workers = len(children(cached.pid))
            connections_ = opts.connections or workers
            print(
                f"gunicorn: cached on 127.0.0.1:{opts.port}, uncached on :{opts.port + 1}, "
                f"{workers} workers each (logs in {WORK.relative_to(ROOT)}/)"
            )
            context["load"] = " ".join(f"{value:.1f}" for value in os.getloadavg())
            servers = {True: (opts.port, cached.pid), False: (opts.port + 1, uncached.pid)}
            command, _wrk_cpu = measure(opts, servers, measurements, connections_)
    finally:
        shutil.rmtree(static_root, ignore_errors=True)

    context.update(
        date=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        revision=revision(),
        machine=machine(),
        workers=workers,
        connections=connections_,
        duration=opts.duration,
        rounds=opts.rounds,
        stories=opts.stories,
        reports=opts.reports,
        seed=opts.seed,
        invocation=invocation(opts),
        command=["wrk", *command[1:]] if command else None,
        import_note=note.removeprefix("import: "),
        summary=summary,
        measurements=measurements,
        criteria=criteria(measurements, summary, workers),
    )
    text = block(context)
    print()
    print(text)
    if not opts.no_docs:
        write_docs(text)
        print(f"\nWrote the figures into {DOCS.relative_to(ROOT)}.")

    failed = [m for m in measurements if m.failure or m.bad]
    if failed:
        print("\nErrors:", file=sys.stderr)
        for m in failed:
            print(f"  {m.target.label} ({m.target.mode}): {m.failure or f'{m.bad} errors'}",
                  file=sys.stderr)  # fmt: skip
        raise SystemExit(1)


if __name__ == "__main__":
    main()
