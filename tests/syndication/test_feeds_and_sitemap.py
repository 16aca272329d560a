"""Feeds, the sitemap and robots.txt, in both languages."""

import datetime
from urllib.parse import quote

from django.utils import translation

from wagtail.models import Page, PageViewRestriction

import feedparser
import pytest
from factories import NewsStoryFactory
from sitemap_files import site_path, sitemap_file_urls, sitemap_index, sitemap_urls

from apps.news.models import NewsIndexPage, NewsStoryPage
from apps.reports.models import ReportPage
from apps.syndication import sitemaps

pytestmark = pytest.mark.django_db


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


def test_sitemap_lists_every_public_page_in_both_languages(client, site):
    """Once, at the address ``page.get_url()`` gives in each language, with the other
    language and x-default (the English address without its prefix) as alternates."""
    news = NewsIndexPage.objects.get()
    # No Arabic slug: the Arabic address falls back to the English slug.
    english_only = NewsStoryFactory(parent=news, slug_en="english-only", slug_ar="")
    # An Arabic slug in Arabic letters, which the address carries percent-encoded.
    arabic_slug = NewsStoryFactory(parent=news, slug_en="envoys-return", slug_ar="عودة-المبعوثين")
    urls = sitemap_urls(client)
    pages = Page.objects.live().public().filter(depth__gt=1).specific()
    expected = {}
    for page in pages:
        english, arabic = absolute(page, "en"), absolute(page, "ar")
        default = english.replace("/en/", "/", 1)
        alternates = {"en": english, "ar": arabic, "x-default": default}
        expected |= {english: alternates, arabic: alternates}
    assert urls == expected
    assert absolute(english_only, "ar").startswith("http://testserver/ar/")
    assert absolute(english_only, "ar").endswith("/english-only/")
    assert absolute(arabic_slug, "ar").endswith(f"/{quote('عودة-المبعوثين')}/")


def test_each_section_file_lists_its_pages_with_the_newest_publication_as_lastmod(client, site):
    """Stories by the year of their date, other pages by their section of the site;
    each file's lastmod in the index is the newest publication among its pages."""
    news = NewsIndexPage.objects.get()
    older = NewsStoryFactory(parent=news, slug_en="older", date=datetime.date(1999, 3, 1))
    public = Page.objects.live().public().filter(depth__gt=1).specific()
    pages = {absolute(page, "en"): page for page in public}
    index = sitemap_index(client)
    names = [site_path(address) for address, _lastmod in index]
    assert len(names) == len(set(names))
    for address, lastmod in index:
        listed = [pages[loc] for loc, _date, _links in sitemap_file_urls(client, address)
                  if loc in pages]  # fmt: skip
        assert listed, address
        newest = max(page.last_published_at for page in listed)
        assert lastmod == newest.astimezone(datetime.UTC).isoformat(timespec="seconds")
        section = site_path(address).removeprefix("/sitemap-").removesuffix(".xml")
        for page in listed:
            if isinstance(page, NewsStoryPage):
                assert section == f"news-{page.date.year}", page
            else:
                assert section == page._meta.app_label, page
    assert "/sitemap-news-1999.xml" in names
    (only,) = sitemap_file_urls(client, "/sitemap-news-1999.xml")[::2]
    assert only[0] == absolute(older, "en")
    assert only[1] == older.last_published_at.date().isoformat()


def test_a_section_larger_than_a_file_continues_in_numbered_files(client, small_site, monkeypatch):
    monkeypatch.setattr(sitemaps, "PAGE_SIZE", 2)
    for number in range(3):
        NewsStoryFactory(parent=small_site.news, date=datetime.date(2012, 5, 1 + number))
    files = [address for address, _ in sitemap_index(client) if "news-2012" in address]
    assert [site_path(address) for address in files] == [
        "/sitemap-news-2012.xml",
        "/sitemap-news-2012.xml?p=2",
    ]
    first, second = (sitemap_file_urls(client, address) for address in files)
    assert len(first) == 4 and len(second) == 2  # two pages, then one, in two languages
    assert client.head(site_path(files[1])).status_code == 200
    for address in ("/sitemap-news-2012.xml?p=3", "/sitemap-news-2012.xml?p=0"):
        assert client.get(address).status_code == 404, address
    for address in (
        "/sitemap-news-2012.xml?p=two",
        "/sitemap-nothing.xml",
        "/sitemap-news-02012.xml",
    ):
        assert client.get(address).status_code == 404, address


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
