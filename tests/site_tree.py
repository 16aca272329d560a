"""A small bilingual site built by hand, for tests that need every page type.

``build_site(home)`` puts under the ``home_page`` fixture: the news, report and
Charter indexes, two public stories, two public reports, two Charter provisions, a
topic listing the reports, and a person. Each page has an English and an Arabic
title and slug. Loading the whole fixture tree would take longer and hide which
pages a test relies on.
"""

import datetime
from types import SimpleNamespace

from django.utils import translation

from wagtail.models import PageViewRestriction

from apps.charter.models import CharterIndexPage, CharterProvisionPage
from apps.news.models import NewsIndexPage, NewsStoryPage, RelatedStory
from apps.people.models import Person
from apps.reports.models import ReportIndexPage, ReportPage
from apps.topics.models import TopicPage, TopicReport


def add(parent, page, publish=True):
    """Add ``page`` under ``parent``: published, or a draft never published."""
    page.live = publish
    parent.add_child(instance=page)
    revision = page.save_revision()
    if publish:
        revision.publish()
    return type(page).objects.get(pk=page.pk)


def story(index, slug, title_en, title_ar, date, publish=True, **fields):
    return add(
        index,
        NewsStoryPage(
            title_en=title_en,
            title_ar=title_ar,
            slug_en=slug,
            slug_ar=f"{slug}-ar",
            date=date,
            **{
                "lead_en": f"<p>{title_en}: the lead.</p>",
                "lead_ar": f"<p>{title_ar}: المقدمة.</p>",
                **fields,
            },
        ),
        publish,
    )


def report(index, slug, title_en, title_ar, date, symbol, publish=True, **fields):
    return add(
        index,
        ReportPage(
            title_en=title_en,
            title_ar=title_ar,
            slug_en=slug,
            slug_ar=f"{slug}-ar",
            date=date,
            symbol=symbol,
            summary_en=fields.pop("summary_en", f"{title_en}: the summary."),
            summary_ar=fields.pop("summary_ar", f"{title_ar}: الموجز."),
            **fields,
        ),
        publish,
    )


def provision(index, article, title_en, title_ar, publish=True, **fields):
    return add(
        index,
        CharterProvisionPage(
            title_en=title_en,
            title_ar=title_ar,
            slug_en=f"article-{article}",
            slug_ar=f"المادة-{article}",
            article=article,
            text_en=fields.pop("text_en", f"The text of Article {article}."),
            text_ar=fields.pop("text_ar", f"نص المادة {article}."),
            **fields,
        ),
        publish,
    )


def topic(home, slug, title_en, title_ar, publish=True, **fields):
    return add(
        home,
        TopicPage(
            title_en=title_en,
            title_ar=title_ar,
            slug_en=slug,
            slug_ar=f"{slug}-ar",
            intro_en=f"{title_en}: the introduction.",
            intro_ar=f"{title_ar}: المقدمة.",
            **fields,
        ),
        publish,
    )


def news_index(home):
    return add(
        home,
        NewsIndexPage(
            title_en="News", title_ar="أخبار", slug_en="news", slug_ar="akhbar", show_in_menus=True
        ),
    )


def report_index(home):
    return add(
        home,
        ReportIndexPage(
            title_en="Reports",
            title_ar="تقارير",
            slug_en="reports",
            slug_ar="taqarir",
            show_in_menus=True,
        ),
    )


def build_site(home):
    """The public part of the small site; returns its pages by name."""
    site = SimpleNamespace(home=home)
    site.news = news_index(home)
    site.reports = report_index(home)
    site.charter = add(
        home,
        CharterIndexPage(
            title_en="Charter",
            title_ar="الميثاق",
            slug_en="charter",
            slug_ar="mithaq",
            show_in_menus=True,
        ),
    )
    site.person = Person.objects.create(name_en="Ban Ki-moon", name_ar="بان كي مون")
    site.article_33 = provision(site.charter, 33, "Article 33", "المادة 33")
    site.article_99 = provision(site.charter, 99, "Article 99", "المادة 99")
    site.report = report(
        site.reports,
        "s-2011-552",
        "Preventive diplomacy",
        "الدبلوماسية الوقائية",
        datetime.date(2011, 8, 26),
        "S/2011/552",
    )
    site.old_report = report(
        site.reports,
        "a-64-1",
        "Report on the work of the Organization",
        "تقرير عن أعمال المنظمة",
        datetime.date(2009, 8, 1),
        "A/64/1",
    )
    site.topic = topic(home, "good-offices", "Good offices", "المساعي الحميدة")
    TopicReport.objects.create(page=site.topic, report=site.report, sort_order=0)
    site.topic.save_revision().publish()
    site.older_story = story(
        site.news, "older-story", "Envoys meet", "لقاء المبعوثين", datetime.date(2010, 5, 4)
    )
    site.story = story(
        site.news,
        "mediation-story",
        "UN must lead on mediation",
        "الأمم المتحدة تقود الوساطة",
        datetime.date(2011, 11, 9),
    )
    site.story.topics.set([site.topic])
    site.story.people.set([site.person])
    site.story.charter_provisions.set([site.article_99])
    site.story.related_stories.add(RelatedStory(story=site.older_story, sort_order=0))
    site.story.save_revision().publish()
    site.story = NewsStoryPage.objects.get(pk=site.story.pk)
    return site


def restrict(page, kind="password"):
    """A view restriction on ``page`` (and so its subtree): password, login or groups."""
    return PageViewRestriction.objects.create(
        page=page, restriction_type=kind, password="secret" if kind == "password" else ""
    )


def url(page, language):
    with translation.override(language):
        return page.get_url()
