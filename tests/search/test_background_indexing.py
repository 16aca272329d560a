"""Publishing queues its indexing: with TASKS_BACKEND=database a publish request
writes the page and a queue of tasks, and the worker (``db_worker``) builds the
search documents and Wagtail's index afterwards; the immediate backend of
development and tests runs the same tasks at once."""

from django.core.exceptions import ImproperlyConfigured

import pytest
from django_tasks_db.models import DBTaskResult

from apps.search.models import SearchDocument
from mediation_site.settings.base import tasks_setting
from tests.factories import HomePageFactory, NewsIndexFactory, NewsStoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def news(db):
    return NewsIndexFactory(parent=HomePageFactory.as_site_root())


def found(client, language, query):
    return client.get(f"/{language}/search/", {"q": query}).content.decode()


def test_publishing_queues_the_indexing_and_the_worker_does_it(client, news, worker):
    story = NewsStoryFactory(
        parent=news, title_en="Envoys meet in Geneva", title_ar="لقاء المبعوثين"
    )
    # The publication is written; its search documents wait in the queue.
    assert not SearchDocument.objects.filter(page=story).exists()
    waiting = DBTaskResult.objects.filter(status="READY")
    assert "apps.search.tasks.refresh_search_documents" in set(
        waiting.values_list("task_path", flat=True)
    )
    assert story.url not in found(client, "en", "Geneva")

    worker()
    assert not DBTaskResult.objects.exclude(status="SUCCESSFUL").exists()
    assert set(SearchDocument.objects.filter(page=story).values_list("language", flat=True)) == {
        "en",
        "ar",
    }
    assert "Envoys meet in Geneva" in found(client, "en", "Geneva")
    assert "لقاء المبعوثين" in found(client, "ar", "المبعوثين")

    story.unpublish()
    assert SearchDocument.objects.filter(page=story).exists()  # until the worker runs
    worker()
    assert not SearchDocument.objects.filter(page=story).exists()
    assert "Envoys meet in Geneva" not in found(client, "en", "Geneva")


def test_a_task_for_a_page_deleted_meanwhile_removes_its_documents(news, worker):
    story = NewsStoryFactory(parent=news, title_en="Short-lived")
    story.delete()
    worker()
    # (Wagtail's own index tasks for the page fail with DoesNotExist and are recorded
    # as failed; its delete handlers have already removed the page's index entries.)
    ours = DBTaskResult.objects.filter(task_path="apps.search.tasks.refresh_search_documents")
    assert set(ours.values_list("status", flat=True)) == {"SUCCESSFUL"}
    assert not SearchDocument.objects.filter(page_id=story.pk).exists()


def test_the_immediate_backend_indexes_at_once(news):
    story = NewsStoryFactory(parent=news, title_en="Indexed at once")
    assert SearchDocument.objects.filter(page=story).count() == 2
    assert not DBTaskResult.objects.exists()


def test_an_unknown_backend_is_named():
    with pytest.raises(
        ImproperlyConfigured, match=r"TASKS_BACKEND='redis' is not one of: immediate, database"
    ):
        tasks_setting("redis")
