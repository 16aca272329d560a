from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef
from django.utils import formats, translation
from django.utils.encoding import uri_to_iri
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.api import APIField
from wagtail.models import Orderable
from wagtail.search import index

from modelcluster.fields import ParentalKey

from apps.core.listing import FilteredIndexMixin, ListingFilter, topic_filter, year_filter
from apps.core.models import translated, translated_api_fields
from apps.core.pages import AttributionMixin, BasePage, IndexPageMixin
from apps.core.prepared import one_of
from apps.core.rules.symbols import official_document_url, official_documents
from apps.core.structured_data import date_value, home_url, organisation
from apps.core.text import normalise_space
from apps.core.visibility import public_pages
from apps.topics.models import MoreOnTopicsMixin, TopicPage, TopicReport


class ReportIndexPage(FilteredIndexMixin, IndexPageMixin, BasePage):
    parent_page_types = ["home.HomePage"]  # a string: apps.home imports this module
    subpage_types = ["reports.ReportPage"]  # declared below

    class Meta:
        verbose_name = _("report index")

    def listed_pages(self):
        reports = public_pages(ReportPage.objects.child_of(self))
        return reports.order_by("-date", "-first_published_at")

    def listing_filters(self, reports):
        # The topics listing a report here, each asked for one (see NewsIndexPage).
        listing = TopicReport.objects.filter(page=OuterRef("pk"), report__in=reports)
        topics = public_pages(TopicPage.objects.filter(Exists(listing)))
        mandate = ListingFilter(
            "mandate",
            _("Mandated by"),
            _("Any organ"),
            ReportMandate.BODY_CHOICES,
            "mandates__body",
            numeric=False,
        )
        return [
            year_filter(reports, remember_as=self.listing_name),
            mandate,
            topic_filter(topics, "topic_links__page", self.listing_name),
        ]


class ReportPage(MoreOnTopicsMixin, AttributionMixin, BasePage):
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
        # Listings and "More on this topic" read reports newest first (see
        # NewsStoryPage.Meta).
        indexes = [models.Index(fields=["date"], name="report_date")]

    def save(self, *args, **kwargs):
        self.symbol = (self.symbol or "").strip() or None
        super().save(*args, **kwargs)

    @property
    def card_label(self):
        return self.symbol

    @property
    def card_date(self):
        return self.date

    def schema_org(self, request):
        """A ``Report``: its symbol as ``reportNumber`` and ``identifier``, date, the
        Secretary-General as author, its summary, and the official document."""
        return {
            "@type": "Report",
            "name": self.title,
            "headline": Truncator(self.title).chars(110),
            "reportNumber": self.symbol,
            "identifier": self.symbol,
            "datePublished": date_value(self.date),
            "author": organisation(gettext("Secretary-General of the United Nations")),
            "publisher": {"@id": f"{home_url()}#publisher"},
            "abstract": normalise_space(self.summary or ""),
            "sameAs": official_document_url(self.symbol, translation.get_language())
            if self.symbol
            else None,
        }

    def official_documents(self):
        """The report itself in the UN's Official Document System, in each official
        language, the reader's first: ``[{"language", "name", "url"}]``; none without a
        symbol."""
        if not self.symbol:
            return []
        return [
            {"language": language, "name": name, "url": url}
            for language, name, url in official_documents(self.symbol, translation.get_language())
        ]

    def citation(self, language):
        """How to cite the report, in ``language``: who, “title”, symbol, date, then its
        address (the official document's, else this page's), as HTML with the symbol and
        the address isolated left to right."""
        with translation.override(language):
            title = getattr(self, f"title_{language}", "") or self.title
            parts = [
                gettext("Report of the Secretary-General"),
                format_html(gettext("“{title}”"), title=title),
            ]
            if self.symbol:
                parts.append(format_html('<bdi dir="ltr">{}</bdi>', self.symbol))
            if self.date:
                parts.append(formats.date_format(self.date, "DATE_FORMAT"))
            if self.symbol:
                address = official_document_url(self.symbol, language)
            else:
                address = self.get_full_url()
            separator = pgettext("list separator", ", ")
            listed = format_html(separator.join(["{}"] * len(parts)), *parts)
            if not address:  # a page not yet saved has no address
                return format_html("{}.", listed)
            return format_html(
                gettext("{citation}. {address}"),
                citation=listed,
                # As written: an Arabic address in letters, not percent escapes.
                address=format_html('<bdi dir="ltr">{}</bdi>', uri_to_iri(address)),
            )

    def citations(self):
        """The citation in every language of the site, the reader's first:
        ``[{"language", "dir", "html"}]``."""
        current = translation.get_language()
        codes = sorted((code for code, _name in settings.LANGUAGES), key=lambda c: c != current)
        return [
            {
                "language": code,
                "dir": "rtl" if code == "ar" else "ltr",
                "html": self.citation(code),
            }
            for code in codes
        ]

    def public_topics(self):
        """The topic pages listing this report, those the public may see."""
        return self.public_topic_queryset().order_by("path")

    def public_topic_queryset(self):
        listing = TopicReport.objects.filter(report=self.pk).values("page")
        return public_pages(TopicPage.objects.filter(one_of("pk", listing)))


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
        """The resolution in the Official Document System, in the reader's language."""
        return official_document_url(self.symbol, translation.get_language())


class ReportAnnex(Orderable):
    page = ParentalKey(ReportPage, on_delete=models.CASCADE, related_name="annexes")
    title = models.CharField(_("title"), max_length=255)

    panels = [FieldPanel("title")]
    api_fields = [APIField(name) for name in translated("title")]

    class Meta(Orderable.Meta):
        verbose_name = _("annex")

    def __str__(self):
        return self.title
