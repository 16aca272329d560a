"""What readers see: fallbacks, dates, filters, mentions and citations, escaping."""

import re

from django.utils import translation

import pytest

from apps.charter.models import CharterProvisionPage
from apps.core.mentions import link_mentions
from apps.news.models import NewsIndexPage, NewsStoryPage
from apps.reports.models import ReportIndexPage, ReportMandate, ReportPage
from apps.topics.models import TopicPage

pytestmark = pytest.mark.django_db


def url(page, language):
    with translation.override(language):
        return page.get_url()


def get(client, page, language, query=""):
    response = client.get(url(page, language) + query)
    assert response.status_code == 200
    return response.content.decode()


def test_missing_arabic_falls_back_to_english_with_notice_and_lang(client, site):
    story = NewsStoryPage.objects.get()
    story.lead_ar = ""
    story.save_revision().publish()
    body = get(client, story, "ar")
    notice = re.search(r'<div class="fallback"><p class="fallback-notice">(.*?)</p>', body)
    assert notice, "the fallback notice is missing"
    assert notice.group(1) == "لم تُترجم بعد: معروضة باللغة الإنكليزية."
    assert '<div class="lead prose" lang="en" dir="ltr"><p>The United Nations must' in body
    # The English page has no notice.
    assert "fallback-notice" not in get(client, story, "en")


def test_dates_are_formatted_for_the_language(client, site):
    story = NewsStoryPage.objects.get()
    assert '<time datetime="2011-11-09">9 November 2011</time>' in get(client, story, "en")
    # United Nations Arabic pairs the month names: تشرين الثاني/نوفمبر, حزيران/يونيه…
    assert '<time datetime="2011-11-09">9 تشرين الثاني/نوفمبر 2011</time>' in get(
        client, story, "ar"
    )
    report = ReportPage.objects.get(symbol="A/66/811")
    assert '<time datetime="2012-06-25">25 حزيران/يونيه 2012</time>' in get(client, report, "ar")
    assert "نوفمبر 2011" not in get(client, story, "ar").replace("تشرين الثاني/نوفمبر", "")


def test_news_index_filters_by_year_and_topic(client, site):
    index = NewsIndexPage.objects.get()
    topic = TopicPage.objects.get()
    title = NewsStoryPage.objects.get().title_en
    assert title in get(client, index, "en", "?year=2011")
    assert '<option value="2011" selected>2011</option>' in get(client, index, "en", "?year=2011")
    assert '<label for="filter-topic">الموضوع</label>' in get(client, index, "ar")
    assert title in get(client, index, "en", f"?topic={topic.pk}")
    # A year or topic that is not among the options, and nonsense, are ignored rather
    # than failing (tests/test_query_strings.py filters a site with several years).
    assert title in get(client, index, "en", "?year=2010")
    assert title in get(client, index, "en", f"?topic={topic.pk + 1000}")
    assert title in get(client, index, "en", "?year=abc&topic=x")


def test_report_index_filters_by_mandate_year_and_topic(client, site):
    index = ReportIndexPage.objects.get()
    body = get(client, index, "en", "?mandate=GA")
    assert '<option value="GA" selected>General Assembly</option>' in body
    assert "A/66/811" in body and "S/2015/730" not in body
    body = get(client, index, "en", "?mandate=SC")
    assert "S/2015/730" in body and "A/66/811" not in body
    body = get(client, index, "en", "?year=2015")
    assert "S/2015/730" in body and "A/70/328" in body and "A/66/811" not in body
    topic = TopicPage.objects.get()
    assert get(client, index, "en", f"?topic={topic.pk}").count('class="card"') == 6
    # A report asked for by two resolutions of the organ chosen is listed once.
    report = ReportPage.objects.get(symbol="A/66/811")
    ReportMandate.objects.create(page=report, body="GA", number="99/999")
    assert report.mandates.filter(body="GA").count() == 2
    assert get(client, index, "en", "?mandate=GA").count("A/66/811</span>") == 1


def test_report_page_shows_symbol_mandates_and_annexes(client, site):
    report = ReportPage.objects.get(symbol="A/66/811")
    body = get(client, report, "ar")
    assert '<span class="symbol" dir="ltr">A/66/811</span>' in body
    assert 'href="https://docs.un.org/ar/A/RES/65/283"' in body
    assert "إرشادات الوساطة الفعالة" in body


def test_mentions_link_to_provisions_and_reports(site):
    article_99 = CharterProvisionPage.objects.get(article=99)
    report = ReportPage.objects.get(symbol="S/2015/730")
    html = "<p>Under Article 99 and S/2015/730, see <a href='/x'>Article 99</a>.</p>"
    linked = link_mentions(html, "en")
    assert f'<a class="mention" href="{url(article_99, "en")}">Article 99</a>' in linked
    assert f'<a class="mention" href="{url(report, "en")}">S/2015/730</a>' in linked
    assert "<a href='/x'>Article 99</a>" in linked  # an existing link is left alone
    arabic = link_mentions("<p>تنص المادتين 98 و99 &lt;b&gt;</p>", "ar")
    assert f'href="{url(article_99, "ar")}">99</a>' in arabic
    assert "&lt;b&gt;" in arabic  # text stays escaped


def test_provision_lists_the_pages_that_cite_it(client, site):
    provision = CharterProvisionPage.objects.get(article=99)
    topic = TopicPage.objects.get()
    body = get(client, provision, "en")
    assert "Pages that cite this article" in body
    assert f'href="{url(topic, "en")}"' in body


def test_markup_in_imported_text_is_shown_as_text(client, site):
    story = NewsStoryPage.objects.get()
    story.lead_en = "<p>Safe &lt;script&gt;alert(1)&lt;/script&gt;</p>"
    story.title_en = "<img src=x onerror=alert(1)>"
    story.save_revision().publish()
    body = get(client, story, "en")
    assert "<script>alert(1)" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "<img src=x" not in body and "&lt;img src=x onerror=alert(1)&gt;" in body


@pytest.mark.parametrize("language", ["en", "ar"])
def test_story_head_has_canonical_description_and_open_graph(client, site, language):
    story = NewsStoryPage.objects.get()
    body = get(client, story, language)
    own = "http://testserver" + url(story, language)
    other = "http://testserver" + url(story, "ar" if language == "en" else "en")
    assert f'<link rel="canonical" href="{own}">' in body
    assert f'<meta property="og:url" content="{own}">' in body
    assert (
        f'<link rel="alternate" hreflang="{"ar" if language == "en" else "en"}" href="{other}">'
        in body
    )
    assert '<meta property="og:type" content="article">' in body
    title = getattr(story, f"title_{language}")
    assert f'<meta property="og:title" content="{title}">' in body
    description = re.search(r'<meta name="description" content="([^"]+)">', body).group(1)
    expected = {"en": "The United Nations must enhance", "ar": "قال الأمين العام"}[language]
    assert description.startswith(expected) and len(description) <= 160
    locale = {"en": "en_US", "ar": "ar_AR"}[language]
    assert f'<meta property="og:locale" content="{locale}">' in body
