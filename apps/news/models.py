from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from modelcluster.fields import ParentalKey, ParentalManyToManyField

from apps.core.blocks import RICH_TEXT_FEATURES, NewsBodyBlock
from apps.core.listing import filter_options, int_param, paginate, query_without_page, years
from apps.core.models import (
    SourceMixin,
    translated_api_fields,
    translated_search_fields,
    validate_link_target,
)


class NewsIndexPage(SourceMixin, Page):
    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    settings_panels = [*Page.settings_panels, *SourceMixin.provenance_panels]
    search_fields = [*Page.search_fields, *translated_search_fields("intro")]
    api_fields = [*translated_api_fields("intro"), *SourceMixin.provenance_api_fields]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["news.NewsStoryPage"]
    max_count = 1

    class Meta:
        verbose_name = _("news index")

    def get_context(self, request, *args, **kwargs):
        from apps.topics.models import TopicPage

        context = super().get_context(request, *args, **kwargs)
        stories = NewsStoryPage.objects.child_of(self).live().public().order_by("-date")
        year, topic = int_param(request, "year"), int_param(request, "topic")
        topics = TopicPage.objects.live().public().filter(newsstorypage__in=stories).distinct()
        context.update(
            years=years(stories),
            topics=topics,
            selected_year=year,
            selected_topic=topic,
        )
        context.update(filter_options(context["years"], context["topics"]))
        if year:
            stories = stories.filter(date__year=year)
        if topic:
            stories = stories.filter(topics=topic)
        context["stories"] = paginate(request, stories)
        context["query"] = query_without_page(request)
        return context


class NewsStoryPage(SourceMixin, Page):
    """A news story: dateline, source, lead, body, people, topics and the News Tracker."""

    date = models.DateField(_("date"))
    source = models.CharField(
        _("source"), max_length=255, blank=True, help_text=_("e.g. UN News Centre")
    )
    lead = RichTextField(_("lead"), blank=True, features=RICH_TEXT_FEATURES)
    body = StreamField(NewsBodyBlock(), blank=True, verbose_name=_("body"))
    people = ParentalManyToManyField("people.Person", blank=True, verbose_name=_("people"))
    topics = ParentalManyToManyField("topics.TopicPage", blank=True, verbose_name=_("topics"))
    charter_provisions = ParentalManyToManyField(
        "charter.CharterProvisionPage",
        blank=True,
        verbose_name=_("Charter provisions"),
        help_text=_("Articles of the Charter the story refers to."),
    )

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel([FieldPanel("date"), FieldPanel("source")], heading=_("Dateline")),
        FieldPanel("lead"),
        FieldPanel("body"),
        InlinePanel("related_stories", label=_("News Tracker: past stories on this issue")),
    ]
    settings_panels = [*Page.settings_panels, *SourceMixin.provenance_panels]
    promote_panels = [
        *Page.promote_panels,
        FieldPanel("people"),
        FieldPanel("topics"),
        FieldPanel("charter_provisions"),
    ]
    search_fields = [
        *Page.search_fields,
        index.FilterField("date"),
        *translated_search_fields("lead", "body", "source"),
    ]
    api_fields = [
        APIField("date"),
        *translated_api_fields("source", "lead", "body"),
        APIField("people"),
        APIField("topics"),
        APIField("charter_provisions"),
        APIField("related_stories"),
        *SourceMixin.provenance_api_fields,
    ]

    parent_page_types = ["news.NewsIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("news story")
        ordering = ["-date"]


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
    api_fields = [APIField("story"), APIField("title"), APIField("url")]

    class Meta(Orderable.Meta):
        verbose_name = _("related story")

    def __str__(self):
        return self.display_title

    @property
    def display_title(self):
        return self.title or (self.story.title if self.story else "")

    @property
    def href(self):
        if self.story_id and self.story.live:
            return self.story.url
        return self.url or None
