"""A small bilingual site built from the factories, for tests that need every page type.

``build_site(home)`` puts under a home page: the news, report and Charter indexes,
two public stories, two public reports, two Charter provisions, a topic listing the
reports, and a person. Each page has an English and an Arabic title and slug. The
``small_site`` fixture (tests/conftest.py) builds it once per test session; loading
the whole fixture tree would take longer and hide which pages a test relies on.
"""

import datetime
from types import SimpleNamespace

from django.apps import apps
from django.utils import translation

from wagtail.models import Page, PageViewRestriction

from factories import (
    CharterIndexFactory,
    NewsIndexFactory,
    NewsStoryFactory,
    PersonFactory,
    ProvisionFactory,
    ReportFactory,
    ReportIndexFactory,
    TopicFactory,
    add_page,
)

from apps.news.models import RelatedStory
from apps.topics.models import TopicReport

# The site's page types (every page model of its apps), for tests that go through each.
PAGE_TYPES = [
    model
    for model in apps.get_models()
    if issubclass(model, Page) and model is not Page and model.__module__.startswith("apps.")
]

add = add_page


def named(parent, slug, title_en, title_ar, publish):
    return {
        "parent": parent,
        "slug_en": slug,
        "title_en": title_en,
        "title_ar": title_ar,
        "publish": publish,
    }


def story(index, slug, title_en, title_ar, date, publish=True, **fields):
    return NewsStoryFactory(**named(index, slug, title_en, title_ar, publish), date=date, **fields)


def report(index, slug, title_en, title_ar, date, symbol, publish=True, **fields):
    page = named(index, slug, title_en, title_ar, publish)
    return ReportFactory(**page, date=date, symbol=symbol, **fields)


def provision(index, article, title_en, title_ar, publish=True, **fields):
    return ProvisionFactory(
        parent=index,
        article=article,
        title_en=title_en,
        title_ar=title_ar,
        publish=publish,
        **fields,
    )


def topic(home, slug, title_en, title_ar, publish=True, **fields):
    return TopicFactory(**named(home, slug, title_en, title_ar, publish), **fields)


def news_index(home):
    return NewsIndexFactory(parent=home)


def report_index(home):
    return ReportIndexFactory(parent=home)


def build_site(home):
    """The public part of the small site; returns its pages by name."""
    site = SimpleNamespace(home=home)
    site.news = news_index(home)
    site.reports = report_index(home)
    site.charter = CharterIndexFactory(parent=home)
    site.person = PersonFactory(name_en="Ban Ki-moon", name_ar="بان كي مون")
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
    return refetch(site)


def refetch(site):
    """The same pages and person, read again from the database."""
    return SimpleNamespace(
        **{name: type(item).objects.get(pk=item.pk) for name, item in vars(site).items()}
    )


def restrict(page, kind="password"):
    """A view restriction on ``page`` (and so its subtree): password, login or groups."""
    return PageViewRestriction.objects.create(
        page=page, restriction_type=kind, password="secret" if kind == "password" else ""
    )


def url(page, language):
    with translation.override(language):
        return page.get_url()
