from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page

from modelcluster.fields import ParentalKey

from apps.core.blocks import TopicBodyBlock
from apps.core.models import SourceMixin, translated_api_fields, translated_search_fields


class TopicPage(SourceMixin, Page):
    """A subject such as "Good offices and mediation": text, Charter quotations, documents."""

    intro = models.TextField(_("introduction"), blank=True)
    body = StreamField(TopicBodyBlock(), blank=True, verbose_name=_("body"))

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("body"),
        InlinePanel("related_reports", label=_("Documents")),
    ]
    settings_panels = [*Page.settings_panels, *SourceMixin.provenance_panels]
    search_fields = [*Page.search_fields, *translated_search_fields("intro", "body")]
    api_fields = [
        *translated_api_fields("intro", "body"),
        APIField("related_reports"),
        *SourceMixin.provenance_api_fields,
    ]

    parent_page_types = ["home.HomePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("topic")

    @property
    def reports(self):
        return [item.report for item in self.related_reports.all() if item.report.live]


class TopicReport(Orderable):
    """A report in a topic page's documents section, in the editor's order."""

    page = ParentalKey(TopicPage, on_delete=models.CASCADE, related_name="related_reports")
    report = models.ForeignKey(
        "reports.ReportPage", on_delete=models.CASCADE, related_name="topic_links"
    )

    panels = [FieldPanel("report")]
    api_fields = [APIField("report")]

    class Meta(Orderable.Meta):
        verbose_name = _("document")
        constraints = [
            models.UniqueConstraint(fields=["page", "report"], name="unique_topic_report"),
        ]
