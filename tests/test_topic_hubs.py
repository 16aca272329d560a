"""Topic pages as hubs, "More on this topic", and what publishing purges for them."""

import datetime
import re

from django.utils import translation

from wagtail.models import Page

import pytest
from factories import NewsStoryFactory
from site_tree import report, restrict, topic, url

from apps.charter.models import CharterProvisionPage
from apps.home.models import HomePage
from apps.news.models import NewsStoryPage
from apps.topics import models as topics
from apps.topics.models import TopicPage, TopicReport, pages_on_topics


@pytest.fixture
def no_page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 0


def titles(html, section):
    """The card titles of a section of the page, in order."""
    part = html[html.index(f'id="{section}"') :]
    part = part[: part.index("</section>")]
    return re.findall(r'class="card__title"><a href="[^"]+"[^>]*>([^<]+)</a>', part)


@pytest.mark.parametrize("language", ["en", "ar"])
def test_a_topic_lists_its_stories_reports_and_provisions_newest_first(
    small_site, client, no_page_cache, language
):
    topic = small_site.topic
    html = client.get(url(topic, language)).content.decode()
    with translation.override(language):
        expected = [small_site.story.title, small_site.report.title]
    assert titles(html, "on-topic") == expected
    # Each card says what kind of page it is: the list mixes them.
    kinds = {"en": ["News story", "Report"], "ar": ["خبر", "تقرير"]}[language]
    metas = re.findall(r'<p class="card__meta">\s*(\S[^<·]*?)\s*(?:·|<)', html)
    assert metas[:2] == kinds
    # A story tagged with the topic, a provision the topic quotes: both listed.
    story = NewsStoryFactory(
        parent=small_site.news, title_en="Newest on good offices", date=datetime.date(2020, 1, 1)
    )
    story.topics.set([topic])
    story.save_revision().publish()
    hub = [page.pk for page in pages_on_topics([topic.pk])]
    assert hub == [story.pk, small_site.story.pk, small_site.report.pk]


def test_a_topic_lists_the_charter_provisions_it_quotes_last(site, client, no_page_cache):
    topic = TopicPage.objects.get()
    listed = list(pages_on_topics([topic.pk]))
    provisions = [page.pk for page in listed if page.specific_class is CharterProvisionPage]
    assert provisions == list(
        CharterProvisionPage.objects.filter(article__in=[98, 99])
        .order_by("article")
        .values_list("pk", flat=True)
    )
    assert listed[-len(provisions) :] and all(
        page.specific_class is CharterProvisionPage for page in listed[-len(provisions) :]
    )


def test_the_hub_leaves_out_what_the_public_may_not_see_and_pages_by_ten(
    small_site, client, no_page_cache, django_assert_max_num_queries
):
    topic = small_site.topic
    stories = []
    for number in range(11):
        story = NewsStoryFactory(
            parent=small_site.news,
            title_en=f"Hub story {number:02}",
            date=datetime.date(2015, 1, 1 + number),
        )
        story.topics.set([topic])
        story.save_revision().publish()
        stories.append(story)
    draft = NewsStoryFactory(parent=small_site.news, title_en="Draft on topic", publish=False)
    draft.topics.set([topic])
    draft.save()
    restrict(stories[0])
    first = client.get(url(topic, "en")).content.decode()
    assert titles(first, "on-topic")[:2] == ["Hub story 10", "Hub story 09"]
    assert len(titles(first, "on-topic")) == 10
    assert 'href="?page=2" rel="next"' in first
    with django_assert_max_num_queries(8):
        second = client.get(url(topic, "en") + "?page=2").content.decode()
    # 10 public stories + the small site's story and report = 12: two on page 2.
    assert titles(second, "on-topic") == ["UN must lead on mediation", "Preventive diplomacy"]
    for html in (first, second):
        assert "Draft on topic" not in html and "Hub story 00" not in html


