from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.models import Orderable

from modelcluster.fields import ParentalKey

from apps.core.api_fields import PublicRelationField
from apps.core.blocks import TopicBodyBlock
from apps.core.models import translated_api_fields, translated_search_fields
from apps.core.pages import AttributionMixin, BasePage
from apps.core.visibility import with_public_flag


class TopicPage(AttributionMixin, BasePage):
    """A subject such as "Good offices and mediation": text, Charter quotations, documents."""

    natural_key_fields = ("source_document",)

    intro = models.TextField(_("introduction"), blank=True)
    body = StreamField(TopicBodyBlock(), blank=True, verbose_name=_("body"))

    content_panels = [
        *BasePage.content_panels,
        FieldPanel("intro"),
        FieldPanel("body"),
        InlinePanel("related_reports", label=_("Documents")),
        *AttributionMixin.attribution_panels,
    ]
    search_fields = [*BasePage.search_fields, *translated_search_fields("intro", "body")]
    api_fields = [
        *translated_api_fields("intro", "body"),
        *AttributionMixin.attribution_api_fields,
        # Documents the public may not see are left out.
        APIField(
            "related_reports", serializer=PublicRelationField(source="public_related_reports")
        ),
        *BasePage.api_fields,
    ]

    parent_page_types = ["home.HomePage"]  # a string: apps.home imports this module
    subpage_types = []
    card_summary_field = "intro"

    class Meta:
        verbose_name = _("topic")

    def public_related_reports(self):
        """The documents section as the public may see it (also in a preview, where the
        relation is a FakeQuerySet of the editor's unsaved choices)."""
        items = with_public_flag(self.related_reports.all(), "report")
        return [item for item in items if item.report_is_public]

    def public_reports(self):
        return [item.report for item in self.public_related_reports()]


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
