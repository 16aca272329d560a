"""The sitemap: an index at ``/sitemap.xml`` and one file per section of the site.

The sitemap protocol (https://www.sitemaps.org/protocol.html) allows 50,000 addresses
and 50 MB a file; an archive of 50,000 stories has 100,000 addresses in its two
languages. ``/sitemap.xml`` (the address robots.txt gives) is therefore a
``<sitemapindex>`` of section files, each listing every public page of its section in
both languages, with ``xhtml:link`` hreflang alternates (``en``, ``ar`` and
``x-default``: the English address without its language prefix, as Django's i18n
sitemap writes it).

Sections follow the site's sections, by the app of the page's type: ``home``,
``news`` (the news index), ``reports``, ``charter``, ``topics``; news stories, which
are most of the pages, are divided by the year of their date: ``news-2011``. A story
is filed under its own date, so the file of a past year changes only when one of its
stories is edited or unpublished, and its ``<lastmod>`` in the index (the newest
``last_published_at`` of its pages) tells crawlers to skip it otherwise. Every public
page is in exactly one section: :func:`section_expression` names the section of each
page in SQL for the index, and :func:`section_filter` selects the same pages again
for a section's file. A section of more than ``PAGE_SIZE`` pages (10,000 addresses,
a fifth of the protocol's limit, a few megabytes) continues in further files of the
same address with ``?p=2``, ``?p=3``…, each with its own ``<lastmod>``. The files sit
at the root of the site beside the index, as the protocol asks of a file listing
addresses under both ``/en/`` and ``/ar/``.

Addresses start with SITE_URL, never with the request's Host header. A file is
written without a Page object per page: the pages' translated ``url_path`` columns
and publication dates are read ``CHUNK_SIZE`` rows at a time, and each address is
the language's prefix plus the page's path below the site's root page, made as
``page.get_url()`` makes it (wagtail-modeltranslation's fallback when a language has
no path of its own, Wagtail's route pattern and Django's quoting), so memory is
bounded by one file. The index takes two queries (the default site, then one
aggregate over the public pages), a section's file two (the site, then its pages),
whatever the number of pages.
"""

import re
from collections import Counter
from datetime import UTC
from math import ceil
from urllib.parse import quote
from xml.sax.saxutils import escape

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Case, CharField, F, Q, Value, When, Window
from django.db.models.functions import Cast, Concat, ExtractYear, RowNumber
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.http import RFC3986_SUBDELIMS

from modeltranslation.fields import NONE
from modeltranslation.utils import build_localized_fieldname, resolution_order
from wagtail.models import Page
from wagtail.urls import serve_pattern

from apps.core.signals import register_listing_urls
from apps.core.sites import absolute, load_sites, root_paths
from apps.core.translation_fields import LANGUAGES
from apps.core.visibility import public_pages
from apps.news.models import NewsStoryPage

SECTION_URL_NAME = "sitemap-section"
# Pages per file; each page is listed once per language.
PAGE_SIZE = 5000
# Rows read from the database at a time while a file is written.
CHUNK_SIZE = 1000
# News stories are filed by the year of their date: ``news-2011``.
STORY = NewsStoryPage._meta.model_name  # the relation from Page to a story's own row
STORY_SECTION = NewsStoryPage._meta.app_label
STORY_YEAR = re.compile(rf"{STORY_SECTION}-([1-9]\d{{0,3}})")  # as the index writes it

URL_PATHS = [build_localized_fieldname("url_path", code) for code in LANGUAGES]
# What Django's reverse() leaves unquoted in a path (django.urls.resolvers).
PATH_SAFE = RFC3986_SUBDELIMS + "/~:@"
ROUTABLE = re.compile(serve_pattern)

XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'
INDEX_OPEN = '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
URLSET_OPEN = (
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
    'xmlns:xhtml="http://www.w3.org/1999/xhtml">\n'
)


def section_expression():
    """SQL: the name of a page's section (a story's ``news-<year>``, otherwise the app
    label of its type), for a query on ``Page``."""
    return Case(
        When(
            **{f"{STORY}__isnull": False},
            then=Concat(
                Value(f"{STORY_SECTION}-"), Cast(ExtractYear(f"{STORY}__date"), CharField())
            ),
        ),
        default=F("content_type__app_label"),
        output_field=CharField(),
    )


