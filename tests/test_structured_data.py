"""Breadcrumbs and schema.org structured data (JSON-LD) on every page, both languages."""

import json
import re

from django.utils import translation

import pytest
from factories import ImageFactory
from site_tree import PAGE_TYPES, url

from apps.charter.models import CharterProvisionPage
from apps.core.structured_data import json_ld
from apps.news.models import NewsStoryPage
from apps.reports.models import ReportPage
from apps.topics.models import TopicPage

pytestmark = pytest.mark.django_db


def graph(html):
    """The page's JSON-LD graph, by @type (exactly one script)."""
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(scripts) == 1
    data = json.loads(scripts[0])
    assert data["@context"] == "https://schema.org"
    return {item["@type"]: item for item in data["@graph"]}


def crumbs(html):
    nav = re.search(r'<nav class="breadcrumbs" aria-label="[^"]+">(.*?)</nav>', html, re.S)
    assert nav, "no breadcrumbs"
    return [
        (href or None, text.strip())
        for href, text in re.findall(
            r'<(?:a href="([^"]+)"|span aria-current="page")[^>]*>([^<]+)<', nav.group(1)
        )
    ]


def render(client, page, language):
    response = client.get(url(page, language))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize("model", PAGE_TYPES, ids=lambda model: model.__name__)
def test_every_page_has_breadcrumbs_the_site_and_its_search(site, client, model, language):
    page = model.objects.live().order_by("path").first()
    html = render(client, page, language)
    with translation.override(language):
        trail = [(url(step, language), step.title) for step in page.get_ancestors(True)[1:]]
        home = "Home" if language == "en" else "الرئيسية"
    expected = [(address, title) for address, title in trail]
    expected[0] = (expected[0][0], home)
    expected[-1] = (None, expected[-1][1])  # the page itself: not a link
    assert crumbs(html) == expected
    items = graph(html)
    site_item = items["WebSite"]
    assert site_item["url"] == f"http://testserver/{language}/"
    assert site_item["inLanguage"] == language
    action = site_item["potentialAction"]
    assert action["@type"] == "SearchAction"
    assert action["target"]["urlTemplate"] == (
        f"http://testserver/{language}/search/?q={{search_term_string}}"
    )
    assert action["query-input"] == "required name=search_term_string"
    listed = items["BreadcrumbList"]["itemListElement"]
    assert [item["position"] for item in listed] == list(range(1, len(expected) + 1))
    assert [item["name"] for item in listed] == [name for _address, name in expected]
    assert listed[-1]["item"] == "http://testserver" + url(page, language)


@pytest.mark.parametrize("language", ["en", "ar"])
def test_a_story_is_a_news_article(site, client, language):
    story = NewsStoryPage.objects.get()
    item = graph(render(client, story, language))["NewsArticle"]
    with translation.override(language):
        assert item["headline"] == story.title
        assert item["author"] == [{"@type": "Organization", "name": story.source}]
    assert item["url"] == "http://testserver" + url(story, language)
    assert item["inLanguage"] == language
    assert item["datePublished"] == "2011-11-09"
    assert item["dateModified"].startswith(str(story.last_published_at.date()))
    assert item["publisher"] == {"@id": f"http://testserver/{language}/#publisher"}
    # The fixtures' photographs are placeholders: no image is claimed.
    assert "image" not in item


def test_a_story_names_its_image_only_when_it_is_a_real_photograph(site, client):
    story = NewsStoryPage.objects.get()
    # The seed's credit line has no photograph: the article claims no image.
    assert "image" not in graph(render(client, story, "en"))["NewsArticle"]
    photo = ImageFactory()
    raw = [{"type": "image", "value": {"image": photo.pk, "caption": ""}}]
    story.body_en = raw + list(story.body_en.raw_data)
    story.save_revision().publish()
    claimed = graph(render(client, story, "en"))["NewsArticle"]["image"]
    assert len(claimed) == 1 and claimed[0].startswith("http://testserver/")
    assert ".format-webp." in claimed[0] or claimed[0].endswith(".webp")


@pytest.mark.parametrize("language", ["en", "ar"])
def test_a_report_has_its_symbol_as_identifier(site, client, language):
    report = ReportPage.objects.get(symbol="S/2015/730")
    item = graph(render(client, report, language))["Report"]
    assert item["identifier"] == item["reportNumber"] == "S/2015/730"
    assert item["datePublished"] == "2015-09-25"
    assert item["sameAs"] == f"https://docs.un.org/{language}/S/2015/730"
    assert item["inLanguage"] == language
    with translation.override(language):
        assert item["name"] == report.title
    assert item["author"]["@type"] == "Organization"


@pytest.mark.parametrize("language", ["en", "ar"])
def test_a_charter_article_is_legislation(site, client, language):
    provision = CharterProvisionPage.objects.get(article=99)
    item = graph(render(client, provision, language))["Legislation"]
    names = {"en": "Charter of the United Nations", "ar": "ميثاق الأمم المتحدة"}
    assert item["isPartOf"] == {"@type": "Legislation", "name": names[language]}
    assert "99" in item["legislationIdentifier"]
    with translation.override(language):
        assert item["name"] == provision.title
        assert item["text"] == " ".join(provision.text.split())


@pytest.mark.parametrize("language", ["en", "ar"])
def test_search_and_missing_pages_have_breadcrumbs(site, client, language):
    html = client.get(f"/{language}/search/?q=mediation").content.decode()
    search = "Search" if language == "en" else "بحث"
    assert crumbs(html)[-1] == (None, search)
    listed = graph(html)["BreadcrumbList"]["itemListElement"]
    assert listed[-1] == {
        "@type": "ListItem",
        "position": 2,
        "name": search,
        "item": f"http://testserver/{language}/search/",
    }
    missing = client.get(f"/{language}/no-such-page/")
    assert missing.status_code == 404
    assert crumbs(missing.content.decode())[0] == (f"/{language}/", crumbs(html)[0][1])


def test_structured_data_cannot_end_its_script_element():
    html = str(json_ld({"name": "</script><script>alert(1)</script> & more"}))
    assert html.count("</script>") == 1
    assert "\\u003C/script\\u003E" in html and "\\u0026 more" in html


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_first_image_of_a_page_loads_at_once_the_others_lazily(site, client, language):
    topic = TopicPage.objects.get()
    for language_code in ("en", "ar"):  # photographs for the seed's two credit lines
        body = list(getattr(topic, f"body_{language_code}").raw_data)
        for block in (b for b in body if b["type"] == "image"):
            block["value"]["image"] = ImageFactory().pk
        setattr(topic, f"body_{language_code}", body)
    topic.save_revision().publish()
    html = render(client, topic, language)
    images = re.findall(r"<img [^>]*>", html)
    assert len(images) == 2
    assert 'loading="eager"' in images[0] and 'fetchpriority="high"' in images[0]
    assert 'loading="lazy"' in images[1] and "fetchpriority" not in images[1]
