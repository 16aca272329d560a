"""A page the public may not see (a draft, unpublished, private, or under a private
section) shows nothing of itself anywhere public: not its title, not its address,
not its id in the API, not its year in a filter.

Each test has a positive control: the public pages beside the withheld ones do
show, so a page that showed nothing at all would fail.
"""

import datetime
import json
import re
from urllib.parse import quote

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from wagtail.models import Page, PageViewRestriction

import pytest
from site_tree import provision, report, restrict, story, topic, url
from sitemap_files import site_path, sitemap_index, sitemap_urls

from apps.core.mentions import link_mentions
from apps.core.visibility import is_public, public_only, public_pages, restricted_paths
from apps.news.models import NewsStoryPage, RelatedStory
from apps.topics.models import TopicReport

pytestmark = pytest.mark.django_db

LANGUAGES = ("en", "ar")
HOW = ("password", "login", "unpublished", "draft")


def withhold(small_site, how):
    """Pages the public may not see, linked from every public place that can show a
    page: a story, a report, a provision and a topic, made private or never published
    (or unpublished). Their titles say "Withheld" / «محجوب»; their years (2012, 2013)
    belong to no public page."""
    draft = how == "draft"
    w = small_site
    w.hidden_provision = provision(
        small_site.charter, 98, "Withheld article", "مادة محجوبة", publish=not draft
    )
    w.hidden_report = report(
        small_site.reports,
        "withheld-report",
        "Withheld report",
        "تقرير محجوب",
        datetime.date(2013, 3, 1),
        "S/2013/99",
        publish=not draft,
        summary_en="A clandestine summary.",
    )
    w.hidden_topic = topic(small_site.home, "withheld-topic", "Withheld topic", "موضوع محجوب")
    w.hidden_story = story(
        small_site.news,
        "withheld-story",
        "Withheld story",
        "خبر محجوب",
        datetime.date(2012, 6, 1),
        publish=not draft,
        lead_en="<p>A clandestine lead, newer than every public story.</p>",
    )
    if not draft:
        # A withheld story cites a public article: it must not be listed as citing it.
        w.hidden_story.charter_provisions.set([small_site.article_99])
        w.hidden_story.save_revision().publish()
    # Linked from public pages: the topic lists the report, the story has the topic,
    # the provision and three News Tracker entries on the withheld story (one with a
    # title and an address of its own), Article 99's text mentions Article 98.
    TopicReport.objects.create(page=small_site.topic, report=w.hidden_report, sort_order=1)
    small_site.topic.save_revision().publish()
    TopicReport.objects.create(page=w.hidden_topic, report=small_site.report)
    w.hidden_topic.save_revision().publish()
    main = small_site.story
    main.topics.set([small_site.topic, w.hidden_topic])
    main.charter_provisions.set([small_site.article_99, w.hidden_provision])
    main.related_stories.add(RelatedStory(story=w.hidden_story, sort_order=1))
    main.related_stories.add(
        RelatedStory(story=w.hidden_story, title="A title, no address", sort_order=2)
    )
    main.related_stories.add(
        RelatedStory(
            story=w.hidden_story,
            title="External copy",
            url="https://example.org/copy",
            sort_order=3,
        )
    )
    main.save_revision().publish()
    small_site.article_99.text_en = "See also Article 98 and Article 33."
    small_site.article_99.save_revision().publish()
    hidden = [w.hidden_provision, w.hidden_report, w.hidden_topic, w.hidden_story]
    for page in hidden:
        if how in ("password", "login"):
            restrict(page, how)
        elif how == "unpublished":
            page.refresh_from_db()
            page.unpublish()
    # The topic, published above, is withheld the same way as the others.
    if draft:
        w.hidden_topic.unpublish()
    return hidden


