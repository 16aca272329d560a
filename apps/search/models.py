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
"""

from django.db import models
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _

from wagtail.search import index


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
    text = models.TextField(help_text=_("Normalised text: what is indexed."))
    plain_text = models.TextField(
        blank=True, default="", help_text=_("The text as written: what result snippets show.")
    )

    search_fields = [
        index.SearchField("text"),
        index.FilterField("language"),
        index.FilterField("page_type"),
        index.FilterField("year"),
        index.FilterField("page_id"),
    ]

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["page", "language"], name="one_document_per_language")
        ]
        indexes = [
            models.Index(fields=["language", "year"], name="search_document_year"),
            # Wagtail's index entries name their object by its id as text: the join
            # from a matched entry back to its document looks this up.
            models.Index(
                Cast("id", models.CharField(max_length=50)), name="search_document_id_text"
            ),
        ]

    def __str__(self):
        return f"{self.page_id} [{self.language}]"
