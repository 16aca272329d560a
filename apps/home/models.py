from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wagtail.models import Page

from apps.charter.models import CharterIndexPage, CharterProvisionPage
from apps.core.page_cache import remembered
from apps.core.pages import BasePage, IndexPageMixin
from apps.core.prepared import Prepared
from apps.core.visibility import public_pages
from apps.news.models import NewsIndexPage, NewsStoryPage
from apps.reports.models import ReportIndexPage, ReportPage
from apps.topics.models import TopicPage


class HomePage(IndexPageMixin, BasePage):
    """The site root: an introduction and the doors into news, reports and the Charter."""

    parent_page_types = [Page]
    subpage_types = [NewsIndexPage, ReportIndexPage, CharterIndexPage, TopicPage]

    # Topics shown on the home page: the first in the order editors give them in the
    # admin. An archive's topics run to hundreds (a topic a handful of reports), which
    # the home page listed every one of (250 cards: 100 ms of CPU a render).
    HOME_TOPICS = 8

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["latest_news"] = LATEST_NEWS()
        context["featured_reports"] = LATEST_REPORTS()
        context["provisions"] = PROVISIONS()
        context["topics"] = TopicPage.objects.filter(pk__in=self.home_topic_ids()).order_by("path")
        return context

    def public_menu_pages(self):
        return list(public_pages(self.get_children().in_menu()))

    def home_topic_ids(self):
        """The ids of the topics the home page shows, read once until the next change
        the public can see: in tree order, PostgreSQL walks every page before the
        topics (after the news index's stories) to find the first eight (51 ms at
        50,000 stories)."""

        def first_topics():
            topics = public_pages(TopicPage.objects.order_by("path"))
            return list(topics.values_list("pk", flat=True)[: self.HOME_TOPICS])

        return remembered(f"home-topics:{self.pk}", first_topics)

    def routing_companions(self):
        """The menu's sections come with the child that routing looks for."""
        return Q(show_in_menus=True)

    def menu_pages(self):
        """The sections in the site's navigation: children shown in menus, public only
        (read while routing a request below the home page, else here)."""
        routed = getattr(self, "routed_children", None)
        if routed is None:
            # Search, error pages: read once per generation in the process (shared by
            # its requests: read-only).
            return remembered(f"menu:{self.pk}", self.public_menu_pages, shared=False)
        return [
            child
            for child in routed
            if child.show_in_menus and child.live and not child._route_restricted
        ]


# What the home page lists, the same statements on every request: built and compiled
# once per process (apps.core.prepared).
def latest_news():
    return public_pages(NewsStoryPage.objects.order_by("-date"))[:3]


def latest_reports():
    return public_pages(ReportPage.objects.order_by("-date", "-first_published_at"))[:3]


def provisions():
    return public_pages(CharterProvisionPage.objects.order_by("article"))


LATEST_NEWS = Prepared(latest_news, kinds=())
LATEST_REPORTS = Prepared(latest_reports, kinds=())
PROVISIONS = Prepared(provisions, kinds=())
