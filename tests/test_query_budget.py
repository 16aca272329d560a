"""Routing in SQL and the query budget of the public pages.

A child page is found by its slug in the reader's language in one query, whatever the
number of its siblings, and comes back as its specific type.
"""

import datetime
import re
from unittest import mock

from django.core.cache import cache
from django.db import connection
from django.http import Http404
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.encoding import iri_to_uri

from wagtail.models import Site
from wagtail.models.sites import get_site_for_hostname

import pytest
from factories import NewsStoryFactory, PersonFactory, unindexed
from site_tree import PAGE_TYPES, restrict, url
from sitemap_files import site_path, sitemap_index

from apps.charter.models import CharterProvisionPage
from apps.core import mentions, sites
from apps.home.models import HomePage
from apps.news.models import NewsIndexPage, NewsStoryPage, RelatedStory
from apps.topics.models import TopicPage


@pytest.fixture
def no_page_cache(settings):
    """Responses rendered each time (the whole-page cache, when there is one, is off)."""
    settings.PAGE_CACHE_SECONDS = 0


def route(page, path, language):
    with translation.override(language):
        return page.route(RequestFactory().get("/"), path.strip("/").split("/")).page


def test_a_story_is_routed_in_one_query_per_level_whatever_its_siblings(
    small_site, django_assert_num_queries
):
    home, story = small_site.home, small_site.story
    for language in ("en", "ar"):
        with translation.override(language):
            path = story.get_url().removeprefix(home.get_url())
        with django_assert_num_queries(2):  # the news index, then the story
            found = route(home, path, language)
        assert found == story and type(found) is NewsStoryPage
        assert found.lead_en == story.lead_en  # its own table came with it
    with unindexed():
        for number in range(20):
            NewsStoryFactory(parent=small_site.news, date=datetime.date(2012, 1, 1 + number))
    with django_assert_num_queries(2):
        assert route(home, path, "ar") == story


def test_a_slug_missing_in_arabic_routes_by_the_english_one(small_site):
    story = NewsStoryFactory(parent=small_site.news, slug_en="only-english", slug_ar="")
    assert route(small_site.news, "only-english", "ar") == story
    assert route(small_site.news, "only-english", "en") == story
    with pytest.raises(Http404):
        route(small_site.news, "mediation-story-ar", "en")  # another language's slug


