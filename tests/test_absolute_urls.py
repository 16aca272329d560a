"""Absolute URLs come from SITE_URL and the Site record, never from the request.

Each test serves the site as https://mediation.example.org while the requests say
something else: Django's default Host (testserver), another allowed Host header, or a
path that starts with two slashes (``GET //evil.example/`` has the path
``//evil.example/``, which ``request.build_absolute_uri(request.path)`` would turn
into ``http://evil.example/``).
"""

import datetime
import re
import xml.etree.ElementTree as ET
from io import StringIO
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation

from wagtail.models import Site

import pytest
import site_tree
from production import production_env, run
from sitemap_files import sitemap_index, sitemap_urls

from apps.core.sites import apply_site_url
from mediation_site.settings.base import site_url

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[1]
SITE_URL = "https://mediation.example.org"
OTHER_HOST = {"HTTP_HOST": "other.example"}
RSS, ATOM = "", "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def public_address(db):
    with override_settings(SITE_URL=SITE_URL, WAGTAILAPI_BASE_URL=SITE_URL):
        apply_site_url()
        yield SITE_URL


@pytest.fixture
def story(home_page, public_address):
    return site_tree.story(
        site_tree.news_index(home_page),
        "envoys-meet",
        "Envoys meet",
        "اجتماع المبعوثين",
        datetime.date(2024, 5, 1),
    )


def full_url(page, language):
    with translation.override(language):
        return page.get_full_url()


def head_links(body):
    """canonical, og:url and {hreflang: href} of a page's head."""
    canonical = re.search(r'<link rel="canonical" href="([^"]*)">', body).group(1)
    og_url = re.search(r'<meta property="og:url" content="([^"]*)">', body).group(1)
    alternates = dict(
        re.findall(r'<link rel="alternate" hreflang="([\w-]+)" href="([^"]*)">', body)
    )
    return canonical, og_url, alternates


def test_site_record_follows_site_url(public_address):
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("mediation.example.org", 443)
    assert site.root_url == SITE_URL


@pytest.mark.parametrize("headers", [{}, OTHER_HOST], ids=["testserver", "other-host"])
@pytest.mark.parametrize("language", ["en", "ar"])
def test_page_head_links_come_from_the_site_record(client, story, headers, language):
    with translation.override(language):
        path = story.get_url()
    body = client.get(path, **headers).content.decode()
    canonical, og_url, alternates = head_links(body)
    assert canonical == og_url == full_url(story, language)
    assert canonical.startswith(f"{SITE_URL}/{language}/")
    assert alternates == {
        "en": full_url(story, "en"),
        "ar": full_url(story, "ar"),
        "x-default": full_url(story, "en"),
    }
    assert "testserver" not in body and "other.example" not in body


@pytest.mark.parametrize("path", ["//evil.example/", "//evil.example/en/", "//evil.example/ar/"])
@pytest.mark.parametrize("headers", [{}, OTHER_HOST], ids=["testserver", "other-host"])
def test_a_hostile_path_never_becomes_an_address(client, story, path, headers):
    # PATH_INFO as a server passes it on: the test client would read "//evil.example/"
    # as a host name rather than a path.
    response = client.get(path, PATH_INFO=path, **headers)
    assert response.status_code == 404
    body = response.content.decode()
    assert "evil.example" not in body and "other.example" not in body
    canonical, og_url, alternates = head_links(body)
    assert canonical == og_url == f"{SITE_URL}/en/"
    assert alternates == {
        "en": f"{SITE_URL}/en/",
        "ar": f"{SITE_URL}/ar/",
        "x-default": f"{SITE_URL}/en/",
    }


def test_not_found_page_links_under_site_url(client, story):
    response = client.get("/ar/no/such/page/", **OTHER_HOST)
    assert response.status_code == 404
    canonical, og_url, alternates = head_links(response.content.decode())
    assert canonical == og_url == f"{SITE_URL}/ar/no/such/page/"
    assert alternates["en"] == f"{SITE_URL}/en/no/such/page/"


