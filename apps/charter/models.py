from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.models import Page, ReferenceIndex
from wagtail.search import index

from apps.core.blocks import RICH_TEXT_FEATURES
from apps.core.models import translated_api_fields, translated_search_fields
from apps.core.pages import BasePage, IndexPageMixin
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
    search_fields = [
        *BasePage.search_fields,
        index.FilterField("article"),
        *translated_search_fields("text", "commentary", "chapter"),
    ]
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

    def citing_pages(self):
        """Public pages that quote, link to or refer to this provision."""
        page_type = ContentType.objects.get_for_model(Page)
        referring = ReferenceIndex.get_references_to(self).filter(base_content_type=page_type)
        ids = {int(pk) for pk in referring.values_list("object_id", flat=True)}
        ids |= set(self.newsstorypage_set.values_list("pk", flat=True))
        return (
            public_pages(Page.objects.filter(pk__in=ids).exclude(pk=self.pk))
            .specific()
            .order_by("-first_published_at")
        )
