from functools import cached_property

from django.db import models
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from modelcluster.fields import ParentalKey, ParentalManyToManyField

from apps.charter.models import CharterProvisionPage
from apps.core.api_fields import PublicPageField, PublicRelationField
from apps.core.blocks import RICH_TEXT_FEATURES, NewsBodyBlock
from apps.core.listing import FilteredIndexMixin, topic_filter, year_filter
from apps.core.models import translated_api_fields
from apps.core.pages import BasePage, IndexPageMixin, specific_of_joined
from apps.core.prepared import Prepared, one_of
from apps.core.rules.links import validate_link_target
from apps.core.sites import absolute
from apps.core.structured_data import date_value, home_url, organisation
from apps.core.translation_fields import LANGUAGES
from apps.core.visibility import (
    flag_public,
    is_public,
    public_only,
    public_pages,
    with_public_flag,
    with_restriction,
)
from apps.people.models import Person
from apps.topics.models import ON_TOPIC_TYPES, MoreOnTopicsMixin, TopicPage


class NewsIndexPage(FilteredIndexMixin, IndexPageMixin, BasePage):
    parent_page_types = ["home.HomePage"]  # a string: apps.home imports this module
    subpage_types = ["news.NewsStoryPage"]  # declared below

    class Meta:
        verbose_name = _("news index")

    def listed_pages(self):
        return public_pages(NewsStoryPage.objects.child_of(self)).order_by("-date")

    def listing_filters(self, stories):
        # The topics with a story here: each topic asks for one (an EXISTS), rather than
        # every story's topics being joined and made distinct.
        tagged = NewsStoryPage.topics.through.objects.filter(
            topicpage=OuterRef("pk"), newsstorypage__in=stories
        )
        topics = public_pages(TopicPage.objects.filter(Exists(tagged)))
        return [
            year_filter(stories, remember_as=self.listing_name),
            topic_filter(topics, "topics", self.listing_name),
        ]


class NewsStoryPage(MoreOnTopicsMixin, BasePage):
    """A news story: dateline, source, lead, body, people, topics and the News Tracker."""

    natural_key_fields = ("source_document",)

    date = models.DateField(_("date"))
    source = models.CharField(
        _("source"), max_length=255, blank=True, help_text=_("e.g. UN News Centre")
    )
    source_url = models.URLField(
        _("source address"),
        max_length=500,
        blank=True,
        help_text=_("The story's page on the source's site, which the page links to."),
    )
    lead = RichTextField(_("lead"), blank=True, features=RICH_TEXT_FEATURES)
    body = StreamField(NewsBodyBlock(), blank=True, verbose_name=_("body"))
    people = ParentalManyToManyField(Person, blank=True, verbose_name=_("people"))
    topics = ParentalManyToManyField(TopicPage, blank=True, verbose_name=_("topics"))
    charter_provisions = ParentalManyToManyField(
        CharterProvisionPage,
        blank=True,
        verbose_name=_("Charter provisions"),
        help_text=_("Articles of the Charter the story refers to."),
    )

    content_panels = [
        *BasePage.content_panels,
        MultiFieldPanel(
            [FieldPanel("date"), FieldPanel("source"), FieldPanel("source_url")],
            heading=_("Dateline"),
        ),
        FieldPanel("lead"),
        FieldPanel("body"),
        InlinePanel("related_stories", label=_("News Tracker: past stories on this issue")),
    ]
    promote_panels = [
        *BasePage.promote_panels,
        FieldPanel("people"),
        FieldPanel("topics"),
        FieldPanel("charter_provisions"),
    ]
    search_fields = [*BasePage.search_fields, index.FilterField("date")]
    api_fields = [
        APIField("date"),
        *translated_api_fields("source", "source_url", "lead", "body"),
        APIField("people"),
        # Pages the public may not see are left out of the embedded lists.
        APIField("topics", serializer=PublicRelationField(source="public_topics")),
        APIField(
            "charter_provisions",
            serializer=PublicRelationField(source="public_charter_provisions"),
        ),
        APIField(
            "related_stories", serializer=PublicRelationField(source="public_related_stories")
        ),
        *BasePage.api_fields,
    ]

    parent_page_types = [NewsIndexPage]
    subpage_types = []
    card_summary_field = "lead"

    class Meta:
        verbose_name = _("news story")
        ordering = ["-date"]
        # Listings and "More on this topic" read stories newest first and stop after
        # a page of them: the index gives that order without sorting the archive.
        indexes = [models.Index(fields=["date"], name="news_story_date")]

    @property
    def card_date(self):
        return self.date

    def schema_org(self, request):
        """A ``NewsArticle``: headline, dates, the source as its author (else the site),
        the site as publisher, and the first photograph of its body, if it has one."""
        publisher = {"@id": f"{home_url()}#publisher"}
        image = self.first_photograph()
        return {
            "@type": "NewsArticle",
            "headline": Truncator(self.title).chars(110),
            "datePublished": date_value(self.date),
            "dateModified": date_value(self.last_published_at),
            "author": [organisation(self.source)] if self.source else [publisher],
            "publisher": publisher,
            "image": [image] if image else None,
        }

    def first_photograph(self):
        """The absolute address of the first photograph in the body (in the reader's
        language, else the other), as the page shows it; None without one. An image
        block with a credit line and no photograph (as the sources give them) has none."""
        for block in self.body or ():
            image = block.value.get("image") if block.block_type == "image" else None
            if image is not None:
                address = image.get_rendition("width-960|format-webp").url
                return absolute(address) if address.startswith("/") else address
        return None

    # Relations as the public may see them. In a preview they are modelcluster
    # FakeQuerySets (the editor's unsaved choices), so no queryset-only methods here.

    def public_topics(self):
        return self._public_links[0]

    def public_topic_queryset(self):
        tagged = self.topics.through.objects.filter(newsstorypage=self.pk).values("topicpage")
        return public_pages(TopicPage.objects.filter(one_of("pk", tagged)))

    def public_charter_provisions(self):
        return self._public_links[1]

    def more_on_topics(self):
        return self._public_links[2]

    @cached_property
    def _public_links(self):
        """The public topics, Charter provisions and "More on this topic" pages, all
        read in one query (:func:`public_links`). "More on this topic" leaves out the
        provisions the story lists already."""
        topics, provisions = self.topics.all(), self.charter_provisions.all()
        if not isinstance(topics, QuerySet) or not isinstance(provisions, QuerySet):
            return public_only(topics), public_only(provisions), super().more_on_topics()
        pages = PUBLIC_LINKS(self.pk)
        topics, provisions, more = [], [], []
        for page in pages:
            specific = specific_of_joined(page, ("topicpage", *ON_TOPIC_TYPES))
            if isinstance(specific, TopicPage):
                topics.append(specific)
            elif page._is_provision:
                provisions.append(specific)
            else:
                more.append(page)
        provisions.sort(key=lambda provision: provision.article)
        return topics, provisions, self.more_on_topics_of(more)

    def public_related_stories(self):
        """The News Tracker entries to show, in order.

        An entry pointing at a story on this site that the public may not see (a
        draft, unpublished, private) shows nothing of that story: it stays only when
        it has its own title and address, as an external link, and is left out
        otherwise. An entry with a title and no target shows as text.
        """
        items = self.related_stories.all()
        if isinstance(items, QuerySet):
            items = flag_public(PUBLIC_TRACKER(self.pk), "story")
        else:
            items = with_public_flag(items, "story")
        return [item for item in items if item.display_title]


