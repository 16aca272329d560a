"""SQL statements per public page, on a cold cache and on a warm one, in both languages.

On a database with the fixtures loaded (``python manage.py load_content``), and
perhaps a generated archive (``scripts/search_scale.py``):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mediation_scale \\
    DJANGO_SETTINGS_MODULE=mediation_site.settings.test python scripts/query_counts.py

Every address is requested once (a new process reads each content type once), then
each through Django's test client right after ``cache.clear()``
(cold: after a deploy, a Redis restart or a purge) and once more (warm), with the
whole-page cache off, so every request is rendered. ``--sql`` prints the statements of
the cold request. The tests hold the budget (tests/test_query_budget.py); this prints
the figures.
"""

import argparse
import os
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mediation_site.settings.test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import translation  # noqa: E402

from wagtail.models import get_page_models  # noqa: E402

from apps.core.pages import BasePage  # noqa: E402

# Every page type of the site, in the order Wagtail registered them.
PAGE_TYPES = [model for model in get_page_models() if issubclass(model, BasePage)]
OTHERS = {
    "en": [
        "/en/search/?q=mediation",
        "/en/search/",
        "/en/feeds/news.rss",
        "/sitemap.xml",
        "/sitemap-news-2011.xml",
    ],
    "ar": ["/ar/search/?q=الوساطة", "/ar/search/", "/ar/feeds/news.rss"],
}


def addresses(language):
    for model in PAGE_TYPES:
        page = model.objects.live().order_by("path").first()
        with translation.override(language):
            yield model.__name__, page.get_url()
    for address in OTHERS[language]:
        path, _mark, query = address.partition("?")
        name = path.strip("/").split("/", 1)[-1] + (f" ?{query.split('=')[0]}=…" if query else "")
        yield name, address


def count(client, address):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(address)
    if response.status_code != 200:
        raise SystemExit(f"{address} answered {response.status_code}")
    return queries.captured_queries


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sql", action="store_true", help="print the cold requests' SQL")
    options = parser.parse_args()
    settings.PAGE_CACHE_SECONDS = 0
    settings.ALLOWED_HOSTS = ["*"]
    client = Client()
    # A new process reads each content type once (Django keeps them for the process):
    # the first request of each page type after a start costs those lookups too. They
    # are not the cache's: requesting every address once first leaves them out.
    for language in ("en", "ar"):
        for _name, address in addresses(language):
            count(client, address)
    print(f"database: {connection.vendor}")
    print(f"{'page':24} {'lang':4} {'cold':>5} {'warm':>5}")
    for language in ("en", "ar"):
        for name, address in addresses(language):
            cache.clear()
            cold = count(client, address)
            warm = count(client, address)
            print(f"{name:24} {language:4} {len(cold):>5} {len(warm):>5}")
            if options.sql:
                for query in cold:
                    print("    " + re.sub(r"\s+", " ", query["sql"])[:200])


if __name__ == "__main__":
    main()
