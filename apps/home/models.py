from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from apps.core.models import SourceMixin, translated_api_fields, translated_search_fields


class HomePage(SourceMixin, Page):
    """The site root: an introduction and the doors into news, reports and the Charter."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    settings_panels = [*Page.settings_panels, *SourceMixin.provenance_panels]
    search_fields = [*Page.search_fields, *translated_search_fields("intro")]
    api_fields = [*translated_api_fields("intro"), *SourceMixin.provenance_api_fields]

    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")
