from django.db import models
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

    def __str__(self):
        return f"{self.page_id} [{self.language}]"