def public_urls(small_site, client):
    pages = [
        small_site.home,
        small_site.news,
        small_site.story,
        small_site.older_story,
        small_site.reports,
        small_site.report,
        small_site.charter,
        small_site.article_99,
        small_site.topic,
    ]
    urls = [url(page, language) for page in pages for language in LANGUAGES]
    for language in LANGUAGES:
        urls += [
            f"/{language}/search/",
            f"/{language}/search/?q=clandestine",
            f"/{language}/search/?q=withheld",
            f"/{language}/feeds/news.rss",
            f"/{language}/feeds/news.atom",
            f"/{language}/feeds/reports.rss",
            f"/{language}/feeds/reports.atom",
        ]
    # The sitemap's index and every file it lists.
    urls.append("/sitemap.xml")
    urls += [site_path(address) for address, _lastmod in sitemap_index(client)]
    for page in (small_site.story, small_site.topic, small_site.article_99, small_site.report):
        urls.append(f"/api/v2/pages/{page.pk}/")
    urls.append("/api/v2/pages/?type=news.NewsStoryPage&fields=*")
    urls.append("/api/v2/pages/?type=topics.TopicPage&fields=*")
    return urls


def traces(page):
    """What would give a page away: its titles and its addresses."""
    page = Page.objects.get(pk=page.pk).specific
    found = [page.title_en, page.title_ar]
    for language in LANGUAGES:
        with translation.override(language):
            path = page.get_url() or ""
        found += [path, quote(path)]
    return [t for t in found if t]


def api_ids(data):
    """Every ``id`` of an embedded page in an API answer."""
    ids = set()
    if isinstance(data, dict):
        meta = data.get("meta") or {}
        if "detail_url" in meta and "id" in data and "/pages/" in meta["detail_url"]:
            ids.add(data["id"])
        for value in data.values():
            ids |= api_ids(value)
    elif isinstance(data, list):
        for value in data:
            ids |= api_ids(value)
    return ids


@pytest.mark.parametrize("how", HOW)
def test_withheld_pages_show_nothing_anywhere_public(client, small_site, how):
    hidden = withhold(small_site, how)
    hidden_ids = {page.pk for page in hidden}
    hidden_traces = [t for page in hidden for t in traces(page)]
    for address in public_urls(small_site, client):
        response = client.get(address)
        assert response.status_code == 200, address
        body = response.content.decode()
        for trace in hidden_traces:
            assert trace not in body, f"{trace!r} shows on {address}"
        assert "Withheld" not in body and "محجوب" not in body, address
        if address.startswith("/api/"):
            assert not api_ids(json.loads(body)) & hidden_ids, address
    # Positive controls: the public pages beside them do show.
    home = client.get(url(small_site.home, "en")).content.decode()
    assert "UN must lead on mediation" in home and "Preventive diplomacy" in home
    assert "Article 99" in home and "Good offices" in home
    story_page = client.get(url(small_site.story, "en")).content.decode()
    assert "Good offices" in story_page and "Article 99" in story_page
    assert "Envoys meet" in story_page and "Ban Ki-moon" in story_page
    topic_page = client.get(url(small_site.topic, "ar")).content.decode()
    assert "الدبلوماسية الوقائية" in topic_page
    assert "UN must lead on mediation" in client.get("/en/feeds/news.rss").content.decode()
    assert f"http://testserver{url(small_site.story, 'en')}" in sitemap_urls(client)
    citing = client.get(url(small_site.article_99, "en")).content.decode()
    assert "UN must lead on mediation" in citing  # the public story that cites it
    assert f'href="{url(small_site.article_33, "en")}"' in citing  # "Article 33" is linked
    check_news_tracker(client, small_site)
    check_api(client, small_site, hidden)


