"""Feeds, the sitemap and robots.txt, in both languages."""

import xml.etree.ElementTree as ET

from django.utils import translation

from wagtail.models import Page, PageViewRestriction

import feedparser
import pytest

from apps.news.models import NewsStoryPage
from apps.reports.models import ReportPage

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


def absolute(page, language):
    with translation.override(language):
        return "http://testserver" + page.get_url()


@pytest.mark.parametrize("kind", ["rss", "atom"])
@pytest.mark.parametrize("language", ["en", "ar"])
def test_news_and_report_feeds_parse_cleanly(client, site, kind, language):
    story = NewsStoryPage.objects.get()
    response = client.get(f"/{language}/feeds/news.{kind}")
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.feed.language == language if kind == "rss" else True
    (entry,) = feed.entries
    assert entry.link == absolute(story, language)
    assert entry.title == getattr(story, f"title_{language}")
    reports = feedparser.parse(client.get(f"/{language}/feeds/reports.{kind}").content)
    assert not reports.bozo
    assert len(reports.entries) == ReportPage.objects.live().count()
    assert all(e.link.startswith(f"http://testserver/{language}/") for e in reports.entries)


def test_arabic_feed_has_an_arabic_title(client, site):
    feed = feedparser.parse(client.get("/ar/feeds/news.rss").content)
    assert feed.feed.title == "الوساطة من أجل السلام في الأمم المتحدة: الأخبار"


def sitemap_urls(client):
    root = ET.fromstring(client.get("/sitemap.xml").content)
    urls = {}
    for url in root.iter(f"{SITEMAP}url"):
        loc = url.find(f"{SITEMAP}loc").text
        urls[loc] = {link.get("hreflang"): link.get("href") for link in url.iter(f"{XHTML}link")}
    return urls


def test_sitemap_lists_every_public_page_in_both_languages(client, site):
    urls = sitemap_urls(client)
    pages = Page.objects.live().public().filter(depth__gt=1).specific()
    expected = {absolute(p, lang) for p in pages for lang in ("en", "ar")}
    assert set(urls) == expected
    story = NewsStoryPage.objects.get()
    alternates = urls[absolute(story, "ar")]
    assert alternates["en"] == absolute(story, "en")
    assert alternates["ar"] == absolute(story, "ar")
    assert "x-default" in alternates


def test_sitemap_leaves_out_drafts_and_private_pages(client, site):
    story = NewsStoryPage.objects.get()
    report = ReportPage.objects.get(symbol="A/66/811")
    report.unpublish()
    PageViewRestriction.objects.create(page=story, restriction_type="password", password="x")
    urls = sitemap_urls(client)
    assert absolute(story, "en") not in urls and absolute(report, "ar") not in urls


def test_robots_txt_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain"
    body = response.content.decode()
    assert "Disallow: /admin/" in body
    assert "Sitemap: http://testserver/sitemap.xml" in body


def test_pages_advertise_their_feeds(client, site):
    body = client.get("/ar/").content.decode()
    assert 'type="application/rss+xml"' in body and 'href="/ar/feeds/news.rss"' in body