def public_links(story_id):
    """The pages a story links to, the public ones: its topics and Charter provisions
    and the candidates for "More on this topic", whose ids are one ``UNION`` looked up
    by primary key, each page with its own type's row; those of its provisions say so
    (``_is_provision``)."""
    story = NewsStoryPage(pk=story_id)
    topic_ids = story.topics.through.objects.filter(newsstorypage=story_id)
    provision_links = story.charter_provisions.through.objects.filter(newsstorypage=story_id)
    linked = topic_ids.values("topicpage").union(
        provision_links.values("charterprovisionpage"), *story.more_on_topics_ids(), all=True
    )
    return (
        public_pages(Page.objects.filter(pk__in=linked))
        .select_related("topicpage", *ON_TOPIC_TYPES)
        .annotate(_is_provision=Exists(provision_links.filter(charterprovisionpage=OuterRef("pk"))))
        .order_by("path")
    )


# Built and compiled once per process: building it took ten times as long as running it.
PUBLIC_LINKS = Prepared(public_links)


def tracker_entries(story_id):
    """A story's News Tracker entries in order, each with the story it points at and
    whether that story is in a restricted subtree (:func:`flag_public` says whether it
    is public). The stories come without their text: an entry shows a title and a
    link."""
    return with_restriction(RelatedStory.objects.filter(page=story_id), "story").defer(
        *(f"story__{name}" for name in TRACKER_DEFERRED)
    )


# The text of a story a News Tracker entry points at, which the entry does not show.
TRACKER_DEFERRED = ["lead", "body"] + [
    f"{field}_{code}" for field in ("lead", "body") for code in LANGUAGES
]
PUBLIC_TRACKER = Prepared(tracker_entries)


class RelatedStory(Orderable):
    """One entry of the News Tracker: a story on this site, an external one, or a bare title."""

    page = ParentalKey(NewsStoryPage, on_delete=models.CASCADE, related_name="related_stories")
    story = models.ForeignKey(
        NewsStoryPage,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("story on this site"),
    )
    title = models.CharField(_("title"), max_length=255, blank=True)
    url = models.CharField(
        _("address"),
        max_length=500,
        blank=True,
        validators=[validate_link_target],
        help_text=_("A web address (https://…) or a path on this site (/en/…)."),
    )

    panels = [FieldPanel("story"), FieldPanel("title"), FieldPanel("url")]
    api_fields = [
        APIField("story", serializer=PublicPageField(source="public_story")),
        APIField("title"),
        APIField("url"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("related story")

    def __str__(self):
        return self.title or (self.story.title if self.story else "")

    @cached_property
    def story_is_public(self):
        """Set for a whole list at once by ``NewsStoryPage.public_related_stories``."""
        return bool(self.story_id) and is_public(self.story)

    @property
    def public_story(self):
        return self.story if self.story_is_public else None

    @property
    def display_title(self):
        """The entry's title for the public: its own, else its public story's, else none
        (an entry whose story is not public and that has no address of its own is hidden)."""
        if self.story_is_public:
            return self.title or self.story.title
        if self.story_id and not self.url:
            return ""
        return self.title

    @property
    def href(self):
        if self.story_is_public:
            return self.story.url
        return self.url or None