def test_stories_and_reports_show_more_on_this_topic(small_site, client, no_page_cache):
    story_html = client.get(url(small_site.story, "en")).content.decode()
    assert titles(story_html, "more-on-topic") == ["Preventive diplomacy"]
    # "More on this topic" sits beside the News Tracker.
    further = story_html[story_html.index('class="further-reading"') :]
    assert further.index('id="news-tracker"') < further.index('id="more-on-topic"')
    report_html = client.get(url(small_site.report, "ar")).content.decode()
    assert titles(report_html, "more-on-topic") == ["الأمم المتحدة تقود الوساطة"]
    # A page on no topic has no such section.
    older = client.get(url(small_site.older_story, "en")).content.decode()
    assert 'id="more-on-topic"' not in older


def test_more_on_this_topic_is_the_head_of_the_hub(small_site, client, no_page_cache):
    """ "More on this topic" reads only the first few pages of each type on the topics,
    never the whole list sorted: it must still be the first five of the hub's order,
    without the page itself, and, on a story, without the provisions it lists."""
    topic, story = small_site.topic, small_site.story
    for provision in (small_site.article_33, small_site.article_99):
        topic.body_en.append(("charter_quotation", {"provision": provision, "text": "…"}))
    topic.save_revision().publish()
    # Dates out of creation order and a tie, so that the order is the dates', then the
    # publication's; the newest of all is a draft and the next is restricted.
    for number, day in enumerate([3, 1, 4, 1, 5, 9, 28, 27]):
        other = NewsStoryFactory(
            parent=small_site.news,
            title_en=f"On topic {number}",
            date=datetime.date(2016, 2, day),
            publish=number != 6,
        )
        other.topics.set([topic])
        if number == 6:
            other.save()
            continue
        other.save_revision().publish()
        if number == 7:
            restrict(other)
    report = small_site.report

    def head_of_hub(page, leave_out=()):
        hub = pages_on_topics(page.public_topic_queryset())
        return [row.pk for row in hub if row.pk not in {page.pk, *leave_out}][:5]

    expected = head_of_hub(story, leave_out=[small_site.article_99.pk])
    assert [page.pk for page in story.more_on_topics()] == expected
    assert len(expected) == 5 and small_site.article_99.pk not in expected
    assert [page.pk for page in report.more_on_topics()] == head_of_hub(report)
    html = client.get(url(story, "en")).content.decode()
    shown = dict(Page.objects.filter(pk__in=expected).values_list("pk", "title_en"))
    assert titles(html, "more-on-topic") == [shown[pk] for pk in expected]
    # With fewer than five dated pages, the provisions the topic quotes fill the list.
    NewsStoryPage.objects.filter(title_en__startswith="On topic").delete()
    story = NewsStoryPage.objects.get(pk=story.pk)
    more = [page.pk for page in story.more_on_topics()]
    assert more == head_of_hub(story, leave_out=[small_site.article_99.pk])
    assert more[-1] == small_site.article_33.pk


def listing(topic_page, reports):
    """``topic_page`` lists ``reports`` among its documents, published so."""
    for number, item in enumerate(reports):
        TopicReport.objects.create(page=topic_page, report=item, sort_order=number)
    topic_page.save_revision().publish()


