"""The site's public address, ``settings.SITE_URL``, and where it is applied.

Every absolute URL the site writes (canonical and hreflang links, Open Graph,
feeds, the sitemap, robots.txt, the API) starts with SITE_URL: never with the
Host header or the path of the request being answered, which a client chooses.
Page URLs come from Wagtail's Site record (``page.get_full_url()``), so the
default site is kept at the same address by :func:`apply_site_url`, after every
``migrate`` and whenever ``load_content`` creates or updates the site.
"""

import copy
from urllib.parse import urlsplit

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS
from django.http.request import split_domain_port
from django.utils import translation

from modeltranslation.utils import get_language as modeltranslation_language
from wagtail.models.sites import SiteRootPath

from .page_cache import remembered


def site_address(url=None):
    """``(hostname, port)`` of SITE_URL, as Wagtail's Site record stores it.

    ``Site.root_url`` gives ``http://`` for port 80, ``https://`` for 443 and
    ``http://host:port`` otherwise, which is why SITE_URL is refused at start-up
    when it is https on another port (see ``mediation_site.settings.base``).
    """
    parts = urlsplit(url or settings.SITE_URL)
    hostname = parts.hostname
    if ":" in hostname:  # an IPv6 address keeps its brackets
        hostname = f"[{hostname}]"
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return hostname, port


def absolute(path):
    """SITE_URL + ``path``; the path must be a site path such as ``/en/search/``."""
    path = str(path)
    if not path.startswith("/") or path.startswith("//"):
        raise ValueError(f"not a path on this site: {path!r}")
    return settings.SITE_URL + path


def configure_site(site):
    """Give a Site record (saved or not) the hostname and port of SITE_URL."""
    site.hostname, site.port = site_address()
    return site


def apply_site_url(using=DEFAULT_DB_ALIAS, site_model=None):
    """Point the default Wagtail site at SITE_URL. Idempotent; returns the site or None.

    Nothing happens when there is no default site yet (before Wagtail's migrations,
    or after a flush): ``load_content`` creates it, through :func:`configure_site`.
    """
    if site_model is None:
        from wagtail.models import Site as site_model
    site = site_model._default_manager.using(using).filter(is_default_site=True).first()
    if site is None:
        return None
    hostname, port = site_address()
    if (site.hostname, site.port) != (hostname, port):
        site.hostname, site.port = hostname, port
        site.save(using=using, update_fields=["hostname", "port"])
    return site


def apply_site_url_after_migrate(sender, using=DEFAULT_DB_ALIAS, apps=None, **kwargs):
    """``post_migrate`` receiver: the migrated database's default site follows SITE_URL.

    It works on the migrated state's Site model, so it does nothing while wagtailcore's
    migrations are not applied (the state has no Site then).
    """
    try:
        model = apps.get_model("wagtailcore", "Site") if apps is not None else None
    except LookupError:
        return
    apply_site_url(using=using, site_model=model)


def root_page_relations():
    """The names by which a Page reaches the row of its own type, for the page types
    that may be a site's root (those whose parent may be the tree's root)."""
    from wagtail.models import Page

    return [
        relation.name
        for relation in Page._meta.related_objects
        if relation.one_to_one
        and relation.parent_link
        and Page in relation.related_model.allowed_parent_page_models()
    ]


def load_sites():
    """Every Site with its root page as its own type (a HomePage, not a Page), in one
    query: what Wagtail asks in three (the site for the request, then its root page's
    own row) plus one per language for the site root paths when the cache is cold."""
    from wagtail.models import Site

    relations = root_page_relations()
    sites = list(
        Site.objects.select_related(
            "root_page__locale", *(f"root_page__{name}" for name in relations)
        )
    )
    for site in sites:
        for name in relations:
            specific = getattr(site.root_page, name, None)
            if specific is not None:
                site.root_page = specific
                break
    return sites


def site_for_host(sites, hostname, port):
    """The site that answers ``hostname``:``port``, chosen among ``sites`` by Wagtail's
    rule (``wagtail.models.sites.get_site_for_hostname``), or None."""
    candidates = [site for site in sites if site.hostname == hostname or site.is_default_site]

    def match(site):
        if site.hostname == hostname:
            return 0 if site.port == port else 1 if site.is_default_site else 3
        return 2

    candidates.sort(key=match)
    if not candidates:
        return None
    first = match(candidates[0])
    if len(candidates) == 1 or first in (0, 1):
        return candidates[0]
    if first == 2:
        return candidates[len(candidates) == 2]
    return None


def root_paths(sites):
    """``{language: [(site id, root path, root URL, language code)...]}``: what
    wagtail-modeltranslation caches for each language, most specific path first."""
    paths = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            # Wagtail's order: the longest root path first, then the default site.
            ordered = sorted(sites, key=lambda site: site.hostname)
            ordered.sort(key=lambda site: (site.root_page.url_path, site.is_default_site))
            ordered.reverse()
            paths[code] = [
                (
                    site.id,
                    site.root_page.url_path,
                    site.root_url,
                    site.root_page.locale.language_code,
                )
                for site in ordered
            ]
    return paths


def remembered_sites():
    """:func:`load_sites`, read once per generation in this process; read-only."""
    return remembered("sites", load_sites, shared=False)


def find_site(request):
    """The Site serving ``request``, its root page as its own type. Every site is read
    in one query once per generation (:func:`apps.core.page_cache.remembered`: until
    the next change the public can see, which a change to a site is) and kept in the
    process; each request gets its own copy of the site and root page, on which it may
    note what it read (routing keeps the home page's children there)."""
    sites = remembered_sites()
    hostname = split_domain_port(request._get_raw_host())[0]
    site = site_for_host(sites, hostname, request.get_port())
    if site is None:
        return None
    site = copy.copy(site)
    site.root_page = copy.copy(site.root_page)
    return site


def site_root_paths():
    """wagtail-modeltranslation's site root paths of the active language (what a page
    URL is made from), remembered per generation in the process rather than read from
    the cache for each page whose URL is made without a request: ``CoreConfig.ready``
    puts it in place of ``patch_wagtailadmin._localized_site_get_site_root_paths``."""
    # The language the pages' translated url_path reads (always one of LANGUAGES):
    # outside a request none may be active.
    language = modeltranslation_language()
    rows = remembered(
        f"site-root-paths:{language}",
        lambda: root_paths(remembered_sites())[language],
        shared=False,
    )
    return [SiteRootPath(*row) for row in rows]
