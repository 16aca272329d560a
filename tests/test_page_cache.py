"""The whole-page cache (apps/core/page_cache.py) on the real Redis, its Cache-Control
headers, and its purging (apps/core/signals.py): a reader never sees a page older than
the last change the public could see."""

import os
from unittest import mock

from django.contrib.auth.models import Group
from django.utils import translation

from wagtail.models import Page, PageViewRestriction

import pytest
import redis
from django_tasks_db.models import DBTaskResult
from factories import NewsIndexFactory, attach_photo
from frontend_cache import purged_paths

from apps.core import page_cache
from apps.home.models import HomePage
from apps.news.models import NewsIndexPage, NewsStoryPage
from apps.people.models import Person
from apps.topics.models import TopicPage

# A Redis database of its own for each xdist worker (12 in one process, 13 for gw0, 14
# for gw1…), emptied before and after each test. TEST_REDIS_DB moves the range, so that
# two checkouts can run the suite side by side.
FIRST_REDIS_DB = int(os.environ.get("TEST_REDIS_DB", "12"))
SECURITY_HEADERS = (
    "Content-Security-Policy",
    "X-Frame-Options",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Permissions-Policy",
)
NEVER_STORE = ("private", "no-store")


@pytest.fixture
def redis_url(worker_id):
    number = 0 if worker_id == "master" else 1 + int(worker_id.removeprefix("gw"))
    return f"redis://127.0.0.1:6379/{FIRST_REDIS_DB + number}"


@pytest.fixture(autouse=True)
def redis_cache(settings, redis_url):
    """The default cache on Redis, with the page cache on and known header lifetimes."""
    server = redis.Redis.from_url(redis_url)
    server.flushdb()
    settings.CACHES = {
        "default": {
            "BACKEND": "apps.core.cache.ResilientRedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": "test-page-cache",
        }
    }
    settings.PAGE_CACHE_SECONDS = 300
    settings.CACHE_CONTROL_MAX_AGE = 60
    settings.CACHE_CONTROL_S_MAXAGE = 600
    yield server
    server.flushdb()
    server.close()


def url(page, language):
    with translation.override(language):
        return page.get_url()


def read(client, address, expect="hit"):
    """The page at ``address``: a 200, served from the cache (``hit``) or stored in it
    (``miss``) as ``expect`` says."""
    response = client.get(address)
    assert response.status_code == 200, address
    assert response.get(page_cache.STATUS_HEADER) == expect, address
    return response.content.decode()


def warm(client, *addresses):
    """Request each address twice: the second answer comes from the cache."""
    for address in addresses:
        client.get(address)
        read(client, address, "hit")


def story():
    return NewsStoryPage.objects.get()


def listings(language):
    home = HomePage.objects.get()
    index = NewsIndexPage.objects.get()
    return [url(home, language), url(index, language), f"/{language}/feeds/news.rss"]


def test_anonymous_pages_are_cached_per_language_with_public_headers(
    client, site, redis_cache, django_assert_num_queries
):
    english, arabic = url(story(), "en"), url(story(), "ar")
    first = client.get(english)
    assert first[page_cache.STATUS_HEADER] == "miss"
    assert set(first["Cache-Control"].split(", ")) == {"public", "max-age=60", "s-maxage=600"}
    assert redis_cache.keys("*page-cache:page:*"), "nothing was stored in Redis"
    with django_assert_num_queries(0):
        hit = client.get(english)
    assert hit[page_cache.STATUS_HEADER] == "hit"
    assert hit.content == first.content
    for name in (*SECURITY_HEADERS, "Cache-Control", "Content-Type", "Content-Language"):
        assert hit[name] == first[name], name
    # Each language has its own entry.
    assert client.get(arabic)[page_cache.STATUS_HEADER] == "miss"
    assert 'lang="ar"' in read(client, arabic)
    assert 'lang="en"' in read(client, english)
    # HEAD is answered from the entry a GET stored.
    assert client.head(english)[page_cache.STATUS_HEADER] == "hit"
    # The feeds and the sitemap are pages too; the admin and the API are not.
    for address in ("/en/feeds/news.rss", "/sitemap.xml"):
        assert client.get(address)[page_cache.STATUS_HEADER] == "miss"
        assert client.get(address)[page_cache.STATUS_HEADER] == "hit"
    api = client.get("/api/v2/pages/")
    assert page_cache.STATUS_HEADER not in api and "public" not in api.get("Cache-Control", "")


