"""One sitemap for both languages, with ``xhtml:link`` hreflang alternates.

Wagtail's own sitemap lists each page once; Django's sitemap framework knows
languages (``i18n``/``alternates``/``x_default``) and asks for each page's location
with each language active, which with translated slugs gives the right address.
Its scheme and domain are those of SITE_URL, not of the request (Django would take
them from the Host header through ``RequestSite``).
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap

from wagtail.models import Page

from apps.core.visibility import public_pages


class PageSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True
    languages = [code for code, _name in settings.LANGUAGES]

    def items(self):
        return (
            public_pages(Page.objects.filter(depth__gt=1)).exclude(url_path_en=None)
            .order_by("path")
            .specific()
        )  # fmt: skip

    def location(self, page):
        return page.get_url()

    def lastmod(self, page):
        return page.last_published_at

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc
