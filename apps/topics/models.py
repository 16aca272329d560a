import math

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.db.models import Exists, F, Q
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
from apps.core.page_cache import remembered
from apps.core.pages import AttributionMixin, BasePage, specific_of_joined
from apps.core.prepared import Prepared, one_of
from apps.core.visibility import public_pages, with_public_flag

# The page types listed on a topic, read with the listed page in the same query.
ON_TOPIC_TYPES = ("newsstorypage", "reportpage", "charterprovisionpage")


def on_topic_ids(topics, reports=None):
    """SQL: the ids of the pages on ``topics`` (a queryset of topic pages, or their
    ids), a subquery for each page type that can be on a topic, by its model name.

    A story is on a topic when it is tagged with it, a report when the topic lists it
    among its documents, a Charter provision when the topic quotes or links to it (the
    reference index). ``reports``, the ids of the reports the topics list, when they
    are not those stored (a preview's)."""
    if isinstance(topics, models.QuerySet):
        ids = topics.values("pk")
        text_ids = topics.annotate(text_id=Cast("pk", models.CharField())).values("text_id")
    else:
        ids = list(topics)
        text_ids = [str(pk) for pk in ids]
    page_type = ContentType.objects.get_for_model(Page)
    referred = (
        ReferenceIndex.objects.filter(base_content_type=page_type, to_content_type=page_type)
        .filter(one_of("object_id", text_ids))
        .values(page_id=Cast("to_object_id", models.IntegerField()))
    )
    if reports is None:
        reports = TopicReport.objects.filter(one_of("page", ids)).values("report_id")
    # The stories from their link table alone: through the pages' and stories' own
    # tables PostgreSQL joined all 50,000 stories before keeping the few on the topics
    # (72 ms of a report's "More on this topic").
    tagged = TopicPage.newsstorypage_set.through.objects.filter(one_of("topicpage", ids))
    return {
        "newsstorypage": tagged.values("newsstorypage_id"),
        "reportpage": reports,
        "charterprovisionpage": referred,
    }


def pages_on_topics(topics, reports=None):
    """The public stories, reports and Charter provisions on any of ``topics`` (see
    :func:`on_topic_ids`), newest first, in one query. Pages without a date
    (provisions) come last, in article order."""
    ids = on_topic_ids(topics, reports)
    on_topic = (
        Q(pk__in=ids["newsstorypage"])
        | Q(pk__in=ids["reportpage"])
        | Q(pk__in=ids["charterprovisionpage"], charterprovisionpage__isnull=False)
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


# Each page type's own order on a topic, as :func:`pages_on_topics` lists them.
NEWEST_FIRST = {
    "newsstorypage": ("-newsstorypage__date", "-first_published_at", "path"),
    "reportpage": ("-reportpage__date", "-first_published_at", "path"),
    "charterprovisionpage": ("charterprovisionpage__article", "-first_published_at", "path"),
}

# The page types a topic lists by hand, a few each: read by their ids (one_of).
LISTED_BY_TOPICS = ("reportpage", "charterprovisionpage")

# Stories on the topics are read by their ids while they are fewer than
# stories_read_by_id(limit); more are met by walking the stories' date index, newest
# first, until ``limit`` are found. The walk reads about limit × the archive's stories
# ÷ those on the topics, the reading by id all of those: at the 50,000 stories
# measured, they cost the same at √(limit × 50,000), 500 for five (the first five of
# 471 read by id took 3.2 ms, of 661 met by the walk, 501 stories walked, 2.8 ms).
BALANCED_AT_STORIES = 50_000


def stories_read_by_id(limit):
    """How many stories on the topics, at most, are read by their ids for ``limit``."""
    return math.isqrt(limit * BALANCED_AT_STORIES)


def ways_to_read(name, ids, limit):
    """The filters that read the first ``limit`` pages of type ``name`` among ``ids``
    (a subquery), each a tuple: one, or, for stories, two, of which the statement runs
    only the one that suits how many are on the topics (the other's condition is
    false before it reads a row)."""
    if name in LISTED_BY_TOPICS:
        return [(one_of("pk", ids),)]
    count = stories_read_by_id(limit)
    many = Exists(ids[count - 1 : count])
    return [(one_of("pk", ids), ~many), (Q(pk__in=ids), many)]


def newest_on_topics(topics, limit, leave_out=None):
    """SQL: for each page type, the ids of its ``limit`` first public pages on
    ``topics`` in the order of :func:`pages_on_topics`, leaving out the page
    ``leave_out``: a list of subqueries, one a type (or two, :func:`ways_to_read`),
    for a ``UNION``. Ordered by :func:`on_topic_order`, the first ``limit`` of their
    pages are the first ``limit`` of :func:`pages_on_topics`.

    Each type is read in its own order and stops at ``limit``: unlike the whole list
    sorted, its cost does not grow with the number of pages on the topics (a story on
    a topic of 50,000 stories reads five).

    The statement is prepared, and PostgreSQL keeps one plan for every value, made
    without knowing how many pages are on the topics. So what is known to be few is
    read by its ids (:func:`apps.core.prepared.one_of`): the page's topics, then the
    reports and provisions they list. Stories can be none or thousands: those on
    the topics are counted up to :func:`stories_read_by_id`, and fewer are read by
    their ids, more by walking the date index until ``limit`` are found."""
    branches = []
    for name, ids in on_topic_ids(topics).items():
        for way in ways_to_read(name, ids, limit):
            rows = public_pages(Page.objects.filter(*way, **{f"{name}__isnull": False}))
            if leave_out is not None:
                rows = rows.exclude(pk=leave_out)
            first = rows.order_by(*NEWEST_FIRST[name]).values("pk")[:limit]
            if not connection.features.supports_slicing_ordering_in_compound:
                first = Page.objects.filter(pk__in=first).order_by().values("pk")  # SQLite
            branches.append(first)
    return branches


def specific_pages(rows):
    """The rows of :func:`pages_on_topics` as their page types, without a query each."""
    return [specific_of_joined(row, ON_TOPIC_TYPES) for row in rows]


def merged_on_topics(rows):
    """``rows`` (pages read with their types joined) as their page types, in the order
    of :func:`pages_on_topics`."""
    return sorted(specific_pages(rows), key=on_topic_order)


def newest_rows_on_topics(topics, limit, leave_out=None):
    """The pages of :func:`newest_on_topics` with their types joined, in one query
    (for :func:`merged_on_topics`)."""
    head, *rest = newest_on_topics(topics, limit, leave_out)
    rows = Page.objects.filter(pk__in=head.union(*rest, all=True))
    return rows.select_related(*ON_TOPIC_TYPES)


def newest_pages_on_topics(topics, limit, leave_out=None):
    """The pages of :func:`newest_on_topics`, read in one query, merged: their first
    ``limit`` are those of :func:`pages_on_topics`."""
    return merged_on_topics(newest_rows_on_topics(topics, limit, leave_out))


# A hub's first pages are read by statements prepared per length (page n of ten
# reads n × 10 of each type); deeper pages, rarer, are built each time.
HUB_PREPARED_LIMIT = 100
_hub_queries = {}


def hub_rows(topic_id, limit):
    """The rows of :func:`newest_rows_on_topics` for one topic, by a statement built
    and compiled once per ``limit`` up to ``HUB_PREPARED_LIMIT``."""
    if limit > HUB_PREPARED_LIMIT:
        return newest_rows_on_topics([topic_id], limit)
    query = _hub_queries.get(limit)
    if query is None:

        def build(pk):
            # The topic as a subquery: as a list, its id would reach the reference
            # index's text column as a string, which a prepared query cannot take.
            return newest_rows_on_topics(TopicPage.objects.filter(pk=pk).values("pk"), limit)

        build.__qualname__ = f"hub_rows[{limit}]"
        query = _hub_queries[limit] = Prepared(build)
    return query(topic_id)


_more_on_topics_queries = {}


def more_on_topics_query(model):
    """ "More on this topic" of a page of type ``model`` (a :class:`MoreOnTopicsMixin`)
    by its id, built and compiled once per type (:class:`apps.core.prepared.Prepared`):
    the statement is wide (a subquery per page type, each with the visibility rule) and
    its shape is the same for every page of the type."""
    query = _more_on_topics_queries.get(model)
    if query is None:

        def build(pk):
            topics = model(pk=pk).public_topic_queryset()
            return newest_rows_on_topics(topics, model.MORE_ON_TOPICS, pk)

        build.__qualname__ = f"{model.__name__}.more_on_topics"
        query = _more_on_topics_queries[model] = Prepared(build)
    return query


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
        """SQL: the candidates for "More on this topic", other public pages that share
        a public topic with this one: a subquery for each page type, of its
        ``MORE_ON_TOPICS`` first (:func:`newest_on_topics`)."""
        return newest_on_topics(self.public_topic_queryset(), self.MORE_ON_TOPICS, self.pk)

    def more_on_topics_of(self, candidates):
        """The first ``MORE_ON_TOPICS`` of ``candidates`` (pages read among
        ``more_on_topics_ids()``), as their page types, newest first."""
        return merged_on_topics(candidates)[: self.MORE_ON_TOPICS]

    def more_on_topics(self):
        """Those pages: one query, prepared (:func:`more_on_topics_query`)."""
        if not self.pk:
            return []
        rows = more_on_topics_query(type(self))(self.pk)
        return merged_on_topics(rows)[: self.MORE_ON_TOPICS]


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
        parameter): ``(paginator page, pages as their types)``.

        The hub of a topic of the whole archive reads no more than it shows: its count
        is remembered until the next change the public can see, and page ``n`` is
        the first ``n`` pages' worth of each page type in its own order
        (:func:`newest_on_topics`, each from its date index), merged, rather than the
        whole list sorted."""
        documents = self.related_reports.all()
        if not isinstance(documents, models.QuerySet):
            # A preview's documents are the editor's unsaved choices (a FakeQuerySet).
            pages = pages_on_topics([self.pk], reports=[item.report_id for item in documents])
            items = paginate(request, pages, self.ON_TOPIC_PAGE_SIZE)
            return items, specific_pages(items.object_list)
        pages = pages_on_topics([self.pk])
        count = remembered(f"on-topic:{self.pk}", pages.count)
        items = paginate(request, pages, self.ON_TOPIC_PAGE_SIZE, count=count)
        if not count:
            return items, []
        merged = merged_on_topics(hub_rows(self.pk, items.end_index()))
        items.object_list = merged[items.start_index() - 1 : items.end_index()]
        return items, items.object_list

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
