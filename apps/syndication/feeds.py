"""RSS 2.0 and Atom feeds of news stories and reports, one set per language.

Every link in a feed is absolute and starts with SITE_URL: pages give their full URL
from the Site record, the feed's own address is reversed under SITE_URL, so Django's
``add_domain`` (which would use the request's Host header) leaves them alone.
"""

from datetime import datetime, time

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from apps.core.sites import absolute
from apps.core.templatetags.site_tags import field_text, in_language, list_separator
from apps.core.visibility import public_pages
from apps.news.models import NewsIndexPage, NewsStoryPage
from apps.reports.models import ReportIndexPage, ReportPage

FEED_SIZE = 20


class PageFeed(Feed):
    feed_type = Rss201rev2Feed
    model = None
    summary_field = ""
    url_name = ""

    def __call__(self, request, *args, **kwargs):
        # The feed speaks the language of its URL (/en/feeds/…, /ar/feeds/…).
        self.language = translation.get_language()
        return super().__call__(request, *args, **kwargs)

    def link(self):
        """The section the feed follows (the news or report index), else the feed."""
        index = public_pages(self.index_model.objects.all()).first()
        return index.get_full_url() if index else self.feed_url()

    def feed_url(self):
        """The feed's own address (Atom's ``rel="self"``), never the request's path."""
        return absolute(reverse(self.url_name))

    def items(self):
        return public_pages(self.model.objects.order_by(*self.ordering))[:FEED_SIZE]

    def item_title(self, item):
        return str(in_language(item, "title"))

    def item_description(self, item):
        """The summary as HTML-escaped text: RSS descriptions and Atom summaries
        (``type="html"``) are HTML, so the text a reader should see is escaped once
        here, and the XML writer encodes that for XML as it must. It opens with the
        item's facts, if any, in the feed's language: «S/2009/189، 8 نيسان/أبريل 2009: …»."""
        text = Truncator(field_text(item, self.summary_field)).words(80)
        facts = list_separator().join(self.item_facts(item))
        return escape(f"{facts}: {text}" if facts else text)

    def item_facts(self, item):
        return []

    def item_link(self, item):
        return item.get_full_url()

    def item_pubdate(self, item):
        """Noon on the page's date (a story's dateline, a report's issue date); a report
        without a date is dated by its first publication."""
        if item.date:
            return timezone.make_aware(datetime.combine(item.date, time(12)))
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at


class NewsFeed(PageFeed):
    model = NewsStoryPage
    index_model = NewsIndexPage
    summary_field = "lead"
    ordering = ("-date", "-first_published_at")
    url_name = "feed-news-rss"
    title = _("UN Peace Mediation: news")
    description = _("News stories on peace mediation from the United Nations.")


class ReportFeed(PageFeed):
    model = ReportPage
    index_model = ReportIndexPage
    summary_field = "summary"
    ordering = ("-date", "-first_published_at")
    url_name = "feed-reports-rss"
    title = _("UN Peace Mediation: reports of the Secretary-General")
    description = _("Reports of the Secretary-General on mediation and conflict prevention.")

    def item_facts(self, item):
        """The document symbol and the date, as the report page gives them."""
        facts = [item.symbol] if item.symbol else []
        if item.date:
            facts.append(date_format(item.date, "DATE_FORMAT"))
        return facts


class AtomNewsFeed(NewsFeed):
    feed_type = Atom1Feed
    url_name = "feed-news-atom"
    subtitle = NewsFeed.description


class AtomReportFeed(ReportFeed):
    feed_type = Atom1Feed
    url_name = "feed-reports-atom"
    subtitle = ReportFeed.description