def check_news_tracker(client, small_site):
    """An entry on a withheld story shows as an external link when it has its own
    title and address, and not at all otherwise."""
    for language in LANGUAGES:
        body = client.get(url(small_site.story, language)).content.decode()
        tracker = re.search(r'<section class="news-tracker".*?</section>', body, re.S).group(0)
        items = re.findall(r"<li[^>]*>(.*?)</li>", tracker, re.S)
        # The public story, and the entry with its own title and address, as an
        # external link; the entries with no address of their own are left out.
        assert len(items) == 2, items
        assert f'href="{url(small_site.older_story, language)}"' in items[0]
        assert items[1] == '<a href="https://example.org/copy">External copy</a>'


def check_api(client, small_site, hidden):
    """The API's embedded pages are the public ones, in Wagtail's usual shape."""
    data = client.get(f"/api/v2/pages/{small_site.story.pk}/").json()
    assert [t["id"] for t in data["topics"]] == [small_site.topic.pk]
    assert data["topics"][0]["title"] == "Good offices"
    assert [p["id"] for p in data["charter_provisions"]] == [small_site.article_99.pk]
    tracker = data["related_stories"]
    assert [item["story"] and item["story"]["id"] for item in tracker] == [
        small_site.older_story.pk,
        None,
    ]
    assert tracker[1]["title"] == "External copy"
    assert tracker[1]["url"] == "https://example.org/copy"
    data = client.get(f"/api/v2/pages/{small_site.topic.pk}/").json()
    assert [item["report"]["id"] for item in data["related_reports"]] == [small_site.report.pk]
    # Nested field selection still goes through Wagtail's serializers.
    data = client.get(f"/api/v2/pages/{small_site.story.pk}/?fields=topics(title_ar)").json()
    assert data["topics"][0]["title_ar"] == "المساعي الحميدة"
    assert hidden[2].pk not in {t["id"] for t in data["topics"]}


def test_charter_quotation_links_only_a_public_provision(client, small_site):
    hidden = provision(small_site.charter, 98, "Withheld article", "مادة محجوبة")
    body = [
        ("charter_quotation", {"provision": page.pk, "intro": "", "text": f"Quoted {n}"})
        for n, page in enumerate((small_site.article_99, hidden))
    ]
    small_site.topic.body_en = json.dumps([{"type": t, "value": v} for t, v in body])
    small_site.topic.save_revision().publish()
    restrict(hidden, "password")
    html = client.get(url(small_site.topic, "en")).content.decode()
    assert "Quoted 0" in html and "Quoted 1" in html  # the quotations themselves stay
    assert f'href="{url(small_site.article_99, "en")}"' in html
    assert "Withheld" not in html and url(hidden, "en") not in html
    stream = client.get(f"/api/v2/pages/{small_site.topic.pk}/").json()["body_en"]
    assert [block["value"]["provision"] for block in stream] == [small_site.article_99.pk, None]


@pytest.mark.parametrize("how", ["password", "draft"])
def test_rich_text_links_lead_only_to_public_pages(client, small_site, how):
    hidden = story(
        small_site.news,
        "withheld-story",
        "Withheld story",
        "قصة محجوبة",
        datetime.date(2012, 1, 1),
        publish=how != "draft",
    )
    if how == "password":
        restrict(hidden, "password")
    small_site.story.lead_en = (
        f'<p>See <a linktype="page" id="{small_site.older_story.pk}">envoys</a> and'
        f' <a linktype="page" id="{hidden.pk}">the next step</a>.</p>'
    )
    small_site.story.save_revision().publish()
    html = client.get(url(small_site.story, "en")).content.decode()
    assert f'<a href="{url(small_site.older_story, "en")}">envoys</a>' in html
    # The link's text stays; the unpublished page's address does not.
    assert "<a>the next step</a>" in html
    assert "withheld-story" not in html


