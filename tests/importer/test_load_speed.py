"""The loader at archive scale: a per-page cost that does not grow with the archive,
and the indexes complete after a run, updated once at its end."""

import datetime
from io import StringIO
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.db.models.signals import post_init
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from wagtail.models import Page, ReferenceIndex

import pytest

from apps.charter.models import CharterProvisionPage
from apps.core.pages import translated_slug_errors
from apps.importer.archive import ArchiveGenerator
from apps.news.models import NewsIndexPage, NewsStoryPage
from apps.people.models import Person
from apps.search.models import SearchDocument
from apps.topics.models import TopicPage

pytestmark = pytest.mark.django_db

N = 4
SEED = Path(settings.BASE_DIR) / "fixtures" / "source" / "000_e386c12eba7db6b5.txt"
SEED_TITLE = "UN must lead way in conflict mediation efforts worldwide, say top officials"


def import_queries(directory):
    with CaptureQueriesContext(connection) as queries:
        call_command("import_documents", str(directory), stdout=StringIO())
    return len(queries)


def stories(directory, numbers):
    """The seed story again under new titles (the same people, image and length)."""
    directory.mkdir()
    for number in numbers:
        text = SEED.read_text(encoding="utf-8").replace(SEED_TITLE, f"Story {number}: {SEED_TITLE}")
        (directory / f"story-{number}.txt").write_text(text, encoding="utf-8")
    return directory


def test_twice_the_stories_cost_at_most_twice_the_queries(site, tmp_path):
    warm_up = stories(tmp_path / "warm-up", [0])
    first = stories(tmp_path / "first", range(1, N + 1))
    second = stories(tmp_path / "second", range(N + 1, 3 * N + 1))
    import_queries(warm_up)  # the first import creates what every import shares
    queries_n = import_queries(first)
    queries_2n = import_queries(second)  # into an archive that has grown meanwhile
    assert NewsStoryPage.objects.count() == 1 + 1 + N + 2 * N
    assert queries_2n <= 2 * queries_n


def test_the_people_a_story_quotes_are_not_read_back(site, tmp_path):
    """The quotations' speakers are the people the run holds: no query reads a person
    by id while the stories are written, however many stories quote them."""
    import_queries(stories(tmp_path / "warm-up", [0]))  # the people exist from here on
    with CaptureQueriesContext(connection) as queries:
        call_command("import_documents", str(stories(tmp_path / "more", range(1, N + 1))))
    table = Person._meta.db_table
    rows = [q["sql"] for q in queries.captured_queries if f'WHERE "{table}"."id"' in q["sql"]]
    assert len(rows) == 1  # the run's one read of the people its documents name
    quoted = NewsStoryPage.objects.filter(title_en__startswith="Story 1:").get()
    speakers = [b.value["speaker"] for b in quoted.body_en if b.block_type == "quote"]
    assert speakers and all(isinstance(s, Person) for s in speakers)


def test_a_run_indexes_once_at_its_end(site, tmp_path, monkeypatch):
    directory = tmp_path / "archive"
    list(ArchiveGenerator(directory, seed=3).generate(N))  # stories in English and in Arabic
    monkeypatch.setattr("apps.search.tasks.update_documents", pytest.fail)
    monkeypatch.setattr("modelsearch.tasks.index.insert_or_update_object", pytest.fail)
    call_command("import_documents", str(directory), stdout=StringIO())
    imported = NewsStoryPage.objects.exclude(source_document__startswith="source/")
    assert imported.count() == N
    for story in imported:
        language = story.source_language
        assert SearchDocument.objects.filter(page=story, language=language).exists()
        assert NewsStoryPage.objects.search(getattr(story, f"title_{language}")).count() >= 1


def test_after_loading_a_story_is_found_in_both_languages_and_references_are_indexed(site, client):
    story = NewsStoryPage.objects.get(content_key="news/un-must-lead-way-in-conflict-mediation")
    for language in ("en", "ar"):
        with translation.override(settings.LANGUAGE_CODE):  # the request activates its own
            response = client.get(
                f"/{language}/search/", {"q": getattr(story, f"title_{language}")}
            )
        assert story.pk in [result["page"].pk for result in response.context["results"]]
    # The story's quotations name their speaker; a commentary of Article 99 links to a topic.
    speaker = Person.objects.get(name_en="Ban Ki-moon")
    assert ReferenceIndex.get_references_to(speaker).filter(object_id=str(story.pk)).exists()
    topic = TopicPage.objects.get(content_key="topics/good-offices-and-mediation")
    provision = CharterProvisionPage.objects.get(content_key="charter/article-99")
    assert ReferenceIndex.get_references_to(topic).filter(object_id=str(provision.pk)).exists()


def test_the_slug_check_asks_sql_and_loads_no_sibling(site):
    news = NewsIndexPage.objects.get()
    for number in range(5):
        sibling = NewsStoryPage(
            title_en=f"Sibling {number}",
            slug_en=f"sibling-{number}",
            date=datetime.date(2020, 1, 1),
        )
        news.add_child(instance=sibling)
    news.refresh_from_db()

    def placed(**slugs):
        """A new story where it would go under the news index, not saved."""
        page = NewsStoryPage(title="Another", **slugs)
        page.path, page.depth = news.path + "ZZZZ", news.depth + 1
        page._cached_parent_obj = news
        return page

    loaded = []
    post_init.connect(lambda instance, **kw: loaded.append(instance), weak=False, dispatch_uid="t")
    try:
        taken_in_english = translated_slug_errors(placed(slug_en="sibling-3", slug_ar="جديد"))
        # No Arabic slug: the English one is shown in Arabic too, and is taken there as well.
        taken_in_both = translated_slug_errors(placed(slug_en="sibling-1"))
        free = translated_slug_errors(placed(slug_en="sibling-9", slug_ar="جديد"))
        with pytest.raises(ValidationError) as raised:
            placed(slug_en="sibling-0").clean()  # what saving a page or the admin's form calls
    finally:
        post_init.disconnect(dispatch_uid="t")
    assert set(taken_in_english) == {"slug_en"}
    assert set(taken_in_both) == {"slug_en", "slug_ar"}
    assert free == {}
    assert "slug_en" in raised.value.message_dict
    assert not [p for p in loaded if isinstance(p, Page) and p.pk]  # siblings stay in SQL
