"""schema.org structured data (JSON-LD) and breadcrumbs, for search engines and
aggregators.

Every public page carries one ``<script type="application/ld+json">`` with a graph of
the ``WebSite`` (with a ``SearchAction`` on the site's search in the reader's
language), the page's ``BreadcrumbList`` and, when its type offers one
(``BasePage.schema_org``), the page itself as a schema.org item: ``NewsArticle``,
``Report``, ``Legislation``. Everything is in the reader's language, every address
absolute (SITE_URL, see ``apps.core.sites``), and nothing is stated that the page
does not hold: a story's image is given only when it has a photograph, never for a
credit line the source gives without one.

The JSON is escaped for an HTML ``<script>`` element (``<``, ``>`` and ``&`` as
``\\u003C``…), as Django's ``json_script`` does, so no text of a page can end it.
"""

import json

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from .sites import absolute

SCHEMA = "https://schema.org"
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def json_ld(data):
    """``data`` in a ``<script type="application/ld+json">`` element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_JSON_ESCAPES)
    return format_html(
        '<script type="application/ld+json">{}</script>',
        mark_safe(text),  # noqa: S308 - JSON with <, > and & escaped above
    )


def home_url(language=None):
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    return absolute(f"/{language}/")


def site_name():
    return gettext("UN Peace Mediation")


def website():
    """The site, with its search as a ``SearchAction``."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    search = absolute(reverse("search"))
    return {
        "@type": "WebSite",
        "@id": f"{home_url(language)}#website",
        "url": home_url(language),
        "name": site_name(),
        "inLanguage": language,
        "publisher": {"@id": f"{home_url(language)}#publisher"},
        "potentialAction": {
            "@type": "SearchAction",
            "target": {"@type": "EntryPoint", "urlTemplate": f"{search}?q={{search_term_string}}"},
            "query-input": "required name=search_term_string",
        },
    }


def publisher():
    """The organisation that publishes the site."""
    return {
        "@type": "Organization",
        "@id": f"{home_url()}#publisher",
        "name": site_name(),
        "url": home_url(),
    }


def organisation(name):
    return {"@type": "Organization", "name": name}


def breadcrumb_list(crumbs):
    """``crumbs``: :class:`Crumb` from the home page to the current page (the last
    one may have no address: a page that was not found)."""
    return {
        "@type": "BreadcrumbList",
        "itemListElement": [
            clean(
                {
                    "@type": "ListItem",
                    "position": position,
                    "name": crumb.name,
                    "item": crumb.absolute_url,
                }
            )
            for position, crumb in enumerate(crumbs, start=1)
        ],
    }


class Crumb:
    """One step of a breadcrumb trail: its name (a string or a translated value with
    ``attrs``), its path on the site and its absolute address."""

    def __init__(self, name, url):
        self.name = str(name)
        self.attrs = getattr(name, "attrs", "")
        self.url = url
        if url and not url.startswith("/"):
            self.absolute_url = url  # already absolute: a page of another site
        else:
            self.absolute_url = absolute(url) if url else None


def page_crumbs(page, request, name_of):
    """The trail from the site's home page to ``page``: its ancestors below the tree's
    root, read through the parents routing already holds (no query for a page
    reached by its address). ``name_of(page)`` names each step."""
    trail = []
    current = page
    while current is not None and current.depth >= 2:
        trail.append(current)
        current = current.get_parent() if current.depth > 2 else None
    trail.reverse()
    crumbs = []
    for step in trail:
        name = gettext("Home") if step.depth == 2 else name_of(step)
        crumbs.append(Crumb(name, step.get_url(request=request)))
    return crumbs


def graph(*items):
    """A JSON-LD document of ``items`` (those that are not None)."""
    return {"@context": SCHEMA, "@graph": [item for item in items if item]}


def date_value(value):
    """A date or datetime as schema.org writes it (ISO 8601)."""
    return value.isoformat() if value else None


def clean(item):
    """``item`` without the properties that have no value."""
    return {key: value for key, value in item.items() if value not in (None, "", [], {})}
