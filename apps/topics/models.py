from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Cast, Coalesce
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page, ReferenceIndex

from modelcluster.fields import ParentalKey

from apps.core.api_fields import PublicRelationField
from apps.core.blocks import TopicBodyBlock
from apps.core.listing import paginate
from apps.core.models import translated_api_fields
from apps.core.pages import AttributionMixin, BasePage, specific_of_joined
from apps.core.visibility import public_pages, with_public_flag

# The page types listed on a topic, read with the listed page in the same query.
ON_TOPIC_TYPES = ("newsstorypage", "reportpage", "charterprovisionpage")


def pages_on_topics(topics, reports=None):
    """The public stories, reports and Charter provisions on any of ``topics`` (a
    queryset of topic pages, or their ids), newest first, in one query. ``reports``,
    the ids of the reports the topics list, when they are not those stored (a
    preview's).

    A story is on a topic when it is tagged with it, a report when the topic lists it
    among its documents, a Charter provision when the topic quotes or links to it (the
    reference index). Pages without a date (provisions) come last, in article order.
    """
    if isinstance(topics, models.QuerySet):
        ids = topics.values("pk")
        text_ids = topics.annotate(text_id=Cast("pk", models.CharField())).values("text_id")
    else:
        ids = list(topics)
        text_ids = [str(pk) for pk in ids]
    page_type = ContentType.objects.get_for_model(Page)
    referred = ReferenceIndex.objects.filter(
        base_content_type=page_type, object_id__in=text_ids, to_content_type=page_type
    ).values(page_id=Cast("to_object_id", models.IntegerField()))
    stories = Page.objects.filter(newsstorypage__topics__in=ids).values("pk")
    if reports is None:
        reports = TopicReport.objects.filter(page__in=ids).values("report_id")
    on_topic = (
        Q(pk__in=stories)
        | Q(pk__in=reports)
        | Q(pk__in=referred, charterprovisionpage__isnull=False)
    )
    return (
        public_pages(Page.objects.filter(on_topic))
        .select_related(*ON_TOPIC_TYPES)
        .annotate(listed_date=Coalesce("newsstorypage__date", "reportpage__date"))
        .order_by(
            F("listed_date").desc(nulls_last=True),
            F("charterprovisionpage__article").asc(nulls_first=True),
            "-first_published_at",
            "path",
        )
    )


def specific_pages(rows):
    """The rows of :func:`pages_on_topics` as their page types, without a query each."""
    return [specific_of_joined(row, ON_TOPIC_TYPES) for row in rows]


def on_topic_order(page):
    """The order of :func:`pages_on_topics` for pages read otherwise, as a sort key."""
    date = getattr(page, "date", None)
    published = page.first_published_at.timestamp() if page.first_published_at else 0
    return (
        date is None,
        -(date.toordinal() if date else 0),
        getattr(page, "article", None) or 0,
        -published,
        page.path,
    )


class MoreOnTopicsMixin:
    """A page that shows "More on this topic": other pages on its public topics."""

    MORE_ON_TOPICS = 5

    def public_topic_queryset(self):
        """The public topics of the page, as a queryset (not evaluated)."""
        raise NotImplementedError

    def more_on_topics_ids(self):
        """SQL: the ids of up to ``MORE_ON_TOPICS`` other public pages that share a
        public topic with this one, newest first (a subquery)."""
        rows = pages_on_topics(self.public_topic_queryset()).exclude(pk=self.pk)
        return rows.values("pk")[: self.MORE_ON_TOPICS]

    def more_on_topics(self):
        """Those pages as their page types: one query."""
        if not self.pk:
            return []
        rows = pages_on_topics(self.public_topic_queryset()).exclude(pk=self.pk)
        return specific_pages(rows[: self.MORE_ON_TOPICS])


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
    schema_org_type = "CollectionPage"

    class Meta:
        verbose_name = _("topic")

    def public_related_reports(self):
        """The documents section as the public may see it (also in a preview, where the
        relation is a FakeQuerySet of the editor's unsaved choices)."""
        items = with_public_flag(self.related_reports.all(), "report")
        return [item for item in items if item.report_is_public]

    def public_reports(self):
        return [item.report for item in self.public_related_reports()]

    # The hub: everything on the topic, by page of ON_TOPIC_PAGE_SIZE.
    ON_TOPIC_PAGE_SIZE = 10

    def on_topic(self, request):
        """One page of :func:`pages_on_topics` for this topic (the ``page`` query
        parameter): ``(paginator page, pages as their types)``."""
        documents = self.related_reports.all()
        # A preview's documents are the editor's unsaved choices (a FakeQuerySet).
        reports = (
            None
            if isinstance(documents, models.QuerySet)
            else [item.report_id for item in documents]
        )
        pages = pages_on_topics([self.pk], reports=reports)
        items = paginate(request, pages, self.ON_TOPIC_PAGE_SIZE)
        return items, specific_pages(items.object_list)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["items"], context["on_topic"] = self.on_topic(request)
        context["query"] = ""
        return context


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
