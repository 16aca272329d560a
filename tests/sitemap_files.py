"""The sitemap read as a crawler reads it: the index at /sitemap.xml, then each file it
lists, every address checked to appear once."""

import xml.etree.ElementTree as ET
from collections import Counter
from urllib.parse import urlsplit

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


def site_path(address):
    """The path and query of an absolute address, to ask the test client for."""
    parts = urlsplit(address)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def get_xml(client, path, **headers):
    response = client.get(path, **headers)
    assert response.status_code == 200, path
    assert response["Content-Type"].startswith("application/xml"), path
    return ET.fromstring(response.content)


def sitemap_index(client, **headers):
    """``[(file address, lastmod text or None)]`` of the index, in its order."""
    root = get_xml(client, "/sitemap.xml", **headers)
    assert root.tag == f"{SITEMAP}sitemapindex"
    return [
        (entry.findtext(f"{SITEMAP}loc"), entry.findtext(f"{SITEMAP}lastmod"))
        for entry in root.iter(f"{SITEMAP}sitemap")
    ]


def sitemap_file_urls(client, address, **headers):
    """``[(loc, lastmod text, {hreflang: href})]`` of one file of the sitemap."""
    root = get_xml(client, site_path(address), **headers)
    assert root.tag == f"{SITEMAP}urlset"
    return [
        (
            url.findtext(f"{SITEMAP}loc"),
            url.findtext(f"{SITEMAP}lastmod"),
            {link.get("hreflang"): link.get("href") for link in url.iter(f"{XHTML}link")},
        )
        for url in root.iter(f"{SITEMAP}url")
    ]


def sitemap_urls(client, **headers):
    """``{loc: {hreflang: href}}`` of every file the index lists; an address listed
    twice (in one file or in two) fails."""
    urls = {}
    seen = Counter()
    for address, _lastmod in sitemap_index(client, **headers):
        for loc, _date, alternates in sitemap_file_urls(client, address, **headers):
            seen[loc] += 1
            urls[loc] = alternates
    assert not [loc for loc, count in seen.items() if count > 1], "listed more than once"
    return urls