def test_restriction_on_a_section_hides_everything_under_it(client, small_site):
    restrict(small_site.reports, "password")
    # Home, the topic that lists the report, the report feed, the sitemap, the API,
    # the navigation and the search filter show nothing of the reports section.
    # (The section's own titles, "Reports" / «تقارير», are words of the interface too.)
    section_urls = [url(small_site.reports, language) for language in LANGUAGES]
    reports_traces = traces(small_site.report) + traces(small_site.old_report) + section_urls
    for address in public_urls(small_site, client):
        if address.startswith(("/en/reports/", "/ar/taqarir/")):
            continue  # the section itself answers with its password form
        body = client.get(address).content.decode()
        for trace in reports_traces:
            assert trace not in body, f"{trace!r} shows on {address}"
    api = client.get(f"/api/v2/pages/{small_site.topic.pk}/").json()
    assert api["related_reports"] == []
    search = client.get("/en/search/").content.decode()
    assert '<option value="2009"' not in search  # only the old report has that year
    # Control: the news section, in the same places, is still there.
    home = client.get(url(small_site.home, "en")).content.decode()
    assert f'href="{url(small_site.news, "en")}"' in home and "UN must lead on mediation" in home
    assert '<option value="2011"' in search


def year_options(body):
    select = re.search(r'<select id="filter-year".*?</select>', body, re.S).group(0)
    return re.findall(r'<option value="(\d+)"', select)


def test_years_in_filters_come_from_public_pages_only(client, small_site):
    withhold(small_site, "password")
    search = client.get("/en/search/").content.decode()
    years = re.findall(r'<option value="(\d+)"', search)
    assert years == ["2011", "2010", "2009"]  # not 2012 or 2013
    news = client.get(url(small_site.news, "en")).content.decode()
    assert year_options(news) == ["2011", "2010"]
    reports = client.get(url(small_site.reports, "en")).content.decode()
    assert year_options(reports) == ["2011", "2009"]
    # Topic options: the public topic only.
    assert f'<option value="{small_site.topic.pk}">Good offices</option>' in news


def test_adding_and_removing_a_restriction_changes_cached_mention_links(small_site):
    hidden = small_site.article_33
    link = f'<a class="mention" href="{url(hidden, "en")}">Article 33</a>'
    assert link in link_mentions("Under Article 33 the parties", "en")  # now cached
    restriction = restrict(hidden, "login")
    assert link not in link_mentions("Under Article 33 the parties", "en")
    restriction.delete()
    assert link in link_mentions("Under Article 33 the parties", "en")
    # A restriction on the section above does the same.
    section = restrict(small_site.charter)
    assert "mention" not in link_mentions("Under Article 33 the parties", "en")
    section.delete()
    assert link in link_mentions("Under Article 33 the parties", "en")
    # So does moving the page into a restricted section.
    restrict(small_site.reports)
    hidden.move(small_site.reports, pos="last-child")
    assert "mention" not in link_mentions("Under Article 33 the parties", "en")


def test_restriction_changes_purge_the_frontend_cache(small_site, purged_by):
    purged = purged_by(lambda: restrict(small_site.report))
    for page in (small_site.report, small_site.reports, small_site.home, small_site.topic):
        for language in LANGUAGES:
            assert url(page, language) in purged, (page, language)
    assert url(small_site.older_story, "en") not in purged  # unrelated pages stay cached
    restriction = PageViewRestriction.objects.get(page=small_site.report)
    assert url(small_site.report, "ar") in purged_by(restriction.delete)
    # A story lists its topics through a many-to-many field, which Wagtail's reference
    # index does not record.
    purged = purged_by(lambda: restrict(small_site.topic, "login"))
    assert url(small_site.story, "ar") in purged and url(small_site.topic, "en") in purged
    # A page moved (here into that section): its new address, the section it left.
    purged = purged_by(lambda: small_site.older_story.move(small_site.topic, pos="last-child"))
    moved = Page.objects.get(pk=small_site.older_story.pk)
    assert url(moved, "en") in purged and url(small_site.news, "ar") in purged


