"""Figures for docs/benchmarks.md: loading, importing, parsing and serving pages.

Run with ``make bench``. It builds a throwaway SQLite database in var/ (or uses
DATABASE_URL), so it never touches the development database.
"""

import contextlib
import os
import statistics
import sys
import time
import tracemalloc
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mediation_site.settings.test")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import translation  # noqa: E402

from wagtail.models import Page  # noqa: E402

from apps.importer.parsers import parse_document  # noqa: E402

SEEDS = sorted((ROOT / "fixtures" / "source").glob("*.txt"))


def timed(function, repeat=1):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return times


def ms(seconds):
    return f"{seconds * 1000:.1f} ms"


def main():
    if connection.vendor == "sqlite":
        Path(connection.settings_dict["NAME"]).unlink(missing_ok=True)
    quiet = StringIO()
    print(f"database: {connection.vendor}")
    with contextlib.redirect_stdout(quiet):  # the translation-field sync prints directly
        (migrate,) = timed(lambda: call_command("migrate", "--noinput", verbosity=0, stdout=quiet))
    print(f"migrate (empty database):             {migrate:.2f} s")
    (first,) = timed(lambda: call_command("load_content", stdout=quiet))
    print(f"load_content, first run (18 records):  {ms(first)}")
    again = timed(lambda: call_command("load_content", stdout=quiet), repeat=3)
    print(f"load_content, unchanged re-run:        {ms(statistics.median(again))} (median of 3)")
    imports = timed(lambda: call_command("import_documents", *map(str, SEEDS), stdout=quiet), 3)
    print(f"import_documents, both seeds, no-op:   {ms(statistics.median(imports))} (median of 3)")

    data = [seed.read_bytes() for seed in SEEDS]
    rounds = 50
    (parse,) = timed(lambda: [parse_document(d, name="seed") for _ in range(rounds) for d in data])
    size = sum(len(d) for d in data) * rounds
    rate = len(data) * rounds / parse
    print(f"parse_document: {rate:.0f} documents/s ({size / parse / 1e6:.2f} MB/s)")

    client = Client()
    print("\npage                    lang   median     queries")
    for page in Page.objects.filter(depth__gt=1).specific().order_by("path"):
        for language in ("en", "ar"):
            with translation.override(language):
                url = page.get_url()
            client.get(url)  # warm caches
            times = timed(lambda url=url: client.get(url), repeat=10)
            with CaptureQueriesContext(connection) as queries:
                client.get(url)
            name = f"{type(page).__name__}"
            print(f"{name:<24}{language:<7}{ms(statistics.median(times)):<11}{len(queries)}")

    tracemalloc.start()
    call_command("export_content", str(ROOT / "var" / "bench-export"), "--force", stdout=quiet)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"\nexport_content peak Python memory: {peak / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
