"""Search in the reader's language, on SQLite and (in CI) PostgreSQL."""

import re

from django.db import connection
from django.utils import translation

import pytest

from apps.home.models import HomePage
from apps.news.models import NewsIndexPage, NewsStoryPage
from apps.reports.models import ReportPage
from apps.topics.models import TopicPage

pytestmark = pytest.mark.django_db


def search(client, language, **params):
    response = client.get(f"/{language}/search/", params)
    assert response.status_code == 200
    body = response.content.decode()
    heading = re.search(r'aria-live="polite">([^<]*)</h2>', body)
    titles = re.findall(r'<h3 class="card__title"><a href="([^"]+)"', body)
    return body, heading.group(1) if heading else None, titles


def url(page, language):
    with translation.override(language):
        return page.get_url()


def test_arabic_word_typed_without_hamza(client, site):
    topic = TopicPage.objects.get()
    story = NewsStoryPage.objects.get()
    _body, _heading, found = search(client, "ar", q="الامين")
    assert url(topic, "ar") in found and url(story, "ar") in found


def test_taa_marbuta_and_prefixes(client, site):
    _body, _heading, found = search(client, "ar", q="الوساطه")
    assert url(TopicPage.objects.get(), "ar") in found  # its text has «والوساطة»


def test_results_are_in_the_readers_language_only(client, site):
    assert search(client, "en", q="الامين")[2] == []
    assert search(client, "ar", q="mediation")[2] == []
    # A page with English text only is not found by an Arabic search, nor the reverse.
    news = NewsIndexPage.objects.get()
    only_english = NewsStoryPage(
        title_en="Ceasefire talks", slug_en="ceasefire-talks", date="2026-01-05",
        lead_en="<p>Envoys discussed a ceasefire.</p>",
    )  # fmt: skip
    news.add_child(instance=only_english)
    only_english.save_revision().publish()
    assert url(only_english, "en") in search(client, "en", q="ceasefire")[2]
    assert search(client, "ar", q="ceasefire")[2] == []
    # Arabic words in the Arabic text only: found in Arabic, never from /en/.
    only_arabic = NewsStoryPage(
        title_en="Truce", title_ar="هدنة", slug_en="truce", date="2026-01-06",
        lead_ar="<p>ناقش المبعوثون وقفَ إطلاق النار.</p>",
    )  # fmt: skip
    news.add_child(instance=only_arabic)
    only_arabic.save_revision().publish()
    assert url(only_arabic, "ar") in search(client, "ar", q="اطلاق النار")[2]
    assert search(client, "en", q="اطلاق النار")[2] == []


def test_document_symbol_whole_or_by_number(client, site):
    report = ReportPage.objects.get(symbol="S/2015/730")
    for query in ("S/2015/730", "2015/730"):
        for language in ("en", "ar"):
            assert url(report, language) in search(client, language, q=query)[2], query


def test_symbol_snippet_marks_the_symbol_not_its_letters(client, site):
    body, _heading, found = search(client, "en", q="A/66/811", type="reports")
    assert found == [url(ReportPage.objects.get(symbol="A/66/811"), "en")]
    assert "<mark>A/66/811</mark>" in body
    assert not re.search(r"<mark>(?!A/66/811)", body)  # no "a", "Assembly", "66" marked


def test_type_and_year_filters(client, site):
    story = NewsStoryPage.objects.get()
    _b, _h, everything = search(client, "en", q="mediation")
    _b, _h, news = search(client, "en", q="mediation", type="news")
    assert news == [url(story, "en")] and len(everything) > 1
    _b, _h, in_2011 = search(client, "en", q="mediation", year="2011")
    assert url(story, "en") in in_2011
    assert url(ReportPage.objects.get(symbol="A/66/811"), "en") not in in_2011
    # The year is the content's date: the Charter was not written when it was loaded.
    loaded = TopicPage.objects.get().first_published_at.year
    body, _h, in_load_year = search(client, "en", q="mediation", year=str(loaded))
    years = re.findall(r'<option value="(\d{4})"', body)
    assert years == ["2017", "2015", "2012", "2011", "2009"]
    # A year that no page has is not offered, and ignored when asked for.
    assert in_load_year == everything and " selected>" not in body


