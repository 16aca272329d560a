from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.api import APIField
from wagtail.models import Orderable, Page
from wagtail.search import index

from modelcluster.fields import ParentalKey

from apps.core.listing import filter_options, int_param, paginate, query_without_page, years
from apps.core.models import (
    translated,
    translated_api_fields,
    translated_search_fields,
)
from apps.core.pages import SourceMixin
from apps.core.visibility import public_pages


class ReportIndexPage(SourceMixin, Page):
    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    settings_panels = [*Page.settings_panels, *SourceMixin.provenance_panels]
    search_fields = [*Page.search_fields, *translated_search_fields("intro")]
    api_fields = [*translated_api_fields("intro"), *SourceMixin.provenance_api_fields]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["reports.ReportPage"]
    max_count = 1

    class Meta:
        verbose_name = _("report index")

    def get_context(self, request, *args, **kwargs):
        from apps.topics.models import TopicPage

        context = super().get_context(request, *args, **kwargs)
        reports = public_pages(ReportPage.objects.child_of(self)).order_by(
            "-date", "-first_published_at"
        )
        topics = list(
            public_pages(TopicPage.objects.filter(related_reports__report__in=reports)).distinct()
        )
        report_years = years(reports)
        year = int_param(request, "year", choices=report_years)
        topic = int_param(request, "topic", choices={topic.pk for topic in topics})
        mandate = request.GET.get("mandate")
        context.update(
            years=report_years,
            topics=topics,
            mandate_choices=ReportMandate.BODY_CHOICES,
            selected_year=year,
            selected_topic=topic,
            selected_mandate=mandate,
        )
        context.update(filter_options(context["years"], context["topics"]))
        if year:
            reports = reports.filter(date__year=year)
        if topic:
            reports = reports.filter(topic_links__page=topic)
        if mandate in dict(ReportMandate.BODY_CHOICES):
            reports = reports.filter(mandates__body=mandate)
        context["reports"] = paginate(request, reports.distinct())
        context["query"] = query_without_page(request)
        return context


class ReportPage(SourceMixin, Page):
    """A report of the Secretary-General: summary, symbol, mandates, annexes, PDFs."""

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
        *Page.content_panels,
        FieldPanel("symbol"),
        FieldPanel("date"),
        FieldPanel("summary"),
        InlinePanel("mandates", label=_("Mandating resolutions")),
        InlinePanel("annexes", label=_("Annexes")),
        FieldPanel("document"),
    ]
    settings_panels = [*Page.settings_panels, *SourceMixin.provenance_panels]
    search_fields = [
        *Page.search_fields,
        index.SearchField("symbol", boost=3),
        index.FilterField("date"),
        *translated_search_fields("summary"),
    ]
    api_fields = [
        APIField("symbol"),
        APIField("date"),
        *translated_api_fields("summary", "document"),
        APIField("mandates"),
        APIField("annexes"),
        *SourceMixin.provenance_api_fields,
    ]

    parent_page_types = ["reports.ReportIndexPage"]
    subpage_types = []
    required_in_source_language = ["summary"]

    class Meta:
        verbose_name = _("report")

    def save(self, *args, **kwargs):
        self.symbol = (self.symbol or "").strip() or None
        super().save(*args, **kwargs)

    def public_topics(self):
        """The topic pages listing this report, those the public may see."""
        from apps.topics.models import TopicPage

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
