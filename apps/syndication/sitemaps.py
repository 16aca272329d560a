"""One sitemap for both languages, with ``xhtml:link`` hreflang alternates.

Wagtail's own sitemap lists each page once; Django's sitemap framework knows
languages (``i18n``/``alternates``/``x_default``) and asks for each page's location
with each language active, which with translated slugs gives the right address.
Its scheme and domain are those of SITE_URL, not of the request (Django would take
them from the Host header through ``RequestSite``).

Its cost does not grow with the number of pages beyond reading them: one query for
the pages (their base rows: no page type changes how its address is made), and the
site root paths looked up once per language for the whole sitemap, not once per page.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.utils import translation

from wagtail.models import Page

from apps.core.visibility import public_pages


class SiteRootPaths:
    """Stands for a request in ``page.get_url(request=...)``, which keeps the site root
    paths on it: one per language, shared by every page of the sitemap. Without it each
    page looks them up again (a cache read, or queries when the cache is cold)."""

    _wagtail_site = None  # no current site: addresses are relative when there is one site


class PageSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True
    languages = [code for code, _name in settings.LANGUAGES]

    def __init__(self):
        self.root_paths = {code: SiteRootPaths() for code in self.languages}

    def items(self):
        return (
            public_pages(Page.objects.filter(depth__gt=1)).exclude(url_path_en=None)
            .order_by("path")
        )  # fmt: skip

    def location(self, page):
        return page.get_url(request=self.root_paths[translation.get_language()])

    def lastmod(self, page):
        return page.last_published_at

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc
