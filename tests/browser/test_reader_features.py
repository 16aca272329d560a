"""What a reader meets, in Chromium, in both languages: the official document one click
from a report, a topic hub, the search keeping its place across languages, the header
on a phone, and a focus ring that can be seen on every background."""

import re
from urllib.parse import unquote

from django.utils import translation

import pytest

from apps.news.models import NewsStoryPage
from apps.reports.models import ReportPage
from apps.topics.models import TopicPage

from .conftest import page_urls

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

LANGUAGES = ["en", "ar"]


def address(page, language):
    with translation.override(language):
        return page.get_url()


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_report_leads_to_its_official_document_in_the_readers_language(live_site, page, language):
    report = ReportPage.objects.get(symbol="S/2015/730")
    official = f"https://docs.un.org/{language}/S/2015/730"
    # The document system is not asked: the test answers for it.
    page.route(
        "https://docs.un.org/**",
        lambda route: route.fulfill(status=200, content_type="text/html", body="<p>ODS</p>"),
    )
    page.goto(live_site + address(report, language))
    languages = page.locator(".official-document__languages a")
    assert languages.count() == 6
    assert languages.first.get_attribute("hreflang") == language
    link = page.locator(".official-document__main a")
    assert link.get_attribute("href") == official
    with page.expect_navigation():
        link.click()
    assert page.url == official


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_topic_hub_lists_the_story(live_site, page, language):
    topic, story = TopicPage.objects.get(), NewsStoryPage.objects.get()
    page.goto(live_site + address(topic, language))
    hub = page.locator("#on-topic").locator("xpath=..")
    links = hub.locator(".card__title a")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert address(story, language) in hrefs
    page.goto(live_site + address(story, language))
    more = page.locator(".more-on-topic .card__title a")
    assert more.count() >= 1


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_language_switcher_on_a_search_page_keeps_the_query(live_site, page, language):
    other = "ar" if language == "en" else "en"
    page.goto(f"{live_site}/{language}/search/?q=mediation&type=reports")
    assert page.locator("#site-search").input_value() == "mediation"
    with page.expect_navigation():
        page.locator(f'.language-switcher a[hreflang="{other}"]').click()
    assert page.url == f"{live_site}/{other}/search/?q=mediation&type=reports"
    assert page.locator("html").get_attribute("lang") == other
    assert page.locator("#site-search").input_value() == "mediation"
    assert page.locator("#search-type").input_value() == "reports"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_header_on_a_phone_leaves_the_screen_to_the_content(browser, live_site, language):
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    page = context.new_page()
    try:
        for kind, lang, path in page_urls():
            if lang != language:
                continue
            page.goto(live_site + path)
            header = page.locator(".site-header").bounding_box()
            content = page.locator("main > *").first.bounding_box()
            assert header["height"] <= 80, (kind, header)
            assert content["y"] <= 120, (kind, content)
            # No horizontal scrolling, in either direction.
            assert page.evaluate("document.documentElement.scrollWidth") <= 390, kind
        # The sections are behind the menu button, which the keyboard opens (no
        # JavaScript on this page), and reachable with Tab once it is open.
        page.goto(live_site + f"/{language}/")
        nav = page.locator(".site-nav a").first
        assert not nav.is_visible()
        button = page.locator(".site-menu__button")
        brand, menu = page.locator(".site-header__brand").bounding_box(), button.bounding_box()
        assert (brand["x"] > menu["x"]) == (language == "ar")
        button.focus()
        page.keyboard.press("Enter")
        assert nav.is_visible()
        assert page.locator("#site-search").is_visible()
        focused = []
        for _ in range(12):
            page.keyboard.press("Tab")
            focused.append(page.evaluate("document.activeElement.closest('.site-nav') !== null"))
        assert any(focused)
        button.focus()
        page.keyboard.press("Enter")
        assert not nav.is_visible()
    finally:
        context.close()


def test_on_a_wide_screen_the_menu_is_always_open(live_site, page):
    page.goto(live_site + "/en/")
    assert not page.locator(".site-menu__button").is_visible()
    assert page.locator(".site-nav a").first.is_visible()
    assert page.locator("#site-search").is_visible()
    # And the keyboard reaches them: the search box, then the languages and sections.
    reached = []
    for _ in range(10):
        page.keyboard.press("Tab")
        reached.append(
            page.evaluate(
                "document.activeElement.closest('header') && "
                "(document.activeElement.id || "
                "document.activeElement.closest('nav')?.className)"
            )
        )
    assert "site-search" in reached and "site-nav" in reached


