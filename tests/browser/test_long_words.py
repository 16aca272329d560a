"""A 240-character word in a title and a lead wraps on a phone instead of widening the page."""

import datetime

from django.utils import translation

import pytest
from factories import NewsStoryFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

ENGLISH_WORD = ("Peacemediation" * 20)[:240]
ARABIC_WORD = ("الوساطة" * 40)[:240]


@pytest.fixture
def long_word_pages(live_server, news_section):
    story = NewsStoryFactory(
        parent=news_section,
        title_en=ENGLISH_WORD,
        title_ar=ARABIC_WORD,
        slug_en="long-word",
        slug_ar="kalima",
        date=datetime.date(2024, 5, 1),
        source_en=ENGLISH_WORD,
        lead_en=f"<p>Before {ENGLISH_WORD} after.</p>",
        lead_ar=f"<p>قبل {ARABIC_WORD} بعد.</p>",
    )
    paths = []
    for page in (story, news_section):
        for language in ("en", "ar"):
            with translation.override(language):
                paths.append((language, page.get_url()))
    return live_server.url, paths


def test_long_words_wrap_at_phone_width_in_both_languages(browser, long_word_pages):
    base, paths = long_word_pages
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        overflowing = []
        for language, path in paths:
            response = page.goto(base + path)
            assert response.status == 200, path
            word = ARABIC_WORD if language == "ar" else ENGLISH_WORD
            assert page.locator(f"text={word[:40]}").first.is_visible(), path
            widths = page.evaluate(
                "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
            )
            if widths[0] > widths[1]:
                overflowing.append((path, widths))
        assert overflowing == []
    finally:
        context.close()
