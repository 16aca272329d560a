"""Search at archive scale: N public stories per language, then timed searches.

Run on a database of its own (it writes into it), with the fixtures loaded:

    createdb mediation_scale
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/mediation_scale
    export DJANGO_SETTINGS_MODULE=mediation_site.settings.test
    python manage.py migrate && python manage.py load_content
    python scripts/search_scale.py --stories 50000

Stories are copies of the fixtures' news story, made in SQL in a few statements rather
than imported one by one (an import runs at about 15 objects a second): each is test
data, titled "Generated story N" / "خبر مولد N", public, dated in one of 36 years, with
a search document per language holding the fixture story's text and its own number,
with its vectors as ``apps.search.documents`` writes them. Every story matches the fixture
story's words ("mediation", "الوساطة"): the slowest case, a common word that matches
the whole archive. A second run adds nothing (the stories are there already).

It then requests each search below through Django's test client on a warm cache (the
site root paths and the year options cached, as they are between two publications),
``--repeat`` times, and prints the median, the 95th percentile and the SQL statements
of one request. No whole-page cache: every request is rendered.
"""

# The SQL below is composed of the schema's table and column names and of numbers the
# database gave: nothing a person typed.
# ruff: noqa: S608
import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mediation_site.settings.test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from wagtail.models import Page  # noqa: E402

from apps.news.models import NewsIndexPage, NewsStoryPage  # noqa: E402
from apps.search.documents import SEARCH_CONFIG  # noqa: E402
from apps.search.models import SearchDocument, stores_vectors  # noqa: E402

SLUG = "generated-story-"
SEARCHES = [
    "/en/search/?q=mediation",
    "/en/search/?q=mediation&page=40",
    "/en/search/?q=mediation&type=news&year=2011",
    "/en/search/?q=generated+story+12345",
    "/en/search/?q=nothing+matches+this",
    "/ar/search/?q=الوساطة",
    "/ar/search/?q=الوساطة&type=news&year=2011",
    "/ar/search/?q=لا+شيء+يطابق",
]


def columns(table, skip=()):
    with connection.cursor() as cursor:
        description = connection.introspection.get_table_description(cursor, table)
    return [column.name for column in description if column.name not in skip]