# The focus ring and what lies behind it, from computed styles: the ring is drawn
# outside the element (outline-offset), so what is behind it is what the page shows
# at the ring's four sides (elementsFromPoint), the element itself left aside.
FOCUS_RING = """
() => {
    const element = document.activeElement;
    const style = getComputedStyle(element);
    const parse = (colour) => {
        const m = colour.match(/rgba?\\(([\\d.]+),? ([\\d.]+),? ([\\d.]+)(?:,? \\/? ?([\\d.]+))?/);
        return m ? [+m[1], +m[2], +m[3], m[4] === undefined ? 1 : +m[4]] : null;
    };
    const backgroundAt = (x, y) => {
        x = Math.min(Math.max(x, 0), innerWidth - 1);
        y = Math.min(Math.max(y, 0), innerHeight - 1);
        for (const node of document.elementsFromPoint(x, y)) {
            if (node === element || element.contains(node)) continue;
            const colour = parse(getComputedStyle(node).backgroundColor);
            if (colour && colour[3] > 0) return colour;
        }
        return [255, 255, 255, 1];
    };
    element.scrollIntoView({block: "center", inline: "center"});
    const box = element.getBoundingClientRect();
    const away = parseFloat(style.outlineOffset) + parseFloat(style.outlineWidth) / 2;
    const middleX = box.left + box.width / 2, middleY = box.top + box.height / 2;
    return {
        tag: element.tagName + (element.className ? "." + element.className : ""),
        text: (element.innerText || element.value || "").slice(0, 30),
        style: style.outlineStyle,
        width: parseFloat(style.outlineWidth),
        ring: parse(style.outlineColor),
        behind: [
            backgroundAt(box.left - away, middleY),
            backgroundAt(box.right + away, middleY),
            backgroundAt(middleX, box.top - away),
            backgroundAt(middleX, box.bottom + away),
        ],
    };
}
"""


def luminance(rgb):
    def channel(value):
        value /= 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(value) for value in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(one, two):
    lighter, darker = sorted((luminance(one), luminance(two)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


@pytest.mark.parametrize("width", [1280, 390])
def test_the_focus_ring_contrasts_three_to_one_with_every_background(browser, live_site, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    problems, measured = [], 0
    try:
        paths = [path for _kind, _language, path in page_urls()]
        paths += ["/en/search/?q=mediation", "/ar/search/?q=mediation"]
        for path in paths:
            page.goto(live_site + path)
            if width < 768:
                page.locator(".site-menu__button").click()  # the menu's links too
            page.locator("body").focus()
            seen = set()
            for _ in range(150):
                page.keyboard.press("Tab")
                ring = page.evaluate(FOCUS_RING)
                key = (ring["tag"], ring["text"])
                if key in seen or ring["tag"] == "BODY":
                    break
                seen.add(key)
                measured += 1
                ratio = min(contrast(ring["ring"], behind) for behind in ring["behind"])
                if ring["style"] == "none" or ring["width"] < 2 or ratio < 3:
                    problems.append(
                        f"{path} {key}: {ring['style']} {ring['width']}px {ratio:.2f}:1"
                    )
    finally:
        context.close()
    assert measured > 50
    assert problems == []


def test_share_links_are_plain_links_and_nothing_is_fetched_from_elsewhere(live_site, page):
    story = NewsStoryPage.objects.get()
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(live_site + address(story, "ar"))
    links = page.locator(".share__links a")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert [re.match(r"[a-z]+:(//[^/]+)?", href).group() for href in hrefs] == [
        "mailto:",
        "https://x.com",
        "https://www.facebook.com",
        "https://www.linkedin.com",
        "https://wa.me",
    ]
    # The address to copy is the page's own (its full URL, from SITE_URL), as written.
    shown = page.locator("#share-address").input_value()
    assert shown.endswith(unquote(address(story, "ar"))) and "%D8" not in shown
    assert all(url.startswith(live_site) for url in requested)