def test_search_page_links_come_from_the_url_resolver(client, story):
    body = client.get("/ar/search/?q=envoys", **OTHER_HOST).content.decode()
    canonical, og_url, alternates = head_links(body)
    assert canonical == og_url == f"{SITE_URL}/ar/search/"
    assert alternates == {
        "en": f"{SITE_URL}/en/search/",
        "ar": f"{SITE_URL}/ar/search/",
        "x-default": f"{SITE_URL}/en/search/",
    }
    # The language switcher stays a path on this site and keeps the query.
    assert '<a href="/en/search/?q=envoys" hreflang="en"' in body


@pytest.mark.parametrize("headers", [{}, OTHER_HOST], ids=["testserver", "other-host"])
def test_api_urls_use_site_url(client, story, headers):
    listing = client.get("/api/v2/pages/?type=news.NewsStoryPage", **headers).json()
    (item,) = listing["items"]
    assert item["meta"]["html_url"] == full_url(story, "en")
    assert item["meta"]["detail_url"] == f"{SITE_URL}/api/v2/pages/{story.pk}/"
    detail = client.get(f"/api/v2/pages/{story.pk}/", **headers).json()
    assert detail["meta"]["html_url"].startswith(f"{SITE_URL}/en/")
    assert detail["meta"]["parent"]["meta"]["html_url"].startswith(f"{SITE_URL}/en/")


@pytest.mark.parametrize("language", ["en", "ar"])
def test_rss_links_use_site_url(client, story, language):
    response = client.get(f"/{language}/feeds/news.rss", secure=True, **OTHER_HOST)
    channel = ET.fromstring(response.content).find("channel")
    assert channel.findtext("link") == full_url(story.get_parent(), language)
    self_link = channel.find(f"{ATOM}link[@rel='self']").get("href")
    assert self_link == f"{SITE_URL}/{language}/feeds/news.rss"
    (item,) = channel.findall("item")
    assert item.findtext("link") == item.findtext("guid") == full_url(story, language)


@pytest.mark.parametrize("language", ["en", "ar"])
def test_atom_links_use_site_url(client, story, language):
    response = client.get(f"/{language}/feeds/reports.atom", **OTHER_HOST)
    feed = ET.fromstring(response.content)
    links = {link.get("rel"): link.get("href") for link in feed.findall(f"{ATOM}link")}
    assert links["self"] == f"{SITE_URL}/{language}/feeds/reports.atom"
    # No report index exists here: the feed's link is the feed itself.
    assert links["alternate"] == f"{SITE_URL}/{language}/feeds/reports.atom"
    news = ET.fromstring(client.get(f"/{language}/feeds/news.atom", **OTHER_HOST).content)
    (entry,) = news.findall(f"{ATOM}entry")
    assert entry.find(f"{ATOM}link").get("href") == full_url(story, language)


def test_sitemap_locations_use_site_url(client, story):
    files = [address for address, _lastmod in sitemap_index(client, **OTHER_HOST)]
    assert files and all(address.startswith(f"{SITE_URL}/sitemap-") for address in files)
    urls = sitemap_urls(client, **OTHER_HOST)
    locations = list(urls)
    alternates = [href for links in urls.values() for href in links.values()]
    assert full_url(story, "ar") in locations and full_url(story, "en") in locations
    assert alternates and locations
    assert all(url.startswith(f"{SITE_URL}/") for url in locations + alternates)


def test_robots_txt_names_the_sitemap_under_site_url(client, public_address):
    body = client.get("/robots.txt", **OTHER_HOST).content.decode()
    assert f"Sitemap: {SITE_URL}/sitemap.xml\n" in body


def test_migrate_points_the_default_site_at_site_url(db):
    # The test database was migrated with the test settings' SITE_URL.
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("testserver", 80)
    with override_settings(SITE_URL="http://mediation.example.org:8080"):
        call_command("migrate", verbosity=0)
    site.refresh_from_db()
    assert (site.hostname, site.port) == ("mediation.example.org", 8080)
    assert site.root_url == "http://mediation.example.org:8080"


