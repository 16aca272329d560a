"""Feeds live inside the language prefix (/en/feeds/…, /ar/feeds/…)."""

from django.urls import path

from .feeds import AtomNewsFeed, AtomReportFeed, NewsFeed, ReportFeed

urlpatterns = [
    path("feeds/news.rss", NewsFeed(), name="feed-news-rss"),
    path("feeds/news.atom", AtomNewsFeed(), name="feed-news-atom"),
    path("feeds/reports.rss", ReportFeed(), name="feed-reports-rss"),
    path("feeds/reports.atom", AtomReportFeed(), name="feed-reports-atom"),
]