def test_a_hit_is_answered_before_the_rest_of_the_middleware_with_the_misss_headers(client, site):
    """The cache sits right after the static files: a hit runs no session, locale,
    CSRF, authentication, messages or CSP middleware, and carries the headers they gave
    the page when it was stored, whatever their order."""
    address = url(story(), "ar")
    miss = client.get(address)
    assert miss[page_cache.STATUS_HEADER] == "miss"
    assert hasattr(miss.wsgi_request, "session") and hasattr(miss.wsgi_request, "user")
    hit = client.get(address)
    assert hit[page_cache.STATUS_HEADER] == "hit"
    for attribute in ("session", "user", "LANGUAGE_CODE", "_messages", "csp_nonce"):
        assert not hasattr(hit.wsgi_request, attribute), attribute
    headers = {name: value for name, value in miss.items() if name != page_cache.STATUS_HEADER}
    assert {name: value for name, value in hit.items() if name != page_cache.STATUS_HEADER} == (
        headers
    )
    assert headers["Content-Language"] == "ar"
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]


def test_the_cache_keeps_one_redis_client_per_connection_pool():
    """Django would build a ``redis.Redis`` for each call; the site's backend reuses it,
    and a server that restarted is still reached through it (tests/test_outages.py)."""
    from django.core.cache import cache

    client = cache._cache.get_client()
    assert cache._cache.get_client(write=True) is client
    cache.set("reused", 1)
    assert cache.get("reused") == 1
    assert cache._cache.get_client() is client


def test_errors_and_redirects_are_not_cached(client, site):
    for _ in range(2):
        missing = client.get("/en/no-such-page/")
        assert missing.status_code == 404
        assert page_cache.STATUS_HEADER not in missing
        assert "public" not in missing.get("Cache-Control", "")
    assert page_cache.STATUS_HEADER not in client.get("/")  # the language redirect


def test_signed_in_users_are_never_cached(client, site, admin_user):
    address = url(story(), "en")
    warm(client, address)
    client.force_login(admin_user)
    for _ in range(2):
        response = client.get(address)
        assert response.status_code == 200
        assert page_cache.STATUS_HEADER not in response
        assert all(word in response["Cache-Control"] for word in NEVER_STORE)
    # And what they saw is not served to anyone else.
    client.logout()
    client.cookies.clear()
    assert "private" not in client.get(address)["Cache-Control"]


def test_previews_are_never_served_from_or_stored_in_the_cache(client, site):
    page = story()
    warm(client, url(page, "en"))
    page.title_en = "A draft title nobody has published"
    with translation.override("en"):
        response = page.make_preview_request()
    assert "A draft title nobody has published" in response.content.decode()
    assert all(word in response["Cache-Control"] for word in NEVER_STORE)
    assert "A draft title nobody has published" not in read(client, url(page, "en"))