def write_home(folder):
    (folder / "home.yaml").write_text(
        "key: home\ntype: home.HomePage\ntitle: {en: Peace mediation, ar: الوساطة}\n"
        "slug: {en: home, ar: home}\n",
        encoding="utf-8",
    )
    return folder


def test_load_content_creates_and_corrects_the_site(tmp_path, public_address):
    folder = write_home(tmp_path)
    Site.objects.all().delete()
    call_command("load_content", str(folder), stdout=StringIO())
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port, site.root_page.slug) == ("mediation.example.org", 443, "home")
    # A site pointed elsewhere (by hand, or by an older release) is put back; twice is a no-op.
    Site.objects.filter(pk=site.pk).update(hostname="localhost", port=80)
    for _run in range(2):
        out = StringIO()
        call_command("load_content", str(folder), stdout=out)
        assert "0 created, 0 updated, 1 unchanged" in out.getvalue()
        site.refresh_from_db()
        assert (site.hostname, site.port) == ("mediation.example.org", 443)
    assert Site.objects.count() == 1


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("https://mediation.example.org", "https://mediation.example.org"),
        ("https://Mediation.Example.org:443/", "https://mediation.example.org"),
        ("http://127.0.0.1:8000", "http://127.0.0.1:8000"),
        ("http://[::1]:8000/", "http://[::1]:8000"),
        ("http://testserver:80", "http://testserver"),
    ],
)
def test_site_url_is_normalised(value, expected):
    assert site_url(value) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("mediation.example.org", "must start with http:// or https://"),
        ("ftp://mediation.example.org", "must start with http:// or https://"),
        ("javascript:alert(1)", "must start with http:// or https://"),
        ("https://", "names no host"),
        ("https://mediation.example.org/en/", "must not have a path, query or fragment"),
        ("https://mediation.example.org?x=1", "must not have a path, query or fragment"),
        ("https://mediation.example.org#top", "must not have a path, query or fragment"),
        ("https://user:pw@mediation.example.org", "must not contain a user name or password"),
        ("https://*.example.org", "has an invalid host name"),
        ("https://.example.org", "has an invalid host name"),
        ("https://mediation.example.org:8443", "uses https on a port other than 443"),
        ("http://mediation.example.org:443", "uses http on port 443"),
        ("http://mediation.example.org:99999", "has a port that is not a number"),
    ],
)
def test_malformed_site_url_stops_start_up_with_a_clear_message(value, message):
    with pytest.raises(ImproperlyConfigured) as error:
        site_url(value)
    assert str(error.value).startswith(f"SITE_URL {message}")
    assert repr(value) in str(error.value)
    assert "e.g. https://mediation.example.org" in str(error.value)


PRODUCTION_PROBE = "import mediation_site.settings.production as s; print(s.SITE_URL, s.WAGTAILAPI_BASE_URL, s.WAGTAILADMIN_BASE_URL)"  # noqa: E501


def production_settings(tmp_path, **environ):
    return run(["-c", PRODUCTION_PROBE], production_env(tmp_path, **environ), timeout=60)


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        (
            {"ALLOWED_HOSTS": "mediation.example.org,www.example.org"},
            "https://mediation.example.org",
        ),
        (
            {"ALLOWED_HOSTS": ".example.org", "SITE_URL": "https://example.org/"},
            "https://example.org",
        ),
    ],
    ids=["from-allowed-hosts", "given"],
)
def test_production_site_url(tmp_path, environ, expected):
    result = production_settings(tmp_path, **environ)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [expected, expected, expected]


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        (
            {"ALLOWED_HOSTS": "example.org", "SITE_URL": "https://example.org/news"},
            "SITE_URL must not have a path",
        ),
        (
            {"ALLOWED_HOSTS": ".example.org"},
            "SITE_URL (unset, so from ALLOWED_HOSTS) has an invalid",
        ),
    ],
    ids=["path", "wildcard-host"],
)
def test_production_refuses_a_malformed_site_url(tmp_path, environ, message):
    result = production_settings(tmp_path, **environ)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and message in result.stderr