def add_stories(count):
    """``count`` copies of the fixture story under the news index, in SQL."""
    if not stores_vectors():
        raise SystemExit(
            "search_scale.py fills the archive with PostgreSQL's SQL, for its own search"
        )
    news = NewsIndexPage.objects.get()
    template = NewsStoryPage.objects.order_by("path").first()
    have = Page.objects.filter(slug_en__startswith=SLUG).count()
    if have >= count:
        return have
    last = news.get_children().order_by("-path").values_list("path", flat=True).first()
    after = int(last[-Page.steplen :], 36) if last else 0  # the last child's position
    overrides = {
        "path": "%(parent)s || pg_temp.to_base36(%(after)s + n - %(have)s)",
        "depth": "%(depth)s",
        "numchild": "0",
        "title": "'Generated story ' || n",
        "title_en": "'Generated story ' || n",
        "title_ar": "'خبر مولد ' || n",
        "draft_title": "'Generated story ' || n",
        "slug": f"'{SLUG}' || n",
        "slug_en": f"'{SLUG}' || n",
        "slug_ar": f"'{SLUG}' || n",
        "url_path": f"%(url)s || '{SLUG}' || n || '/'",
        "url_path_en": f"%(url)s || '{SLUG}' || n || '/'",
        "url_path_ar": f"%(url_ar)s || '{SLUG}' || n || '/'",
        "translation_key": "gen_random_uuid()",
        "live_revision_id": "NULL",
        "latest_revision_id": "NULL",
        "live": "true",
    }
    page_columns = columns("wagtailcore_page", skip=("id",))
    select = ", ".join(overrides.get(name, f't."{name}"') for name in page_columns)
    params = {
        "parent": f"'{news.path}'",
        "after": after,
        "have": have,
        "depth": news.depth + 1,
        "url": f"'{news.url_path_en}'",
        "url_ar": f"'{news.url_path_ar or news.url_path_en}'",
    }
    story_columns = columns(
        NewsStoryPage._meta.db_table, skip=("page_ptr_id", "date", "content_key")
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "CREATE OR REPLACE FUNCTION pg_temp.to_base36(n bigint) RETURNS text AS $$"
            " SELECT string_agg(substr('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ',"
            " (floor(n / 36.0 ^ e)::bigint % 36)::int + 1, 1), '' ORDER BY e DESC)"
            " FROM generate_series(0, 3) AS e $$ LANGUAGE sql IMMUTABLE"
        )
        cursor.execute(
            f"INSERT INTO wagtailcore_page ({', '.join(page_columns)}) "
            f"SELECT {select % params} FROM wagtailcore_page t, "
            f"generate_series({have + 1}, {count}) AS n WHERE t.id = {template.pk}"
        )
        cursor.execute(
            "UPDATE wagtailcore_page SET numchild = numchild + %s WHERE id = %s",
            [count - have, news.pk],
        )
        story_select = ", ".join(f't."{name}"' for name in story_columns)
        cursor.execute(
            f"INSERT INTO {NewsStoryPage._meta.db_table} "
            f"(page_ptr_id, date, {', '.join(story_columns)}) "
            f"SELECT p.id, make_date(1990 + (split_part(p.slug_en, '-', 3)::int %% 36), 3, 1), "
            f"{story_select} FROM wagtailcore_page p, {NewsStoryPage._meta.db_table} t "
            f"WHERE t.page_ptr_id = %s AND p.slug_en LIKE %s AND p.id NOT IN "
            f"(SELECT page_ptr_id FROM {NewsStoryPage._meta.db_table})",
            [template.pk, f"{SLUG}%"],
        )
        # The fixture story's documents, with the story's own title (weight A of the
        # ranking vector, in place of the fixture's), number and date.
        cursor.execute(
            "INSERT INTO sitesearch_searchdocument "
            "(page_id, language, page_type, year, date, title, text, plain_text, "
            "vector, rank_vector) "
            "SELECT p.id, d.language, d.page_type, extract(year FROM s.date), s.date, "
            "g.title, d.text || ' generated story ' || g.n, d.plain_text, "
            "d.vector || to_tsvector(%(config)s::regconfig, 'generated story ' || g.n), "
            "setweight(to_tsvector(%(config)s::regconfig, g.title), 'A') "
            "|| ts_filter(d.rank_vector, '{b}') "
            "FROM wagtailcore_page p "
            f"JOIN {NewsStoryPage._meta.db_table} s ON s.page_ptr_id = p.id "
            "JOIN sitesearch_searchdocument d ON d.page_id = %(template)s "
            "CROSS JOIN LATERAL (SELECT split_part(p.slug_en, '-', 3) AS n, "
            "CASE d.language WHEN 'ar' THEN 'خبر مولد ' ELSE 'generated story ' END "
            "|| split_part(p.slug_en, '-', 3) AS title) g "
            "WHERE p.slug_en LIKE %(slug)s AND NOT EXISTS "
            "(SELECT 1 FROM sitesearch_searchdocument e WHERE e.page_id = p.id)",
            {"template": template.pk, "slug": f"{SLUG}%", "config": SEARCH_CONFIG},
        )
        cursor.execute("ANALYZE")
    return count


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--stories", type=int, required=True)
    parser.add_argument("--repeat", type=int, default=40)
    options = parser.parse_args()
    settings.PAGE_CACHE_SECONDS = 0
    settings.ALLOWED_HOSTS = ["*"]
    started = time.perf_counter()
    add_stories(options.stories)
    per_language = SearchDocument.objects.filter(language="en").count()
    print(
        f"database: {connection.vendor}; {per_language} English documents, "
        f"{SearchDocument.objects.filter(language='ar').count()} Arabic "
        f"(filled in {time.perf_counter() - started:.0f} s)"
    )
    client = Client()
    print(f"{'search':48} {'median':>8} {'p95':>8} {'queries':>8}")
    for address in SEARCHES:
        assert client.get(address).status_code == 200, address  # warm the cache
        timings = []
        for _ in range(options.repeat):
            start = time.perf_counter()
            response = client.get(address)
            timings.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200
        with CaptureQueriesContext(connection) as queries:
            client.get(address)
        print(
            f"{address:48} {statistics.median(timings):6.1f} ms {percentile(timings, 0.95):6.1f} ms"
            f" {len(queries):>8}"
        )


if __name__ == "__main__":
    main()
