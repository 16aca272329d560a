"""The import alone, measured the same way every time (``docs/benchmarks.md``, "Import at
archive scale").

1. A template database (``<name>_template`` beside the database of ``--database-url``),
   migrated and loaded with the fixtures once, then reused;
2. the run's database dropped and created again from it (``CREATE DATABASE … TEMPLATE``),
   so every run imports into the same site;
3. the archive: ``generate_archive DIR --stories N --seed S`` into ``var/bench/``, reused
   when it is there;
4. ``import_documents DIR`` in a process of its own with the production settings (as
   ``make bench`` sets them: ``mediation_site.settings.production``, Redis as the cache),
   which reports its CPU time (its own and its children's), the CPU time of its
   PostgreSQL backend (from ``/proc``, the server being on this machine), its SQL
   statements (``connection.execute_wrapper``), wall time, peak resident memory, and the
   same per batch of the command; ``--profile FILE`` writes a cProfile of the import.

CPU times are the figures to compare between runs on a shared machine: wall time and
pages/s depend on what else runs.

``--runs-of N`` imports the files as ``make bench`` does, one ``import_documents`` run
per N files, and reports each run (a run pays what it reads once: the stored keys,
titles and file names, the parsing processes' start). ``--template NAME`` starts from a
copy of another database (one holding an archive already) and ``--exclude-archive DIR``
leaves out the files of the archive in DIR, which that database holds: so a batch can be
measured at archive scale, e.g. stories 50,001 to 51,000 into a copy of the bench's
database of 50,000.

    python benchmarks/import_bench.py --stories 1000 --seed 7
    python benchmarks/import_bench.py --stories 1000 --seed 7 --profile var/bench/import.prof
    python benchmarks/import_bench.py --stories 52000 --reports 1000 --seed 1 --runs-of 1000 \
        --template bench_50000_1000_s1 --exclude-archive var/bench/archive-50000-1000-s1
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bench import WORK, production_settings  # noqa: E402

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/import_bench"


def fail(message):
    print(f"import_bench: {message}", file=sys.stderr)
    raise SystemExit(1)


def options():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add = parser.add_argument
    add("--stories", type=int, default=1000)
    add("--reports", type=int, default=0)
    add("--seed", type=int, default=7)
    add("--database-url",
        default=os.environ.get("IMPORT_BENCH_DATABASE_URL") or DEFAULT_DATABASE_URL,
        help="the run's database, created again from its template")  # fmt: skip
    add("--profile", metavar="FILE", help="write a cProfile of the import to FILE")
    add("--runs-of", type=int, metavar="N",
        help="one import_documents run per N files, as make bench imports")  # fmt: skip
    add("--template", metavar="NAME", help="copy this database instead of <name>_template")
    add("--exclude-archive", metavar="DIR",
        help="leave out the files named as in DIR (an archive the template holds)")  # fmt: skip
    add("--child", metavar="DIR", help=argparse.SUPPRESS)
    opts = parser.parse_args()
    if not opts.database_url.startswith(("postgres://", "postgresql://")):
        fail("--database-url must name a PostgreSQL database")
    return opts


def environment(database_url):
    return production_settings(database_url)  # as make bench runs the import


def with_name(url, name):
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def manage(env, *args):
    subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True,
        stdout=subprocess.DEVNULL,
    )  # fmt: skip


def server(url):
    import psycopg

    parts = urlsplit(url)
    return psycopg.connect(
        host=parts.hostname, port=parts.port or 5432, user=parts.username or "postgres",
        password=parts.password or None, dbname="postgres", autocommit=True,
    )  # fmt: skip


def prepare(opts):
    """The template (once) and a fresh copy of it; the archive (once). Its directory."""
    from psycopg import sql

    name = urlsplit(opts.database_url).path.lstrip("/")
    template = opts.template or f"{name}_template"
    with server(opts.database_url) as pg:
        has = pg.execute("SELECT 1 FROM pg_database WHERE datname = %s", [template]).fetchone()
    if not has and opts.template:
        fail(f"the template database {template} does not exist")
    if not has:
        with server(opts.database_url) as pg:
            pg.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(template)))
        env = environment(with_name(opts.database_url, template))
        print(f"template {template}: migrating and loading the fixtures")
        manage(env, "migrate", "--noinput")
        manage(env, "load_content")
        manage(env, "update_search_documents")
    with server(opts.database_url) as pg:
        pg.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        pg.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(name), sql.Identifier(template)
            )
        )
    directory = WORK / f"import-archive-{opts.stories}-{opts.reports}-s{opts.seed}"
    files = opts.stories + -(-opts.reports // 4)
    if not directory.is_dir() or len(list(directory.glob("*.txt"))) != files:
        print(f"archive: generating {files} files")
        manage(
            environment(opts.database_url), "generate_archive", str(directory),
            "--stories", str(opts.stories), "--reports", str(opts.reports),
            "--seed", str(opts.seed),
        )  # fmt: skip
    return directory


def cpu_of(pid):
    """User and system CPU seconds of a process of this machine, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def own_cpu():
    times = os.times()
    return times.user + times.system, times.children_user + times.children_system


def files_to_import(directory, excluded):
    """The archive's files in the command's order, without those named as in ``excluded``."""
    from apps.importer.management.commands.import_documents import document_paths

    paths = document_paths([directory])
    if excluded:
        names = {path.name for path in Path(excluded).iterdir()}
        paths = [path for path in paths if path.name not in names]
    return paths