def section_filter(name):
    """The pages of section ``name``, as a filter on ``Page``: the same pages whose
    :func:`section_expression` is ``name``, without computing it for every page (a
    year is a range of dates)."""
    year = STORY_YEAR.fullmatch(name)
    if year is not None:
        return Q(**{f"{STORY}__date__year": int(year[1])})
    return Q(content_type__app_label=name, **{f"{STORY}__isnull": True})


def default_site():
    """The default Wagtail site (the one at SITE_URL), or None, with the root paths
    of every language, from one query."""
    sites = load_sites()
    site = next((site for site in sites if site.is_default_site), None)
    return site, root_paths(sites)


def site_pages(site):
    """The public pages of ``site``: its root page and the pages below it."""
    pages = Page.objects.filter(path__startswith=site.root_page.path)
    return public_pages(pages).exclude(**{URL_PATHS[0]: None})


def as_datetime(value):
    """A timestamp read by raw SQL (SQLite gives text) as an aware datetime."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is not None and timezone.is_naive(value):
        value = timezone.make_aware(value, UTC)
    return value


def index_entries(site):
    """``[(section, part, pages, lastmod)]``: the files of the sitemap in order, each
    with its number of pages and the newest publication among them (parts count from
    1), from one query."""
    pages = (
        site_pages(site)
        .annotate(
            section=section_expression(),
            position=Window(RowNumber(), partition_by=section_expression(), order_by="path"),
        )
        .values("section", "position", "last_published_at")
        .order_by()  # the rows' order is the window's: no sort of the whole result
    )
    sql, params = pages.query.sql_with_params()
    # The SQL is Django's and the page size a constant: no value from a request.
    grouped = (
        f"SELECT section, (position - 1) / {PAGE_SIZE:d} + 1, COUNT(*), MAX(last_published_at) "  # noqa: S608
        f"FROM ({sql}) AS pages GROUP BY 1, 2 ORDER BY 1, 2"
    )
    with connection.cursor() as cursor:
        cursor.execute(grouped, params)
        return [
            (section, part, count, as_datetime(last))
            for section, part, count, last in cursor.fetchall()
        ]


def section_location(section, part):
    location = absolute(reverse(SECTION_URL_NAME, args=[section]))
    return location if part == 1 else f"{location}?p={part}"


def section_of(page):
    """The section of one page (a ``Page`` or its own type), as
    :func:`section_expression` names it in SQL; no query unless a story is given as a
    plain ``Page``."""
    content_type = ContentType.objects.get_for_id(page.content_type_id)  # cached
    if content_type.model_class() is NewsStoryPage:
        story = page if isinstance(page, NewsStoryPage) else page.specific
        return f"{STORY_SECTION}-{story.date.year}"
    return content_type.app_label


def section_urls(pages=None):
    """For a CDN purge: the index and every file of the sitemap there is now, or, given
    ``pages``, the files that listed them (as many of their section's files as they
    fill, the first at least), which may be gone now."""
    if pages is not None:
        counts = Counter(section_of(page) for page in pages)
        return {
            section_location(section, part)
            for section, count in counts.items()
            for part in range(1, ceil(count / PAGE_SIZE) + 1)
        }
    site, _paths = default_site()
    urls = {absolute(reverse("sitemap"))}
    if site is not None:
        urls |= {section_location(section, part) for section, part, *_ in index_entries(site)}
    return urls


def largest_file():
    """The address (from SITE_URL) of the file of the sitemap that lists the most pages,
    or None when it lists none: what a benchmark of the sitemap measures."""
    site, _paths = default_site()
    entries = index_entries(site) if site is not None else []
    if not entries:
        return None
    section, part, _pages, _lastmod = max(entries, key=lambda entry: entry[2])
    return section_location(section, part)


def register_purge():
    """Have every file of the sitemap purged from the CDN with the index after any
    change the public could see, and the files that listed the changed pages (one the
    change emptied is no longer in the index). Purging only the files of the changed
    pages would not do: a story whose date moved to another year leaves its old year's
    file, a restriction or an unpublished index takes a whole subtree out of several
    files, and neither is known once the change is saved. Listing every file costs
    the index's one query, once a change commits (an import gathers its changes into
    one), and a few dozen addresses to the CDN; the files purged are written again only
    when asked for, and their ``<lastmod>`` still tells crawlers which have changed.
    (The whole-page cache forgets them all in any case: ``apps.core.page_cache``.)"""
    register_listing_urls(section_urls)


def render_index():
    """The sitemap index, as bytes."""
    site, _paths = default_site()
    lines = [XML_DECLARATION, INDEX_OPEN]
    for section, part, _pages, lastmod in index_entries(site) if site is not None else ():
        lines.append(f"<sitemap><loc>{escape(section_location(section, part))}</loc>")
        if lastmod is not None:
            lines.append(
                f"<lastmod>{lastmod.astimezone(UTC).isoformat(timespec='seconds')}</lastmod>"
            )
        lines.append("</sitemap>\n")
    lines.append("</sitemapindex>\n")
    return "".join(lines).encode()


class Addresses:
    """The absolute address of a page in each language from its ``url_path`` columns,
    as ``page.get_url()`` gives it on the default site: the language's path (or the
    path of the first language of modeltranslation's fallback order that has one)
    must lie under a site root path of that language, the first that fits in
    Wagtail's order being the default site's; the rest after the root path, if
    Wagtail's route pattern accepts it, is quoted as ``reverse()`` quotes it and
    follows the language prefix."""

    def __init__(self, site, paths):
        descriptor = Page.url_path  # modeltranslation's descriptor
        undefined = descriptor.fallback_undefined
        self.undefined = descriptor.field.get_default() if undefined is NONE else undefined
        self.languages = []
        for code in LANGUAGES:
            order = resolution_order(code, descriptor.fallback_languages)
            columns = [LANGUAGES.index(language) for language in order if language in LANGUAGES]
            with translation.override(code):
                prefix = escape(settings.SITE_URL + reverse("wagtail_serve", args=("",)))
            roots = [(root_path, site_id == site.id) for site_id, root_path, *_ in paths[code]]
            self.languages.append((code, columns, prefix, roots))

    def __call__(self, url_paths):
        """``{language: address}`` for a row of ``url_path`` columns (in LANGUAGES'
        order), or None when the page has no address on this site in some language."""
        addresses = {}
        for code, columns, prefix, roots in self.languages:
            url_path = next(
                (
                    value
                    for value in (url_paths[column] for column in columns)
                    if value is not None and value != self.undefined
                ),
                None,
            )
            if url_path is None:
                return None
            root = next((root for root in roots if url_path.startswith(root[0])), None)
            if root is None or not root[1]:  # under no site, or under another site
                return None
            rest = url_path[len(root[0]) :]
            if not ROUTABLE.match(rest):
                return None
            # Quoted, the rest holds only letters, digits, "_", "-", "/" and "%": nothing
            # to escape in XML.
            addresses[code] = prefix + quote(rest, safe=PATH_SAFE)
        return addresses


def section_entries(site, paths, section, part):
    """The ``<url>`` elements of a section file (a page per ``len(LANGUAGES)``
    elements), as chunks of bytes; none when the file does not exist."""
    if part < 1:
        return
    rows = (
        site_pages(site)
        .filter(section_filter(section))
        .order_by("path")
        .values_list(*URL_PATHS, "last_published_at")
    )[(part - 1) * PAGE_SIZE : part * PAGE_SIZE]
    addresses = Addresses(site, paths)
    x_default = f"/{settings.LANGUAGE_CODE}/"
    chunk = []
    for row in rows.iterator(chunk_size=CHUNK_SIZE):
        found = addresses(row)
        if found is None:
            continue
        links = "".join(
            f'<xhtml:link rel="alternate" hreflang="{code}" href="{address}"/>'
            for code, address in found.items()
        )
        if settings.LANGUAGE_CODE in found:
            default = found[settings.LANGUAGE_CODE].replace(x_default, "/", 1)
            links += f'<xhtml:link rel="alternate" hreflang="x-default" href="{default}"/>'
        published = row[-1]
        lastmod = f"<lastmod>{timezone.localdate(published)}</lastmod>" if published else ""
        for address in found.values():
            chunk.append(f"<url><loc>{address}</loc>{lastmod}{links}</url>\n")
        if len(chunk) >= CHUNK_SIZE:
            yield "".join(chunk).encode()
            chunk = []
    if chunk:
        yield "".join(chunk).encode()


def render_section(section, part):
    """A section file, as bytes, or None when there is no such file."""
    site, paths = default_site()
    if site is None:
        return None
    entries = list(section_entries(site, paths, section, part))
    if not entries:
        return None
    return b"".join([(XML_DECLARATION + URLSET_OPEN).encode(), *entries, b"</urlset>\n"])
