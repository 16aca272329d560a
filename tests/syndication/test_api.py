"""The Wagtail API v2: both languages of every type's fields, published content only."""

from wagtail.models import PageViewRestriction

import pytest
from factories import attach_photo

from apps.news.models import NewsStoryPage
from apps.reports.models import ReportPage
from apps.topics.models import TopicPage

pytestmark = pytest.mark.django_db

EXPECTED_FIELDS = {
    "news.NewsStoryPage": ["title_en", "title_ar", "lead_en", "lead_ar", "body_en", "body_ar"],
    "reports.ReportPage": ["symbol", "summary_en", "summary_ar", "mandates", "annexes"],
    "charter.CharterProvisionPage": ["article", "text_en", "text_ar", "commentary_ar"],
    "topics.TopicPage": ["intro_en", "intro_ar", "body_en", "body_ar", "related_reports"],
    "home.HomePage": ["intro_en", "intro_ar", "slug_ar"],
}


@pytest.mark.parametrize(("page_type", "fields"), EXPECTED_FIELDS.items())
def test_each_type_exposes_both_languages(client, site, page_type, fields):
    response = client.get(f"/api/v2/pages/?type={page_type}&fields=*")
    assert response.status_code == 200
    items = response.json()["items"]
    assert any(all(item.get(name) not in (None, "", []) for name in fields) for item in items)
    for item in items:
        assert {"title_en", "title_ar", "slug_en", "slug_ar"} <= set(item)


def test_story_body_is_serialised_per_language(client, site):
    item = client.get("/api/v2/pages/?type=news.NewsStoryPage&fields=*").json()["items"][0]
    assert item["body_en"][0]["type"] == "paragraph"
    assert any(block["type"] == "quote" for block in item["body_ar"])
    assert item["title_ar"].startswith("كبار المسؤولين")


def test_images_have_translated_credits(client, site):
    attach_photo(
        TopicPage.objects.get(),
        credit_en="UN Photo/Duncan Moore",
        credit_ar="صورة الأمم المتحدة: دنكان مور",
    )
    items = client.get("/api/v2/images/?fields=*").json()["items"]
    credits = {item["credit_en"]: item["credit_ar"] for item in items}
    assert credits["UN Photo/Duncan Moore"] == "صورة الأمم المتحدة: دنكان مور"


def test_api_shows_published_content_only(client, site):
    story = NewsStoryPage.objects.get()
    story.title_en = "An unpublished draft title"
    story.save_revision()  # a draft revision, not published
    report = ReportPage.objects.get(symbol="A/66/811")
    report.unpublish()
    other = ReportPage.objects.get(symbol="S/2015/730")
    PageViewRestriction.objects.create(page=other, restriction_type="password", password="x")

    response = client.get("/api/v2/pages/?limit=20")
    assert response.status_code == 200, response.content
    listing = response.json()["items"]
    ids = {item["id"] for item in listing}
    assert report.pk not in ids and other.pk not in ids
    for hidden in (report, other):
        response = client.get(f"/api/v2/pages/{hidden.pk}/")
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"
    detail = client.get(f"/api/v2/pages/{story.pk}/").json()
    assert detail["title_en"] != "An unpublished draft title"


def found(client, query, **params):
    response = client.get("/api/v2/pages/", {"search": query, "limit": 20, **params})
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["items"]}


def test_search_finds_pages_by_their_text_in_either_language(client, site):
    """``?search=`` looks in the pages' search documents (the site's search), not in
    Wagtail's index of pages, which holds titles only."""
    story = NewsStoryPage.objects.get()
    lead_word = "Secretary-General"  # in the story's English text, not in its title
    assert lead_word not in story.title_en
    assert story.pk in found(client, lead_word)
    # Arabic as the site's search folds it: a tatweel and a diacritic change nothing.
    assert story.pk in found(client, "كبـارُ المسؤولين")
    # Every word must match; a draft's words are not the public's.
    assert found(client, f"{lead_word} xyzzyplugh") == set()
    story.title_en = "Zanzibarian unpublished heading"
    story.save_revision()
    assert found(client, "Zanzibarian") == set()
    # The endpoint's own filters and order still apply.
    assert story.pk in found(client, lead_word, type="news.NewsStoryPage")
    assert story.pk not in found(client, lead_word, type="reports.ReportPage")
    ordered = client.get("/api/v2/pages/", {"search": lead_word, "order": "-id"}).json()
    ids = [item["id"] for item in ordered["items"]]
    assert ids == sorted(ids, reverse=True) and story.pk in ids
    # Wagtail's search_operator would be ignored here: it is refused by name.
    response = client.get("/api/v2/pages/", {"search": lead_word, "search_operator": "or"})
    assert response.status_code == 400
    assert "search_operator" in response.json()["message"]
