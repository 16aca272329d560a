from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.db.models.functions import Cast
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.models import Page, ReferenceIndex
from wagtail.search import index

from apps.core.blocks import RICH_TEXT_FEATURES
from apps.core.listing import parse_int
from apps.core.models import translated_api_fields
from apps.core.pages import BasePage, IndexPageMixin, specific_of_joined
from apps.core.prepared import Prepared
from apps.core.text import normalise_space
from apps.core.visibility import public_pages


class CharterIndexPage(IndexPageMixin, BasePage):
    parent_page_types = ["home.HomePage"]  # a string: apps.home imports this module
    subpage_types = ["charter.CharterProvisionPage"]  # declared below

    class Meta:
        verbose_name = _("Charter index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["provisions"] = public_pages(CharterProvisionPage.objects.child_of(self)).order_by(
            "article"
        )
        return context


class CharterProvisionPage(BasePage):
    """One article of the Charter of the United Nations: the official text and a commentary."""

    article = models.PositiveSmallIntegerField(_("article"), unique=True)
    chapter = models.CharField(_("chapter"), max_length=255, blank=True)
    text = models.TextField(_("official text"), blank=True)
    commentary = RichTextField(_("commentary"), blank=True, features=RICH_TEXT_FEATURES)

    content_panels = [
        *BasePage.content_panels,
        FieldPanel("article"),
        FieldPanel("chapter"),
        FieldPanel("text"),
        FieldPanel("commentary"),
    ]
    search_fields = [*BasePage.search_fields, index.FilterField("article")]
    api_fields = [
        APIField("article"),
        *translated_api_fields("chapter", "text", "commentary"),
        *BasePage.api_fields,
    ]

    parent_page_types = [CharterIndexPage]
    subpage_types = []
    card_summary_field = "text"
    required_in_source_language = ["text"]

    class Meta:
        ordering = ["article"]
        verbose_name = _("Charter provision")

    # Pages that cite a provision, by page of CITED_BY_PAGE_SIZE: an article such as 33
    # is cited by a growing part of the archive.
    CITED_BY_PAGE_SIZE = 10

    def citing_pages(self):
        """Public pages that quote, link to or refer to this provision, newest first."""
        return citing_pages_of(self.pk, str(self.pk))

    def cited_by(self, request):
        """One page of ``citing_pages()`` for the ``page`` query parameter (the first
        when it is missing or malformed; past the end, none), read in one query:
        ``(pages, previous, next)``, the numbers of the neighbouring pages or ``None``.
        The first page, which nearly every reader sees, is a prepared query."""
        number = parse_int(request.GET.get("page")) or 1
        size = self.CITED_BY_PAGE_SIZE
        if number == 1:
            rows = FIRST_CITING_PAGES(self.pk, str(self.pk))
        else:
            start = (number - 1) * size
            rows = list(self.citing_pages()[start : start + size + 1])
        pages = [specific_of_joined(row, CITING_TYPES) for row in rows[:size]]
        return (
            pages,
            (number - 1 if number > 1 else None),
            (number + 1 if len(rows) > size else None),
        )

    def schema_org(self, request):
        """A ``Legislation``: the article, part of the Charter of the United Nations,
        with its official text."""
        return {
            "@type": "Legislation",
            "name": self.title,
            "legislationIdentifier": gettext("Charter of the United Nations, Article %(number)s")
            % {"number": self.article},
            "isPartOf": {"@type": "Legislation", "name": gettext("Charter of the United Nations")},
            "text": normalise_space(self.text or ""),
        }

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        cited_by, previous_page, next_page = self.cited_by(request)
        context.update(cited_by=cited_by, cited_by_previous=previous_page, cited_by_next=next_page)
        return context


# The page types that cite provisions, read with the citing page in the same query.
CITING_TYPES = ("newsstorypage", "reportpage", "topicpage", "charterprovisionpage")


def citing_pages_of(provision_id, provision_key):
    """Public pages that quote, link to or refer to the provision ``provision_id``
    (``provision_key``: the same id as text, as the reference index keeps it), newest
    first: one query (the reference index and the stories' links are subqueries)."""
    page_type = ContentType.objects.get_for_model(Page)
    referring = ReferenceIndex.objects.filter(
        to_content_type=page_type, to_object_id=provision_key, base_content_type=page_type
    ).values(page_id=Cast("object_id", models.IntegerField()))
    # From the stories' link table alone: through the stories' own table, PostgreSQL
    # read all 50,000 of them to find the 10,000 that cite Article 33 (37 ms).
    links = CharterProvisionPage.newsstorypage_set.through.objects
    stories = links.filter(charterprovisionpage=provision_id).values("newsstorypage_id")
    citing = Q(pk__in=referring) | Q(pk__in=stories)
    return (
        public_pages(Page.objects.filter(citing).exclude(pk=provision_id))
        .select_related(*CITING_TYPES)
        .order_by("-first_published_at", "path")
    )


def first_citing_pages(provision_id, provision_key):
    """The first page of "Pages that cite this article", and one more row (is there a
    next page?)."""
    size = CharterProvisionPage.CITED_BY_PAGE_SIZE
    return citing_pages_of(provision_id, provision_key)[: size + 1]


# Built and compiled once per process and language: 112 columns of five tables, which
# took the ORM longer to compose than PostgreSQL to run.
FIRST_CITING_PAGES = Prepared(first_citing_pages, kinds=(int, str))
