"""Per-language search documents: why a model of its own.

The obvious design, ``index.SearchField("search_text_en")`` and ``"search_text_ar"``
methods on every page searched with ``.search(..., fields=["search_text_ar"])``,
does not work with Wagtail's database backend (``modelsearch``): with ``fields`` the
PostgreSQL backend builds ``SearchVector`` over real columns of the page table, not
over indexed methods, and the SQLite backend can only restrict to the ``title`` and
``body`` columns of its FTS5 table. Without ``fields`` the backend folds all of a
page's search fields into one ``body``, so an Arabic query would match a page
through its English text. A ``SearchDocument`` row per page and language, filtered
on ``language`` (a ``FilterField``, i.e. a plain SQL ``WHERE``), works the same on
both databases and keeps each language's normalised text apart. The page models
keep their own ``search_fields`` for the admin's search.

Where the documents are matched and ranked depends on the database and the backend:

- PostgreSQL with the database backend: each document carries its own vectors,
  ``vector`` (the whole normalised text, under a GIN index: what a query matches) and
  ``rank_vector`` (the title, weight A, and the lead, weight B: what ranks), written
  with the document in the same statement (``apps.search.documents``) and queried with
  ``django.contrib.postgres.search``. Wagtail's index does not hold these documents
  there (``get_indexed_objects`` is empty): one index of the text, read without the
  join of its entries back to the documents by their ids as text.
- SQLite (development) with the database backend: Wagtail's FTS5 index holds the
  documents, ``title`` as its title column, ``text`` as its body.
- An external backend (Elasticsearch, OpenSearch; ``SEARCH_URL``): its index holds
  them, on either database.
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import connection, models
from django.utils.translation import gettext_lazy as _

from wagtail.search import index
from wagtail.search.backends import get_search_backend

from modelsearch.backends.elasticsearchbase import ElasticsearchBaseSearchBackend


def is_external():
    """Whether the search backend is an external index (Elasticsearch, OpenSearch)."""
    return isinstance(get_search_backend(), ElasticsearchBaseSearchBackend)


def stores_vectors():
    """Whether documents are matched and ranked by their own vector columns: on
    PostgreSQL, unless the search backend is an external index."""
    return connection.vendor == "postgresql" and not is_external()


class SearchDocument(index.Indexed, models.Model):
    """One page's searchable text in one language, normalised for search.

    Wagtail's database search backend indexes these documents (PostgreSQL full-text
    search in production); a query searches only the documents of the reader's
    language, so Arabic never matches English text and the other way round.
    """

    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    language = models.CharField(max_length=2)
    page_type = models.CharField(max_length=100)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    # The content's date (a story's, a report's): the newest matches are the ones
    # ranked. Pages without one (Charter provisions, topics) come before every dated one.
    date = models.DateField(null=True, blank=True)
    title = models.TextField(blank=True, default="", help_text=_("Normalised title."))
    text = models.TextField(help_text=_("Normalised text: what is indexed."))
    plain_text = models.TextField(
        blank=True, default="", help_text=_("The text as written: what result snippets show.")
    )
    # PostgreSQL only (``stores_vectors``); empty on SQLite.
    vector = SearchVectorField(null=True, editable=False)
    rank_vector = SearchVectorField(null=True, editable=False)

    search_fields = [
        index.SearchField("title", boost=2),
        index.SearchField("text"),
        index.FilterField("language"),
        index.FilterField("page_type"),
        index.FilterField("year"),
        index.FilterField("page_id"),
        index.FilterField("id"),
        index.FilterField("date"),
    ]

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["page", "language"], name="one_document_per_language")
        ]
        indexes = [
            models.Index(fields=["language", "year"], name="search_document_year"),
            # The newest matches first, walked in this order while each is checked
            # against the query; with a type, within that type. (DESC puts a null
            # date first on PostgreSQL, as the query asks.) On PostgreSQL a GIN index
            # on ``vector`` (migration 0004) serves the queries that match few.
            models.Index(fields=["language", "-date", "-id"], name="search_document_newest"),
            models.Index(
                fields=["language", "page_type", "-date", "-id"],
                name="search_document_type_newest",
            ),
        ]

    def __str__(self):
        return f"{self.page_id} [{self.language}]"

    @classmethod
    def get_indexed_objects(cls):
        """None on PostgreSQL with the database backend, where the documents'
        own columns are what is searched: no second index of the same text."""
        if stores_vectors():
            return cls.objects.none()
        return super().get_indexed_objects()