def test_csrf_tokens_and_session_cookies_are_never_cached(client, site):
    # Wagtail's password form for a private page carries a CSRF token.
    index = NewsIndexPage.objects.get()
    PageViewRestriction.objects.create(
        page=index, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    address = url(story(), "en")
    for _ in range(2):
        response = client.get(address)
        assert response.status_code == 200 and "csrfmiddlewaretoken" in response.content.decode()
        assert page_cache.STATUS_HEADER not in response
        assert all(word in response["Cache-Control"] for word in NEVER_STORE)
    # A request with a session cookie (a signed-in user, or a visitor who gave the
    # password) is neither answered from the cache nor stored.
    home = url(HomePage.objects.get(), "en")
    warm(client, home)
    client.cookies["sessionid"] = "whatever"
    response = client.get(home)
    assert page_cache.STATUS_HEADER not in response
    assert all(word in response["Cache-Control"] for word in NEVER_STORE)


def test_a_response_that_sets_a_cookie_or_touches_the_session_is_not_cached(rf):
    def view(request):
        response = page_cache.HttpResponse("hello")
        response.set_cookie("flavour", "lemon")
        return response

    middleware = page_cache.PageCacheMiddleware(view)
    for _ in range(2):
        response = middleware(rf.get("/en/"))
        assert page_cache.STATUS_HEADER not in response
        assert all(word in response["Cache-Control"] for word in NEVER_STORE)


def test_page_cache_seconds_zero_turns_it_off(client, site, settings, redis_cache):
    settings.PAGE_CACHE_SECONDS = 0
    address = url(story(), "en")
    for _ in range(2):
        response = client.get(address)
        assert page_cache.STATUS_HEADER not in response
        # The CDN's headers stay.
        assert "s-maxage=600" in response["Cache-Control"]
    assert not redis_cache.keys("*page-cache:page:*")


def test_publishing_a_change_purges_the_page_and_its_listings(
    client, site, django_capture_on_commit_callbacks
):
    page = story()
    addresses = [url(page, code) for code in ("en", "ar")] + listings("en") + listings("ar")
    warm(client, *addresses, "/sitemap.xml")
    page.title_en = "Envoys agree on a new round of talks"
    page.title_ar = "المبعوثون يتفقون على جولة جديدة من المحادثات"
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    page = story()
    assert "Envoys agree on a new round of talks" in read(client, url(page, "en"), "miss")
    assert "المبعوثون يتفقون على جولة جديدة من المحادثات" in read(client, url(page, "ar"), "miss")
    for address in listings("en"):
        assert "Envoys agree on a new round of talks" in read(client, address, "miss")
    for address in listings("ar"):
        assert "المبعوثون يتفقون على جولة جديدة من المحادثات" in read(client, address, "miss")
    # The sitemap is purged too (the story's last modification date changed): its
    # index and the file that lists the story.
    read(client, "/sitemap.xml", "miss")
    assert url(page, "en") in read(client, story_file(page), "miss")


def story_file(page):
    """The address of the sitemap file that lists a story (its year's)."""
    return f"/sitemap-news-{page.date.year}.xml"


@pytest.mark.parametrize("action", ["unpublish", "restrict"])
def test_a_sitemap_file_never_lists_a_page_after_it_is_withdrawn(
    client, site, action, django_capture_on_commit_callbacks
):
    """Nor misses it once it is published again; the index's lastmod follows."""
    page = story()
    address = story_file(page)
    warm(client, "/sitemap.xml", address)
    assert url(page, "ar") in read(client, address)
    with django_capture_on_commit_callbacks(execute=True):
        if action == "unpublish":
            page.unpublish()
        else:
            PageViewRestriction.objects.create(page=page.get_parent(), restriction_type="login")
    assert client.get(address).status_code == 404  # the story was the year's only one
    assert address not in read(client, "/sitemap.xml", "miss")
    with django_capture_on_commit_callbacks(execute=True):
        if action == "unpublish":
            page.save_revision().publish()
        else:
            PageViewRestriction.objects.all().delete()
    assert url(page, "ar") in read(client, address, "miss")
    lastmod = story().last_published_at.isoformat(timespec="seconds")
    assert f"{address}</loc><lastmod>{lastmod}</lastmod>" in read(client, "/sitemap.xml", "miss")


@pytest.mark.parametrize("action", ["unpublish", "delete"])
def test_unpublishing_or_deleting_purges_the_page_and_its_listings(client, site, action):
    page = story()
    title = page.title_en
    addresses = [url(page, "en"), url(page, "ar")]
    warm(client, *addresses, *listings("en"))
    getattr(page, action)()
    for address in addresses:
        assert client.get(address).status_code == 404
    for address in listings("en"):
        assert title not in read(client, address, "miss")


def test_moving_a_page_purges_the_section_it_left(client, site):
    page = story()
    old_index = NewsIndexPage.objects.get()
    new_index = NewsIndexFactory(parent=HomePage.objects.get(), title_en="Archive")
    old = url(page, "en")
    warm(client, old, url(old_index, "en"))
    page.move(new_index, pos="last-child")
    moved = client.get(old)  # Wagtail's redirect to the new address, not the old page
    assert moved.status_code == 301 and moved["Location"] == url(story(), "en")
    assert page.title_en not in read(client, url(old_index, "en"), "miss")
    assert page.title_en in read(client, url(story(), "en"), "miss")


def test_adding_a_view_restriction_purges_the_page_and_its_listings(client, site):
    page = story()
    warm(client, url(page, "en"), *listings("en"))
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([Group.objects.get(name="Editors")])
    assert client.get(url(page, "en")).status_code == 302  # to the sign-in page
    for address in listings("en"):
        assert page.title_en not in read(client, address, "miss")


def test_editing_a_person_shown_on_a_story_purges_it(client, site):
    page = story()
    person = page.people.first()
    assert person is not None, "the fixtures' story names people"
    assert person.name_en in read(client, url(page, "en"), "miss")
    warm(client, url(page, "en"))
    person.name_en = "A. N. Other"
    person.save()
    assert "A. N. Other" in read(client, url(page, "en"), "miss")
    Person.objects.filter(pk=person.pk).delete()
    assert "A. N. Other" not in read(client, url(page, "en"), "miss")


def test_editing_an_image_caption_purges_the_pages_that_show_it(client, site):
    image = attach_photo(TopicPage.objects.get(), title_en="Duncan Moore")
    topic = TopicPage.objects.get()
    warm(client, url(topic, "en"))
    image.caption_en = "Envoys at the table, photographed in Geneva"
    image.save()
    assert "Envoys at the table, photographed in Geneva" in read(client, url(topic, "en"), "miss")


def test_bookkeeping_saves_of_an_image_purge_nothing(client, site):
    image = attach_photo(TopicPage.objects.get(), title_en="Duncan Moore")
    topic = TopicPage.objects.get()
    warm(client, url(topic, "en"))
    image.save(update_fields=["file_hash"])
    read(client, url(topic, "en"), "hit")


def test_a_page_rendered_before_a_change_commits_is_not_served_after_it(client, site):
    """The entry carries the generation read before rendering: a change that commits
    while a page renders leaves that entry a miss."""
    address = url(story(), "en")
    before = page_cache.current_generation({})
    client.get(address)
    page_cache.bump_generation()
    assert page_cache.current_generation({}) != before
    read(client, address, "miss")


def cache_reads(client, address):
    """The keys a request for ``address`` read from the cache (``get`` and
    ``get_many``), without the key prefix."""
    from django.core.cache import cache

    keys = []
    get, get_many = cache.get, cache.get_many
    with (
        mock.patch.object(
            cache, "get", side_effect=lambda key, *a: keys.append(key) or get(key, *a)
        ),
        mock.patch.object(
            cache,
            "get_many",
            side_effect=lambda names, *a: keys.extend(names) or get_many(names, *a),
        ),
    ):
        assert client.get(address).status_code == 200
    return keys


def test_a_request_reads_the_generation_once_and_what_the_process_remembers_not_at_all(
    client, site, settings
):
    """What is remembered until the next change (a listing's years and topics, the
    site, its root paths) is kept in the process for the generation: a rendered page
    asks the cache for the generation once, and for none of it. A change makes the
    next request read it again."""
    settings.PAGE_CACHE_SECONDS = 0
    index = url(NewsIndexPage.objects.get(), "ar")
    client.get(index)
    keys = cache_reads(client, index)
    assert keys.count(page_cache.GENERATION_KEY) == 1, keys
    assert not [key for key in keys if key.startswith(page_cache.VALUE_PREFIX)], keys
    assert not [key for key in keys if "root_paths" in key], keys
    page_cache.bump_generation()
    keys = cache_reads(client, index)
    assert keys.count(page_cache.GENERATION_KEY) == 1, keys
    assert [key for key in keys if key.startswith(page_cache.VALUE_PREFIX)], keys


def test_the_menu_of_a_page_not_routed_through_home_is_read_once_until_a_change(
    client, site, settings, django_assert_num_queries
):
    """Search and error pages read the navigation's sections once per generation; a
    section withdrawn leaves the menu at once."""
    settings.PAGE_CACHE_SECONDS = 0
    client.get("/en/search/")
    with django_assert_num_queries(0):
        first = client.get("/en/search/").content.decode()
    index = NewsIndexPage.objects.get()
    assert f'href="{url(index, "en")}"' in first
    index.unpublish()
    assert f'href="{url(index, "en")}"' not in client.get("/en/search/").content.decode()


def test_changing_a_site_is_a_change_the_public_sees(client, site):
    """The remembered sites and every cached page are of the old site."""
    from wagtail.models import Site

    from apps.core.sites import remembered_sites

    address = url(story(), "en")
    warm(client, address)
    default = Site.objects.get(is_default_site=True)
    default.site_name = "Renamed"
    default.save()
    assert [found.site_name for found in remembered_sites()] == ["Renamed"]
    read(client, address, "miss")


def test_the_worker_purges_the_cdn_not_the_publish_request(site, purged_by, worker):
    """With TASKS_BACKEND=database a publication only queues the purge: the worker
    finds the addresses, in both languages, once the change is committed."""
    page = story()
    assert purged_by(lambda: page.save_revision().publish()) == set()
    purges = DBTaskResult.objects.filter(task_path="apps.core.signals.purge_later")
    assert list(purges.values_list("status", flat=True)) == ["READY"]
    worker()
    assert list(purges.values_list("status", flat=True)) == ["SUCCESSFUL"]
    assert {url(page, "en"), url(page, "ar"), "/sitemap.xml", story_file(page)} <= purged_paths()

    # A page deleted before the worker runs: its addresses were found while it existed.
    addresses = {url(page, "en"), url(page, "ar")}
    assert purged_by(lambda: Page.objects.get(pk=page.pk).delete()) == set()
    worker()
    assert addresses | {"/sitemap.xml", "/ar/feeds/news.rss"} <= purged_paths()


def test_changes_purge_the_cdn_in_both_languages(site, purged_by):
    page = story()
    home, index = HomePage.objects.get(), NewsIndexPage.objects.get()
    site_wide = {"/sitemap.xml", "/en/feeds/news.rss", "/ar/feeds/reports.atom"}
    # Every file of the sitemap (a change may move a page from one to another).
    site_wide |= {story_file(page), "/sitemap-home.xml", "/sitemap-reports.xml"}

    purged = purged_by(lambda: page.save_revision().publish())
    expected = {url(p, code) for p in (page, index, home) for code in ("en", "ar")}
    assert expected | site_wide <= purged
    person = page.people.first()
    person.name_ar = "اسم آخر"
    assert {url(page, "ar"), url(index, "en")} <= purged_by(person.save)
    image = attach_photo(TopicPage.objects.get(), title_en="Duncan Moore")
    topic = TopicPage.objects.get()
    assert {url(topic, "en"), url(topic, "ar")} <= purged_by(image.save)
    addresses = {url(page, "en"), url(page, "ar")}
    purged = purged_by(lambda: Page.objects.get(pk=page.pk).delete())
    assert addresses | {url(index, "ar")} | site_wide <= purged
