"""The sitemap at archive scale: what one rendering of the index and of its largest
file costs, each in a fresh process with the production settings.

Run on a database of its own (it writes into it), with the fixtures loaded:

    createdb mediation_scale
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/mediation_scale
    export DJANGO_SETTINGS_MODULE=mediation_site.settings.test
    python manage.py migrate && python manage.py load_content
    python scripts/sitemap_scale.py --stories 50000

The stories are made by ``scripts/search_scale.py``'s builder (copies of the fixture
story, one of 36 years each; a second run adds nothing). Then, for ``/sitemap.xml``
and for the file of the sitemap that lists the most pages, a new Python process with
``mediation_site.settings.production`` (Redis when REDIS_URL is set, the whole-page
cache off: every request is rendered) answers one request for ``robots.txt``, so that
the URL configuration and the middleware are loaded, then the address, through
Django's test client, and prints: the CPU time of that request
(``time.process_time``), its wall time, its SQL queries, the size of the answer, the
process's peak resident memory (``ru_maxrss``) before and after it, and, in a second
process of its own, the peak of Python's allocations during it (``tracemalloc``,
which slows the rendering down, so it is not timed). ``--path`` measures the given
addresses instead.
"""

import argparse
import json
import os
import resource
import secrets
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "mediation_site.settings.production",
    "SECRET_KEY": secrets.token_urlsafe(48),
    "ALLOWED_HOSTS": "127.0.0.1",
    "SITE_URL": "https://mediation.example.org",
    "PAGE_CACHE_SECONDS": "0",
}


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(path, trace):
    """In this process: one request for ``path`` after one for robots.txt, as JSON."""
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    # As behind the proxy that ends TLS (SECURE_PROXY_SSL_HEADER).
    client = Client(headers={"X-Forwarded-Proto": "https"}, HTTP_HOST="127.0.0.1")
    warm = client.get("/robots.txt")
    if warm.status_code != 200:
        raise SystemExit(f"/robots.txt answered {warm.status_code}")
    before = peak_rss_mb()
    if trace:
        tracemalloc.start()
    with CaptureQueriesContext(connection) as queries:
        cpu, wall = time.process_time(), time.perf_counter()
        response = client.get(path)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    if response.status_code != 200:
        raise SystemExit(f"{path} answered {response.status_code}")
    found = {"path": path, "bytes": len(response.content), "queries": len(queries)}
    if trace:
        found["traced_peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
    else:
        found |= {"cpu_ms": cpu * 1000, "wall_ms": wall * 1000}
        found |= {"rss_before_mb": before, "rss_after_mb": peak_rss_mb()}
    print(json.dumps(found))


def in_fresh_process(path, trace=False):
    command = [sys.executable, __file__, "--measure", path] + (["--trace"] if trace else [])
    environ = os.environ | PRODUCTION
    done = subprocess.run(command, env=environ, cwd=ROOT, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(done.stderr or done.stdout)
    return json.loads(done.stdout.strip().splitlines()[-1])


def largest_file_path():
    """The path of the sitemap's file with the most pages (in the test settings' process)."""
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "scripts"))
    from apps.syndication.sitemaps import largest_file

    address = urlsplit(largest_file())
    return f"{address.path}?{address.query}" if address.query else address.path


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--stories", type=int, help="fill the archive to this many stories")
    parser.add_argument("--path", action="append", help="measure this address instead")
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    parser.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    if options.measure:
        return measure(options.measure, options.trace)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mediation_site.settings.test")
    sys.path.insert(0, str(ROOT / "scripts"))
    import search_scale  # sets Django up with the test settings

    if options.stories:
        started = time.perf_counter()
        count = search_scale.add_stories(options.stories)
        print(f"{count} generated stories ({time.perf_counter() - started:.0f} s)")
    paths = options.path or ["/sitemap.xml", largest_file_path()]
    print(f"{'address':32} {'CPU':>9} {'wall':>9} {'queries':>7} {'size':>9} "
          f"{'RSS before':>10} {'RSS after':>9} {'traced peak':>11}")  # fmt: skip
    for path in paths:
        found = in_fresh_process(path) | in_fresh_process(path, trace=True)
        print(
            f"{path:32} {found['cpu_ms']:6.0f} ms {found['wall_ms']:6.0f} ms "
            f"{found['queries']:>7} {found['bytes'] / 2**20:6.1f} MB "
            f"{found['rss_before_mb']:7.0f} MB {found['rss_after_mb']:6.0f} MB "
            f"{found['traced_peak_mb']:8.1f} MB"
        )


if __name__ == "__main__":
    main()
