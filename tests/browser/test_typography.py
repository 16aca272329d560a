"""UN Arabic typography as a browser renders it: fonts downloaded, slanting."""

from django.utils import translation

import pytest

from apps.news.models import NewsStoryPage
from apps.reports.models import ReportPage

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def fonts_loaded_by(page, url):
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.evaluate("async () => await document.fonts.ready")
    return [address for address in requested if address.endswith(".woff2")]


def test_english_pages_download_no_arabic_font_and_arabic_pages_do(live_site, browser):
    # A story, and a report, whose English page also cites it in Arabic.
    pages = [NewsStoryPage.objects.get(), ReportPage.objects.get(symbol="A/66/811")]
    for language in ("en", "ar"):
        for story in pages:
            with translation.override(language):
                url = live_site + story.get_url()
            context = browser.new_context()
            try:
                page = context.new_page()
                fonts = fonts_loaded_by(page, url)
                arabic_words = page.locator("[lang=ar]").count()
            finally:
                context.close()
            if language == "en":
                # The switcher's «العربية» and the Arabic citation: the system fonts.
                assert arabic_words >= 1 and fonts == [], (url, fonts)
            else:
                # Preloaded with the stylesheet: the text is drawn once, in its font.
                assert any("noto-naskh-arabic" in address for address in fonts), fonts


def test_arabic_is_never_slanted(live_site, page):
    story = NewsStoryPage.objects.get()
    with translation.override("ar"):
        page.goto(live_site + story.get_url())
    cites = page.locator(".block-quote__speaker")
    assert cites.count() >= 1
    styles = cites.evaluate_all("els => els.map(el => getComputedStyle(el).fontStyle)")
    assert set(styles) == {"normal"}
    with translation.override("en"):
        page.goto(live_site + story.get_url())
    english = page.locator(".block-quote__speaker").first
    assert english.evaluate("el => getComputedStyle(el).fontStyle") == "italic"