def test_unknown_draft_and_restricted_children(small_site, client, no_page_cache):
    draft = NewsStoryFactory(parent=small_site.news, slug_en="draft-story", publish=False)
    with pytest.raises(Http404):
        route(small_site.news, "draft-story", "en")
    with pytest.raises(Http404):
        route(small_site.news, "no-such-story", "en")
    assert client.get(url(draft, "en")).status_code == 404
    assert client.get(url(small_site.story, "ar")).status_code == 200
    restrict(small_site.news, "login")
    response = client.get(url(small_site.story, "ar"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def cold_queries(client, address):
    """The SQL queries and cache reads of one request on a cold cache, and its text."""
    cache.clear()
    with (
        CaptureQueriesContext(connection) as queries,
        mock.patch.object(cache, "get", wraps=cache.get) as reads,
    ):
        response = client.get(address)
    assert response.status_code == 200, address
    return (len(queries), reads.call_count), response.content.decode()


def sitemap_queries(client):
    """The queries and cache reads of the sitemap's index and of its largest file, each
    on a cold cache, and that file's text."""
    index, _text = cold_queries(client, "/sitemap.xml")
    files = [site_path(address) for address, _lastmod in sitemap_index(client)]
    largest = max(
        (cold_queries(client, address) for address in files), key=lambda found: len(found[1])
    )
    return {"index": index, "largest file": largest[0]}, largest[1]


def test_the_sitemap_costs_the_same_queries_whatever_the_number_of_pages(
    small_site, client, no_page_cache
):
    before, _text = sitemap_queries(client)
    with unindexed():
        stories = [
            NewsStoryFactory(parent=small_site.news, date=datetime.date(2012, 1, 1 + number))
            for number in range(30)
        ]
    after, text = sitemap_queries(client)
    assert after == before
    assert all(queries <= 8 for queries, _reads in after.values()), after
    for story in stories[::10]:
        for language in ("en", "ar"):
            assert f"<loc>http://testserver{url(story, language)}</loc>" in text


def test_mention_links_are_read_once_until_a_change(site, client, no_page_cache):
    story = NewsStoryPage.objects.get()
    story.lead_en = "<p>Under Article 99.</p><p>See S/2015/730.</p><p>And Article 33.</p>"
    story.save_revision().publish()
    with mock.patch.object(mentions, "lookup_targets", wraps=mentions.lookup_targets) as lookups:
        client.get(url(story, "en"))  # the process now remembers the mention links
        with mock.patch.object(cache, "get", wraps=cache.get) as reads:
            response = client.get(url(story, "en"))
    assert response.status_code == 200 and b'class="mention"' in response.content
    assert lookups.call_count == 1
    keys = [call.args[0] for call in reads.call_args_list]
    assert not [key for key in keys if mentions.CACHE_NAME in key], keys


@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize("model", PAGE_TYPES, ids=lambda model: model.__name__)
def test_each_public_page_renders_with_at_most_eight_queries(
    site, client, no_page_cache, django_assert_max_num_queries, model, language
):
    """Once the cache holds the mention links and renditions."""
    address = url(model.objects.live().order_by("path").first(), language)
    assert client.get(address).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(address).status_code == 200


@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize("model", PAGE_TYPES, ids=lambda model: model.__name__)
def test_each_public_page_renders_with_at_most_eight_queries_on_a_cold_cache(
    site, client, no_page_cache, django_assert_max_num_queries, model, language
):
    """Right after a deploy, a Redis restart or a purge: the site, its home page and
    both languages' root paths come in one query, the mention links in another."""
    address = url(model.objects.live().order_by("path").first(), language)
    cache.clear()
    with django_assert_max_num_queries(8):
        assert client.get(address).status_code == 200


# Search (with results, with none, filtered, a later page), the feeds and the sitemap.
OTHER_ADDRESSES = {
    "en": [
        "/en/search/?q=mediation",
        "/en/search/?q=secretary+general&type=news&year=2011",
        "/en/search/?q=the&page=2",
        "/en/search/?q=nothing+matches+this",
        "/en/search/",
        "/en/feeds/news.rss",
        "/en/feeds/reports.atom",
        "/sitemap.xml",
        "/sitemap-news-2011.xml",
    ],
    "ar": [
        "/ar/search/?q=الوساطة",
        "/ar/search/?q=الأمين+العام&type=news&year=2011",
        "/ar/search/?q=في&page=2",
        "/ar/search/?q=لا+شيء+يطابق",
        "/ar/search/",
        "/ar/feeds/news.rss",
        "/ar/feeds/reports.atom",
    ],
}


@pytest.mark.parametrize("language", ["en", "ar"])
def test_search_feeds_and_sitemap_take_at_most_eight_queries_cold_and_warm(
    site, client, no_page_cache, django_assert_max_num_queries, language
):
    for address in OTHER_ADDRESSES[language]:
        cache.clear()
        for _state in ("cold", "warm"):
            with django_assert_max_num_queries(8, info=address):
                response = client.get(address)
            assert response.status_code == 200, address
    # The searches above found something: the budget held with results on the page.
    found = client.get(OTHER_ADDRESSES[language][0]).content.decode()
    assert found.count('class="card__title"') >= 2


def test_the_site_and_its_root_paths_are_what_wagtail_would_find(site, client):
    """One query stands for Wagtail's site lookup, the home page's own row and
    wagtail-modeltranslation's root paths of each language: the same answers."""
    default = Site.objects.get(is_default_site=True)
    news = NewsIndexPage.objects.get()
    other = Site.objects.create(hostname="other.example", port=8080, root_page=news)
    loaded = {s.pk: s for s in sites.load_sites()}
    assert type(loaded[default.pk].root_page) is HomePage
    # A root of a type that is not meant to be one is a plain Page, as Wagtail gives it.
    assert loaded[other.pk].root_page.specific == news
    loaded = list(loaded.values())
    for host, port in [
        (default.hostname, default.port),
        ("other.example", 8080),
        ("other.example", 80),
        ("elsewhere.example", 80),
    ]:
        expected = get_site_for_hostname(host, port)
        assert sites.site_for_host(loaded, host, port).pk == expected.pk, (host, port)
    paths = sites.root_paths(loaded)
    for language in ("en", "ar"):
        cache.clear()
        with translation.override(language):
            assert paths[language] == [tuple(path) for path in Site.get_site_root_paths()]
    other.delete()
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/en/")
    assert response.status_code == 200
    assert sum('"wagtailcore_site"' in query["sql"] for query in queries) == 1
    paths = sites.root_paths(sites.load_sites())
    with CaptureQueriesContext(connection) as queries:
        for language in ("en", "ar"):
            with translation.override(language):
                assert [tuple(path) for path in news._get_site_root_paths()] == paths[language]
                assert news.url == iri_to_uri(f"/{language}/{news.slug}/")
    assert not queries, "the root paths were remembered with the request's site"
    # With no language active (a command, a task), those of the default language.
    with translation.override(None):
        assert news.url == iri_to_uri(f"/en/{news.slug_en}/")


def story_queries(client, story):
    """The SQL queries and cache reads of a story's second render, and its HTML."""
    client.get(url(story, "en"))
    with (
        CaptureQueriesContext(connection) as queries,
        mock.patch.object(cache, "get", wraps=cache.get) as reads,
    ):
        response = client.get(url(story, "en"))
    assert response.status_code == 200
    return (len(queries), reads.call_count), response.content.decode()


def live_pages(parent, model, numbers, **fields):
    """Live pages under ``parent``, one per number, without revisions (quicker than the
    factories); a field given as ``None`` takes the number."""
    name = model._meta.model_name
    return [
        parent.add_child(
            instance=model(
                title_en=f"{name} {number}",
                title_ar=f"{name} {number} ar",
                slug_en=f"{name}-{number}",
                slug_ar=f"{name}-{number}-ar",
                live=True,
                **{key: number if value is None else value for key, value in fields.items()},
            )
        )
        for number in numbers
    ]


def test_a_story_costs_the_same_queries_and_cache_reads_with_1_or_50_related_pages(
    small_site, client, no_page_cache
):
    story = small_site.story  # one topic, person, provision and News Tracker story
    one, _html = story_queries(client, story)
    news, home = small_site.news, small_site.home
    articles = [number for number in range(1, 60) if number not in (33, 99)][:49]
    with unindexed():
        topics = live_pages(home, TopicPage, range(49))
        provisions = live_pages(
            small_site.charter, CharterProvisionPage, articles, article=None, text_en="Text."
        )
        people = PersonFactory.create_batch(49)
        stories = live_pages(news, NewsStoryPage, range(49), date=datetime.date(2012, 1, 1))
    story.topics.add(*topics)
    story.charter_provisions.add(*provisions)
    story.people.add(*people)
    for number, other in enumerate(stories, start=1):
        story.related_stories.add(RelatedStory(story=other, sort_order=number))
    story.save_revision().publish()
    fifty, html = story_queries(client, story)
    assert fifty == one
    for page in (topics[-1], provisions[-1], stories[-1]):
        assert f'href="{url(page, "en")}"' in html
    assert people[-1].name_en in html


def test_the_pages_citing_a_provision_are_shown_ten_at_a_time(
    small_site, client, no_page_cache, django_assert_max_num_queries
):
    article = small_site.article_33
    for number in range(12):
        story = NewsStoryFactory(parent=small_site.news, title_en=f"Citing story {number:02}")
        story.charter_provisions.add(article)
        story.save_revision().publish()
    first = client.get(url(article, "en")).content.decode()
    assert first.count("Citing story") == 10
    assert 'href="?page=2" rel="next"' in first and 'rel="prev"' not in first
    with django_assert_max_num_queries(8):
        second = client.get(url(article, "en") + "?page=2").content.decode()
    assert second.count("Citing story") == 2
    assert 'href="?page=1" rel="prev"' in second and 'rel="next"' not in second
    shown = {title for page in (first, second) for title in re.findall(r"Citing story \d+", page)}
    assert len(shown) == 12


def test_templates_look_up_no_missing_attribute(site, client, no_page_cache):
    """A failed attribute lookup makes Django's template engine list the object's
    attributes with ``dir()``, which on a page costs milliseconds."""
    with mock.patch("django.template.base.dir", create=True, wraps=dir) as listed:
        for model in PAGE_TYPES:
            page = model.objects.live().order_by("path").first()
            assert client.get(url(page, "en")).status_code == 200
    assert [call.args[0] for call in listed.call_args_list] == []
