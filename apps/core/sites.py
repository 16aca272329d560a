"""The site's public address, ``settings.SITE_URL``, and where it is applied.

Every absolute URL the site writes (canonical and hreflang links, Open Graph,
feeds, the sitemap, robots.txt, the API) starts with SITE_URL: never with the
Host header or the path of the request being answered, which a client chooses.
Page URLs come from Wagtail's Site record (``page.get_full_url()``), so the
default site is kept at the same address by :func:`apply_site_url`, after every
``migrate`` and whenever ``load_content`` creates or updates the site.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS


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
