from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from apps.core.blocks import RICH_TEXT_FEATURES
from apps.core.models import translated_api_fields, translated_search_fields
from apps.core.pages import SourceMixin
from apps.core.visibility import public_pages


class CharterIndexPage(SourceMixin, Page):
    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    settings_panels = [*Page.settings_panels, *SourceMixin.provenance_panels]
    search_fields = [*Page.search_fields, *translated_search_fields("intro")]
    api_fields = [*translated_api_fields("intro"), *SourceMixin.provenance_api_fields]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["charter.CharterProvisionPage"]
    max_count = 1

    class Meta:
        verbose_name = _("Charter index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["provisions"] = public_pages(CharterProvisionPage.objects.child_of(self)).order_by(
            "article"
        )
        return context


class CharterProvisionPage(SourceMixin, Page):
    """One article of the Charter of the United Nations: the official text and a commentary."""

    article = models.PositiveSmallIntegerField(_("article"), unique=True)
    chapter = models.CharField(_("chapter"), max_length=255, blank=True)
    text = models.TextField(_("official text"), blank=True)
    commentary = RichTextField(_("commentary"), blank=True, features=RICH_TEXT_FEATURES)

    content_panels = [
        *Page.content_panels,
        FieldPanel("article"),
        FieldPanel("chapter"),
        FieldPanel("text"),
        FieldPanel("commentary"),
    ]
    settings_panels = [*Page.settings_panels, *SourceMixin.provenance_panels]
    search_fields = [
        *Page.search_fields,
        index.FilterField("article"),
        *translated_search_fields("text", "commentary", "chapter"),
    ]
    api_fields = [
        APIField("article"),
        *translated_api_fields("chapter", "text", "commentary"),
        *SourceMixin.provenance_api_fields,
    ]

    parent_page_types = ["charter.CharterIndexPage"]
    subpage_types = []
    required_in_source_language = ["text"]

    class Meta:
        ordering = ["article"]
        verbose_name = _("Charter provision")

    def citing_pages(self):
        """Public pages that quote, link to or refer to this provision."""
        from django.contrib.contenttypes.models import ContentType

        from wagtail.models import ReferenceIndex

        page_type = ContentType.objects.get_for_model(Page)
        referring = ReferenceIndex.get_references_to(self).filter(base_content_type=page_type)
        ids = {int(pk) for pk in referring.values_list("object_id", flat=True)}
        ids |= set(self.newsstorypage_set.values_list("pk", flat=True))
        return (
            public_pages(Page.objects.filter(pk__in=ids).exclude(pk=self.pk))
            .specific()
            .order_by("-first_published_at")
        )