def test_visibility_helpers(small_site):
    withhold(small_site, "login")
    restrict(small_site.charter, "password")
    everything = Page.objects.filter(depth__gt=1)
    expected = set(everything.live().public().values_list("pk", flat=True))
    assert set(public_pages(everything).values_list("pk", flat=True)) == expected
    assert {p.pk for p in public_only(everything)} == expected
    assert small_site.story.pk in expected and small_site.article_99.pk not in expected
    restricted = restricted_paths()
    assert is_public(small_site.story, restricted) and not is_public(
        small_site.article_99, restricted
    )
    assert not is_public(None, restricted)
    pages = list(everything)
    with CaptureQueriesContext(connection) as queries:
        assert {p.pk for p in public_only(pages)} == expected
    assert len(queries) == 1  # the restricted paths, whatever the number of pages


def test_story_page_queries_do_not_grow_with_related_items(
    client, small_site, django_assert_max_num_queries
):
    address = url(small_site.story, "en")
    client.get(address)  # warm caches (site root paths, mention targets)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(address).status_code == 200
    few = len(queries)  # now: the log is reset by the next request
    story_page = NewsStoryPage.objects.get(pk=small_site.story.pk)
    more_topics = [
        topic(small_site.home, f"topic-{n}", f"Topic {n}", f"موضوع {n}") for n in range(4)
    ]
    more_stories = [
        story(
            small_site.news, f"story-{n}", f"Story {n}", f"خبر {n}", datetime.date(2009, 1, n + 1)
        )
        for n in range(4)
    ]
    story_page.topics.set([small_site.topic, *more_topics])
    story_page.charter_provisions.set([small_site.article_99, small_site.article_33])
    for n, other in enumerate(more_stories, start=1):
        story_page.related_stories.add(RelatedStory(story=other, sort_order=n))
    story_page.save_revision().publish()
    client.get(address)
    with django_assert_max_num_queries(few):
        body = client.get(address).content.decode()
    assert all(f"Topic {n}" in body and f"Story {n}" in body for n in range(4))
    assert PageViewRestriction.objects.count() == 0
    # The stories of the News Tracker come without the text it does not show.
    entries = NewsStoryPage.objects.get(pk=story_page.pk).public_related_stories()
    assert [entry.story for entry in entries][-4:] == more_stories
    assert all(entry.story_is_public for entry in entries)
    assert {"body_en", "body_ar", "lead_en"} <= entries[0].story.get_deferred_fields()


def test_listing_filters_and_count_are_read_once_until_the_next_change(
    client, small_site, settings
):
    """An index remembers its years, topics and count (each a scan of the archive)
    until the next change the public can see, and never shows them stale."""
    settings.PAGE_CACHE_SECONDS = 0  # the pages themselves are rendered each time
    news = url(small_site.news, "en")
    first = client.get(news).content.decode()
    assert year_options(first) == ["2011", "2010"]
    with CaptureQueriesContext(connection) as queries:
        again = client.get(news).content.decode()
    assert again == first
    statements = " ".join(query["sql"].lower() for query in queries)
    assert "count(" not in statements and "date_trunc" not in statements
    assert "news_newsstorypage_topics" not in statements  # the topic options
    # A new year and a new topic are there at once, in both languages.
    newer = story(
        small_site.news, "newer-story", "A newer story", "خبر أحدث", datetime.date(2014, 2, 3)
    )
    other = topic(small_site.home, "other-topic", "Other topic", "موضوع آخر")
    newer.topics.set([other])
    newer.save_revision().publish()
    html = client.get(news).content.decode()
    assert year_options(html) == ["2014", "2011", "2010"]
    assert f'<option value="{other.pk}">Other topic</option>' in html
    assert (
        f'<option value="{other.pk}">موضوع آخر</option>'
        in client.get(url(small_site.news, "ar")).content.decode()
    )
    # A restriction takes the topic away; unpublishing, the year.
    restrict(other)
    assert f'value="{other.pk}"' not in client.get(news).content.decode()
    newer.unpublish()
    assert year_options(client.get(news).content.decode()) == ["2011", "2010"]
