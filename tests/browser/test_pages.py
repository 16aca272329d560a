"""Each page type in both languages, as a browser shows it.

The first test also takes a full-page screenshot of each: ``make screenshots`` runs
it with ``SCREENSHOTS_DIR=docs/screenshots``; in the suite the pictures go to a
temporary folder and are checked for being real images of the right page.
"""

import json
import os
from pathlib import Path

from django.utils import translation

import pytest
from PIL import Image

from apps.news.models import NewsStoryPage

from .conftest import page_urls

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_every_page_type_has_the_right_direction_and_no_axe_violations(
    live_site, page, axe, tmp_path
):
    screenshots = Path(os.environ.get("SCREENSHOTS_DIR") or tmp_path)
    screenshots.mkdir(parents=True, exist_ok=True)
    urls = page_urls()
    assert {kind for kind, _lang, _url in urls} >= {
        "HomePage",
        "NewsStoryPage",
        "ReportPage",
        "CharterProvisionPage",
        "TopicPage",
    }
    problems = []
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    for kind, language, path in urls:
        response = page.goto(live_site + path)
        assert response.status == 200, path
        html = page.locator("html")
        assert html.get_attribute("lang") == language, path
        assert html.get_attribute("dir") == ("rtl" if language == "ar" else "ltr"), path
        # The layout really mirrors: in Arabic the brand sits to the right of the switcher.
        brand = page.locator(".site-header__brand").bounding_box()
        switcher = page.locator(".language-switcher").bounding_box()
        assert (brand["x"] > switcher["x"]) == (language == "ar"), path
        page.add_script_tag(path=str(axe))
        result = page.evaluate("async () => await axe.run(document)")
        for violation in result["violations"]:
            nodes = [node["target"] for node in violation["nodes"]][:3]
            problems.append(f"{kind} ({language}) {path}: {violation['id']} {json.dumps(nodes)}")
        # Lazy images below the fold are loaded before the picture is taken.
        page.evaluate(
            "document.querySelectorAll('img[loading=lazy]').forEach(i => i.loading='eager')"
        )
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(screenshots / f"{kind}-{language}.png"), full_page=True)
    assert problems == []
    written = sorted(screenshots.glob("*.png"))
    assert [file.stem for file in written] == sorted(f"{k}-{lang}" for k, lang, _p in urls)
    for file in written:
        with Image.open(file) as image:
            assert image.format == "PNG"
            assert image.width == 1280 and image.height >= 600, file.name
    # Fonts, styles and images all come from the site itself: no third-party request.
    assert requested and all(url.startswith(live_site) for url in requested), {
        url for url in requested if not url.startswith(live_site)
    }


def test_language_switcher_lands_on_the_same_page(live_site, page):
    story = NewsStoryPage.objects.get()
    with translation.override("en"):
        english = story.get_url()
    with translation.override("ar"):
        arabic = story.get_url()
    page.goto(live_site + english)
    page.locator('.language-switcher a[hreflang="ar"]').click()
    page.wait_for_load_state()
    assert page.url == live_site + arabic
    assert page.locator("h1").inner_text() == story.title_ar
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.locator('.language-switcher a[hreflang="en"]').click()
    page.wait_for_load_state()
    assert page.url == live_site + english


def test_keyboard_reaches_the_main_content(live_site, page):
    page.goto(live_site + "/ar/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert focused == "skip-link"
    assert page.locator(".skip-link").is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    # The next Tab continues inside the main content, not back in the header.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null")


def test_search_finds_an_arabic_word_typed_without_hamza(live_site, page):
    from apps.topics.models import TopicPage

    topic = TopicPage.objects.get()
    with translation.override("ar"):
        topic_url = topic.get_url()
    page.goto(live_site + "/ar/")
    # Arabic is not on the emulated keyboard: insert the text as an input method would.
    page.locator("#site-search").click()
    page.keyboard.insert_text("الامين")  # written without the hamza of «الأمين»
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/ar/search/" in page.url
    assert page.locator("html").get_attribute("dir") == "rtl"
    links = page.locator(".search-results .card__title a")
    assert topic_url in [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert page.locator(".search-results mark").first.inner_text() == "الأمين"