def test_result_shows_type_date_and_highlighted_snippet(client, site):
    body, heading, _found = search(client, "en", q="mediation", type="news")
    assert heading == "1 result for “mediation”"
    assert '<span class="result-type">News story</span>' in body
    assert '<time datetime="2011-11-09">9 November 2011</time>' in body
    assert "<mark>mediation</mark>" in body
    body, heading, _found = search(client, "ar", q="الامين", type="news")
    assert heading == "نتيجة واحدة عن «الامين»"
    assert "<mark>الأمين</mark>" in body and 'dir="rtl"' in body


def test_snippet_escapes_markup(client, site):
    story = NewsStoryPage.objects.get()
    story.lead_en = "<p>Ceasefire &lt;script&gt;alert(1)&lt;/script&gt; agreed.</p>"
    story.save_revision().publish()
    body, _heading, _found = search(client, "en", q="ceasefire")
    assert "<script>alert(1)" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_pagination(client, site):
    news = NewsIndexPage.objects.get()
    for n in range(12):
        story = NewsStoryPage(
            title_en=f"Envoy briefing {n}", slug_en=f"envoy-briefing-{n}", date="2026-02-01"
        )
        news.add_child(instance=story)
        story.save_revision().publish()
    _b, heading, first = search(client, "en", q="envoy briefing")
    assert heading == "12 results for “envoy briefing”" and len(first) == 10
    body, _h, second = search(client, "en", q="envoy briefing", page="2")
    assert len(second) == 2 and not set(first) & set(second)
    assert 'rel="prev"' in body


def test_drafts_and_unpublished_pages_are_not_found(client, site):
    report = ReportPage.objects.get(symbol="S/2015/730")
    report.unpublish()
    assert search(client, "en", q="S/2015/730")[2] == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="stemming is PostgreSQL's")
def test_english_stemming_on_postgresql(client, site):
    _b, _h, found = search(client, "en", q="mediators")
    assert url(TopicPage.objects.get(), "en") in found  # its text says "mediation"


def test_empty_query_shows_the_form_only(client, site):
    body, heading, found = search(client, "ar", q="")
    assert heading is None and found == []
    assert '<label for="search-q">' in body
    assert '<input id="search-q" type="search" name="q"' in body
    assert '<html lang="ar" dir="rtl">' in body
    assert '<form class="search-form" method="get" action="/ar/search/"' in body  # header


def test_index_pages_are_never_results(client, site):
    home, news = HomePage.objects.get(), NewsIndexPage.objects.get()
    for language, query in (("en", "settlement disputes"), ("ar", "تسوية المنازعات")):
        body, _heading, found = search(client, language, q=query)
        assert found, "content pages match"
        assert url(home, language) not in found and url(news, language) not in found
        kinds = re.findall(r'<span class="result-type">([^<]+)</span>', body)
        assert len(kinds) == len(found)


def test_a_result_shows_its_symbol_and_a_snippet_from_its_text_not_its_title(client, site):
    report = ReportPage.objects.get(symbol="S/2015/730")
    # A word of the title only: the snippet is the text's beginning, not the title.
    body, _heading, found = search(client, "en", q="recommitment")
    assert found == [url(report, "en")]
    card = body[body.index('<ol class="card-list search-results">') :]
    assert '<span class="symbol" dir="ltr">S/2015/730</span>' in card
    snippet = re.search(r'<p class="card__summary">(.*?)</p>', card, re.S).group(1)
    assert not snippet.startswith(report.title_en[:20])
    assert snippet.startswith(report.summary_en.split()[0])


def test_the_header_box_shows_the_query_of_the_results_page(client, site):
    body, _heading, _found = search(client, "en", q="good offices")
    assert re.search(r'<input id="site-search"[^>]*value="good offices"', body)
    assert re.search(r'<input id="search-q" [^>]*value="good offices"', body)
    other = client.get(url(NewsIndexPage.objects.get(), "en")).content.decode()
    assert 'value=""' in re.search(r'<input id="site-search"[^>]*>', other).group()


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_language_switcher_keeps_the_query_and_filters(client, site, language):
    body, _heading, _found = search(client, language, q="mediation", type="reports", year="2015")
    other = "ar" if language == "en" else "en"
    switcher = body[body.index('class="language-switcher"') :]
    link = re.search(rf'<a href="([^"]+)" hreflang="{other}"', switcher).group(1)
    assert link == f"/{other}/search/?q=mediation&amp;type=reports&amp;year=2015"
