from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.api import APIField
from wagtail.models import Orderable
from wagtail.search import index

from modelcluster.fields import ParentalKey

from apps.core.listing import FilteredIndexMixin, ListingFilter, topic_filter, year_filter
from apps.core.models import translated, translated_api_fields, translated_search_fields
from apps.core.pages import AttributionMixin, BasePage, IndexPageMixin
from apps.core.visibility import public_pages
from apps.topics.models import TopicPage


class ReportIndexPage(FilteredIndexMixin, IndexPageMixin, BasePage):
    parent_page_types = ["home.HomePage"]  # a string: apps.home imports this module
    subpage_types = ["reports.ReportPage"]  # declared below

    class Meta:
        verbose_name = _("report index")

    def listed_pages(self):
        reports = public_pages(ReportPage.objects.child_of(self))
        return reports.order_by("-date", "-first_published_at")

    def listing_filters(self, reports):
        topics = public_pages(TopicPage.objects.filter(related_reports__report__in=reports))
        mandate = ListingFilter(
            "mandate",
            _("Mandated by"),
            _("Any organ"),
            ReportMandate.BODY_CHOICES,
            "mandates__body",
            numeric=False,
        )
        return [year_filter(reports), mandate, topic_filter(topics.distinct(), "topic_links__page")]


class ReportPage(AttributionMixin, BasePage):
    """A report of the Secretary-General: summary, symbol, mandates, annexes, PDFs."""

    natural_key_fields = ("symbol", "summary")

    symbol = models.CharField(
        _("document symbol"),
        max_length=64,
        unique=True,
        null=True,
        blank=True,
        help_text=_("The UN document symbol, e.g. S/2015/730."),
    )
    date = models.DateField(_("date"), null=True, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("PDF"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    content_panels = [
        *BasePage.content_panels,
        FieldPanel("symbol"),
        FieldPanel("date"),
        FieldPanel("summary"),
        InlinePanel("mandates", label=_("Mandating resolutions")),
        InlinePanel("annexes", label=_("Annexes")),
        FieldPanel("document"),
        *AttributionMixin.attribution_panels,
    ]
    search_fields = [
        *BasePage.search_fields,
        index.SearchField("symbol", boost=3),
        index.FilterField("date"),
        *translated_search_fields("summary"),
    ]
    api_fields = [
        APIField("symbol"),
        APIField("date"),
        *translated_api_fields("summary", "document"),
        *AttributionMixin.attribution_api_fields,
        APIField("mandates"),
        APIField("annexes"),
        *BasePage.api_fields,
    ]

    parent_page_types = [ReportIndexPage]
    subpage_types = []
    card_summary_field = "summary"
    required_in_source_language = ["summary"]

    class Meta:
        verbose_name = _("report")

    def save(self, *args, **kwargs):
        self.symbol = (self.symbol or "").strip() or None
        super().save(*args, **kwargs)

    @property
    def card_label(self):
        return self.symbol

    @property
    def card_date(self):
        return self.date

    def public_topics(self):
        """The topic pages listing this report, those the public may see."""
        return public_pages(TopicPage.objects.filter(related_reports__report=self.pk)).order_by(
            "path"
        )


class ReportMandate(Orderable):
    """A resolution that asked for the report, e.g. General Assembly 65/283."""

    GENERAL_ASSEMBLY = "GA"
    SECURITY_COUNCIL = "SC"
    BODY_CHOICES = [
        (GENERAL_ASSEMBLY, _("General Assembly")),
        (SECURITY_COUNCIL, _("Security Council")),
    ]
    SYMBOL_PREFIX = {GENERAL_ASSEMBLY: "A/RES/", SECURITY_COUNCIL: "S/RES/"}

    page = ParentalKey(ReportPage, on_delete=models.CASCADE, related_name="mandates")
    body = models.CharField(_("organ"), max_length=2, choices=BODY_CHOICES)
    number = models.CharField(
        _("resolution number"), max_length=32, help_text=_("e.g. 65/283 or 2171 (2014)")
    )

    panels = [FieldPanel("body"), FieldPanel("number")]
    api_fields = [APIField("body"), APIField("number"), APIField("symbol")]

    class Meta(Orderable.Meta):
        verbose_name = _("mandating resolution")

    def __str__(self):
        return f"{self.get_body_display()} {self.number}"

    @property
    def symbol(self):
        """The resolution's document symbol: A/RES/65/283, S/RES/2171 (2014)."""
        return f"{self.SYMBOL_PREFIX[self.body]}{self.number}"

    @property
    def url(self):
        return "https://undocs.org/" + self.symbol.replace(" ", "")


class ReportAnnex(Orderable):
    page = ParentalKey(ReportPage, on_delete=models.CASCADE, related_name="annexes")
    title = models.CharField(_("title"), max_length=255)

    panels = [FieldPanel("title")]
    api_fields = [APIField(name) for name in translated("title")]

    class Meta(Orderable.Meta):
        verbose_name = _("annex")

    def __str__(self):
        return self.title