def child(directory, profile, runs_of=None, excluded=None):
    """The measured import, in this process; prints its figures as JSON."""
    import django

    sys.path.insert(0, str(ROOT))
    django.setup()
    from io import StringIO

    from django.core.management import call_command
    from django.db import connection

    from wagtail.models import Page

    from apps.importer.loader import Loader

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (backend,) = cursor.fetchone()
    pages_before = Page.objects.count()
    statements = 0

    def counting(execute, sql, params, many, context):
        nonlocal statements
        statements += 1  # an executemany too, as make bench counts
        return execute(sql, params, many, context)

    batches = []
    load_batch = Loader.load_batch

    def timed_batch(loader, records):
        began = (time.perf_counter(), *own_cpu(), cpu_of(backend), statements)
        load_batch(loader, records)
        ended = (time.perf_counter(), *own_cpu(), cpu_of(backend), statements)
        batches.append(
            {"records": len(records), "delta": [b - a for a, b in zip(began, ended, strict=True)]}
        )

    Loader.load_batch = timed_batch
    profiler = None
    if profile:
        import cProfile

        # CPU time, not wall time: on a shared machine waits are not this process's cost.
        profiler = cProfile.Profile(time.process_time)
    began = (time.perf_counter(), *own_cpu(), cpu_of(backend))
    paths = files_to_import(directory, excluded)
    runs_of = runs_of or len(paths) or 1
    runs = []
    with connection.execute_wrapper(counting):
        if profiler:
            profiler.enable()
        for start in range(0, len(paths), runs_of):
            chunk = paths[start : start + runs_of]
            run_began = (time.perf_counter(), *own_cpu(), cpu_of(backend), statements)
            call_command("import_documents", *map(str, chunk), stdout=StringIO(), stderr=StringIO())
            run_ended = (time.perf_counter(), *own_cpu(), cpu_of(backend), statements)
            runs.append(
                {
                    "files": len(chunk),
                    "delta": [b - a for a, b in zip(run_began, run_ended, strict=True)],
                }
            )
        if profiler:
            profiler.disable()
    ended = (time.perf_counter(), *own_cpu(), cpu_of(backend))
    if profiler:
        profiler.dump_stats(profile)
    pages = Page.objects.count() - pages_before
    wall, python, children, postgres = (b - a for a, b in zip(began, ended, strict=True))
    print(
        json.dumps(
            {
                "pages": pages,
                "wall": wall,
                "python": python,
                "children": children,
                "postgres": postgres,
                "statements": statements,
                "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "children_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
                "batches": batches,
                "runs": runs,
            }
        )
    )


def report(figures, opts):
    pages = figures["pages"] or 1
    ms = 1000 / pages
    print(
        f"{figures['pages']} new pages in {figures['wall']:.1f} s: "
        f"{figures['pages'] / figures['wall']:.1f} pages/s (wall, machine load "
        f"{' '.join(f'{v:.1f}' for v in os.getloadavg())})"
    )
    print(
        f"CPU per page: Python {figures['python'] * ms:.1f} ms"
        f" (+ {figures['children'] * ms:.1f} ms in parsing processes),"
        f" PostgreSQL backend {figures['postgres'] * ms:.1f} ms"
    )
    print(f"SQL per page: {figures['statements'] / pages:.2f}")
    parsing = figures["children_rss_mb"] if figures["children"] else None
    print(
        f"peak RSS: {figures['rss_mb']:.0f} MB"
        + (f" (parsing processes {parsing:.0f} MB)" if parsing else "")
    )
    for number, batch in enumerate(figures["batches"], start=1):
        wall, python, children, postgres, statements = batch["delta"]
        print(
            f"  loader batch {number}: {batch['records']} records, {wall:.1f} s, "
            f"Python {python:.1f} s, parsing processes {children:.1f} s, "
            f"PostgreSQL {postgres:.1f} s, {statements} SQL"
        )
    if len(figures["runs"]) > 1:
        for number, run in enumerate(figures["runs"], start=1):
            wall, python, children, postgres, statements = run["delta"]
            print(
                f"  run {number}: {run['files']} files, {wall:.1f} s, Python {python:.1f} s, "
                f"parsing processes {children:.1f} s, PostgreSQL {postgres:.1f} s, {statements} SQL"
            )
    if opts.profile:
        print(f"profile: {opts.profile}")


def main():
    opts = options()
    if opts.child:
        child(opts.child, opts.profile, opts.runs_of, opts.exclude_archive)
        return
    WORK.mkdir(parents=True, exist_ok=True)
    directory = prepare(opts)
    command = [sys.executable, __file__, "--child", str(directory),
               "--database-url", opts.database_url]  # fmt: skip
    if opts.profile:
        command += ["--profile", str(Path(opts.profile).resolve())]
    if opts.runs_of:
        command += ["--runs-of", str(opts.runs_of)]
    if opts.exclude_archive:
        command += ["--exclude-archive", str(Path(opts.exclude_archive).resolve())]
    done = subprocess.run(  # noqa: S603 - this script
        command, cwd=ROOT, env=environment(opts.database_url), check=False,
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    if done.returncode:
        fail(f"the import failed (status {done.returncode})")
    report(json.loads(done.stdout.strip().splitlines()[-1]), opts)


if __name__ == "__main__":
    main()
