"""The search documents' background task: rebuilt after a page is published or
unpublished, in the worker when TASKS_BACKEND=database, at once otherwise. A rebuild
starts a new generation of the page cache, which the publication did already but
perhaps before the worker ran: search pages and the year options cached meanwhile are
dropped with it."""

from wagtail.models import Page

from django_tasks import task

from apps.core.page_cache import bump_generation

from .documents import update_documents
from .models import SearchDocument


@task()
def refresh_search_documents(page_id):
    """(Re)build the documents of page ``page_id`` as the database holds it when the
    task runs: a live page's text, none for a page unpublished or deleted since."""
    page = Page.objects.filter(pk=page_id).first()
    if page is None:
        SearchDocument.objects.filter(page_id=page_id).delete()
    else:
        update_documents(page)
    bump_generation()