def test_a_report_shows_the_newest_reports_of_its_public_topics(small_site, client, no_page_cache):
    """A report's "More on this topic": the reports its public topics list, each once,
    by date, then the newest published first, with the stories on those topics; never
    itself, a draft, a restricted report, nor one only a private or unpublished topic
    lists. More reports than the list shows, so that reading the wrong ones shows."""
    site, index = small_site, small_site.reports

    def dated(slug, year, month=1, **fields):
        title = f"Report {slug}"
        when = datetime.date(year, month, 1)
        return report(index, slug, title, f"تقرير {slug}", when, f"S/{year}/{slug}", **fields)

    newest = dated("newest", 2013, 5)
    tie_first = dated("tie-first", 2012, 3)
    tie_second = dated("tie-second", 2012, 3)  # published later: listed before the other
    twice = dated("twice", 2010)
    older = [dated("older-1", 2008), dated("older-2", 2007)]
    draft = dated("draft", 2014, publish=False)
    restricted = dated("restricted", 2014, 2)
    restrict(restricted)
    on_private = dated("on-private", 2015)
    on_draft_topic = dated("on-draft-topic", 2015, 2)
    listing(site.topic, [newest, tie_second, twice, *older, draft, restricted])
    other = topic(site.home, "second-topic", "Second topic", "الموضوع الثاني")
    listing(other, [site.report, tie_first, twice, site.old_report])
    private = topic(site.home, "private-topic", "Private topic", "موضوع خاص")
    listing(private, [site.report, on_private])
    restrict(private)
    unpublished = topic(site.home, "draft-topic", "Draft topic", "موضوع مسودة", publish=False)
    for number, item in enumerate([site.report, on_draft_topic]):
        TopicReport.objects.create(page=unpublished, report=item, sort_order=number)
    # The small site's story (9 November 2011) is on the first topic.
    expected = [newest, tie_second, tie_first, site.story, twice]
    shown = [page.pk for page in site.report.more_on_topics()]
    assert shown == [page.pk for page in expected]
    html = client.get(url(site.report, "ar")).content.decode()
    assert titles(html, "more-on-topic") == [page.title_ar for page in expected]
    # A report on the first topic alone: its reports and story, itself left out.
    more = [page.pk for page in newest.more_on_topics()]
    assert more == [page.pk for page in [tie_second, site.story, site.report, twice, older[0]]]


@pytest.mark.parametrize("read_by_id", [2, 1000])
def test_stories_on_topics_are_the_same_read_by_id_or_by_date(small_site, monkeypatch, read_by_id):
    """A few stories on the topics are read by their ids, more by walking the stories
    newest first (``stories_read_by_id``): either way, the same first stories."""
    monkeypatch.setattr(topics, "stories_read_by_id", lambda limit: read_by_id)
    site = small_site
    made = {}
    for number, day in enumerate([3, 1, 4, 1, 5, 9, 2]):
        story = NewsStoryFactory(
            parent=site.news,
            title_en=f"On topic {number}",
            date=datetime.date(2016, 2, day),
            publish=number != 5,
        )
        story.topics.set([site.topic])
        if number == 5:
            story.save()  # a draft, the newest
        else:
            story.save_revision().publish()
        made[number] = story
    restrict(made[4])
    listed = topics.newest_pages_on_topics([site.topic.pk], 5, leave_out=made[2].pk)
    stories = [page.pk for page in listed if isinstance(page, NewsStoryPage)]
    # 2016-02-04 left out, 02-05 restricted, 02-09 a draft; the two of 1 February by
    # their publication, the later first.
    expected = [made[0], made[6], made[3], made[1], site.story]
    assert stories == [page.pk for page in expected]


def test_publishing_a_story_purges_the_hubs_of_its_topics(small_site, purged_by):
    story, topic = small_site.story, small_site.topic
    purged = purged_by(lambda: story.save_revision().publish())
    assert {url(topic, "en"), url(topic, "ar")} <= purged
    assert {url(small_site.article_99, "en"), url(small_site.article_99, "ar")} <= purged


def test_the_home_page_shows_the_first_topics_in_the_editors_order(
    small_site, client, no_page_cache
):
    """An archive's topics run to hundreds: the home page shows the first few, in the
    order of the page tree (which editors set in the admin), the public ones only."""
    made = [
        topic(small_site.home, f"topic-{n}", f"Topic {n}", f"الموضوع {n}")
        for n in range(HomePage.HOME_TOPICS + 1)
    ]
    restrict(made[0])
    html = client.get(url(small_site.home, "en")).content.decode()
    expected = [small_site.topic.title_en] + [page.title_en for page in made[1:]]
    assert titles(html, "topics") == expected[: HomePage.HOME_TOPICS]
    # They are read once until a change: a restriction takes one away at once.
    restrict(made[1])
    html = client.get(url(small_site.home, "ar")).content.decode()
    shown = [small_site.topic.title_ar] + [page.title_ar for page in made[2:]]
    assert titles(html, "topics") == shown[: HomePage.HOME_TOPICS]
