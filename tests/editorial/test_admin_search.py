"""The admin's page search, its explorer's search and the page chooser find pages by
their titles in Wagtail's index (``autocomplete`` on ``title``), which is all that
index holds of a page: its text is searched through the site's own documents."""

from django.urls import reverse

from apps.news.models import NewsStoryPage
from apps.search.models import SearchDocument

STORY = "news/un-must-lead-way-in-conflict-mediation"


def found(response):
    assert response.status_code == 200
    return response.content.decode()


def test_the_admin_finds_a_story_by_the_words_of_its_title(site, client, editor):
    story = NewsStoryPage.objects.get(content_key=STORY)
    client.force_login(editor)
    search = found(client.get(reverse("wagtailadmin_pages:search"), {"q": "conflict mediat"}))
    assert reverse("wagtailadmin_pages:edit", args=[story.pk]) in search
    explorer = reverse("wagtailadmin_explore", args=[story.get_parent().pk])
    listing = found(client.get(explorer, {"q": "conflict mediat"}))
    assert reverse("wagtailadmin_pages:edit", args=[story.pk]) in listing
    chooser = found(client.get(reverse("wagtailadmin_choose_page_search"), {"q": "conflict"}))
    assert f'data-id="{story.pk}"' in chooser or f"/{story.pk}/" in chooser
    nothing = found(client.get(reverse("wagtailadmin_pages:search"), {"q": "zzzunmatched"}))
    assert reverse("wagtailadmin_pages:edit", args=[story.pk]) not in nothing


def test_the_text_of_a_story_is_in_its_search_documents_not_in_wagtails_index(site):
    story = NewsStoryPage.objects.get(content_key=STORY)
    title = set(story.title_en.lower().split())
    text = SearchDocument.objects.get(page=story, language="en").plain_text
    word = next(w for w in text.lower().split() if w.isalpha() and len(w) > 7 and w not in title)
    assert SearchDocument.objects.filter(page=story, text__icontains=word[:6]).exists()
    assert story.pk not in [page.pk for page in NewsStoryPage.objects.search(word)]
    assert story.pk in [page.pk for page in NewsStoryPage.objects.search("mediation")]
