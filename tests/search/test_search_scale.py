"""Search at the size of an archive: the work of a request does not grow with it.

Filters, visibility and pagination are SQL (no list of page ids travels through
Python), the year options come from one aggregate over public pages, cached until the
public sees a change, counting stops past ``COUNT_LIMIT`` matches and only the newest
``COUNT_LIMIT`` are ranked, snippets come from the text stored in the search
documents, and a search writes nothing.
"""

import datetime
import re

from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchVector
from django.core.cache import cache
from django.db import connection
from django.db.models import TextField, Value
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from wagtail.models import PageViewRestriction
from wagtail.search.models import IndexEntry

import pytest

from apps.search import views
from apps.search.documents import SEARCH_CONFIG, page_lead, update_documents_for
from apps.search.models import SearchDocument, stores_vectors
from apps.search.normalise import normalise_for_search
from apps.search.tasks import refresh_search_documents
from apps.search.views import PER_PAGE, public_documents
from tests.factories import HomePageFactory, NewsIndexFactory, NewsStoryFactory, ReportIndexFactory

pytestmark = pytest.mark.django_db

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)
ID_LIST = re.compile(r"\bIN \(([\d, ]+)\)")


@pytest.fixture
def news(db):
    home = HomePageFactory.as_site_root()
    ReportIndexFactory(parent=home)
    return NewsIndexFactory(parent=home)


def add_stories(news, count, start=0):
    return [
        NewsStoryFactory(
            parent=news,
            title_en=f"Ceasefire talks {n}",
            title_ar=f"محادثات وقف إطلاق النار {n}",
            date=datetime.date(2005 + n % 10, 3, 1),
        )
        for n in range(start, start + count)
    ]


def url(page, language):
    with translation.override(language):
        return page.get_url()


def get(client, language, **params):
    """A search request (from a cold cache) and the SQL it ran."""
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/{language}/search/", params)
    assert response.status_code == 200
    body = response.content.decode()
    found = re.findall(r'<h3 class="card__title"><a href="([^"]+)"', body)
    return body, found, [query["sql"] for query in queries.captured_queries]


REQUESTS = [
    ("en", {"q": "ceasefire"}),
    ("en", {"q": "ceasefire talks", "type": "news", "year": "2007"}),
    ("en", {"q": "ceasefire", "page": "2"}),
    ("ar", {"q": "اطلاق النار"}),
]


def query_counts(client):
    counts = []
    for language, params in REQUESTS:
        get(client, language, **params)  # content types and the like, cached once
        counts.append(len(get(client, language, **params)[2]))
    return counts


def test_query_count_does_not_grow_with_the_archive(client, news):
    add_stories(news, 5)  # one page of results
    small = query_counts(client)
    add_stories(news, 20, start=5)  # three pages, three stories in 2007
    assert query_counts(client) == small


def test_no_list_of_page_ids_in_the_sql(client, news):
    stories = add_stories(news, PER_PAGE + 5)
    body, found, statements = get(client, "en", q="ceasefire")
    assert len(found) == PER_PAGE and f"{PER_PAGE + 5} results for" in body
    for sql in statements:
        for ids in ID_LIST.findall(sql):
            assert len(ids.split(",")) <= PER_PAGE, sql
    # The filters narrow in SQL: a year's stories only, counted and paginated there.
    body, found, _sql = get(client, "en", q="ceasefire", year="2007")
    in_2007 = [url(story, "en") for story in stories if story.date.year == 2007]
    assert sorted(found) == sorted(in_2007) and f"{len(in_2007)} results for" in body
    assert len(in_2007) > 1


def test_a_search_writes_nothing(client, news):
    add_stories(news, 12)
    for language, params in [*REQUESTS, ("en", {"q": "nothing matches this"})]:
        statements = get(client, language, **params)[2]
        assert statements and not [sql for sql in statements if WRITE.match(sql)]
    get(client, "en", q="ceasefire")  # and it leaves no trace to read back either
    assert SearchDocument.objects.count() == 2 * 12 + 2 * 3  # stories, home and indexes


def test_private_and_draft_pages_never_appear(client, news):
    (public,) = add_stories(news, 1)
    private = NewsStoryFactory(parent=news, title_en="Ceasefire in private", title_ar="هدنة سرية")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    private_index = NewsIndexFactory(parent=news.get_parent(), title_en="Desk", slug_ar="desk")
    PageViewRestriction.objects.create(
        page=private_index, restriction_type="password", password="x"
    )
    under_private = NewsStoryFactory(parent=private_index, title_en="Ceasefire under a restriction")
    draft = NewsStoryFactory(parent=news, title_en="Ceasefire draft", publish=False)
    # A live page's unpublished changes are not searched either.
    public.title_en = "Ceasefire talks and a secret word"
    public.save_revision()
    body, found, _sql = get(client, "en", q="ceasefire")
    assert found == [url(public, "en")] and "1 result for" in body
    for page in (private, under_private, draft):
        assert url(page, "en") not in body
    assert get(client, "en", q="secret")[1] == []
    assert get(client, "ar", q="سرية")[1] == []


def test_year_options_come_from_public_pages_only(client, news):
    add_stories(news, 3)  # 2005, 2006, 2007
    private = NewsStoryFactory(
        parent=news, title_en="Ceasefire kept private", date=datetime.date(1999, 1, 1)
    )
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    NewsStoryFactory(
        parent=news, title_en="Ceasefire draft", date=datetime.date(1998, 1, 1), publish=False
    )
    body, found, _sql = get(client, "en", q="ceasefire", year="1999")
    assert re.findall(r'<option value="(\d{4})"', body) == ["2007", "2006", "2005"]
    # A year no public page has is ignored: every public result, none selected.
    assert len(found) == 3 and " selected>" not in body


def test_snippet_is_the_stored_text_around_the_match(client, news):
    words = " ".join(f"word{n}" for n in range(60))
    (story,) = add_stories(news, 1)
    story.lead_en = f"<p>{words} <b>Mediators</b> &amp; envoys {words}</p>"
    story.save_revision().publish()
    body, found, _sql = get(client, "en", q="envoys")
    assert found == [url(story, "en")]
    snippet = re.search(r'<p class="card__summary">([^\n]*)</p>', body).group(1)
    assert snippet.startswith("… word") and snippet.endswith(" …")
    assert "Mediators &amp; <mark>envoys</mark> word0" in snippet
    # The snippet is what was published and indexed, not the page's unpublished state.
    type(story).objects.filter(pk=story.pk).update(lead_en="<p>Rewritten envoys</p>")
    assert "Rewritten" not in get(client, "en", q="envoys")[0]


def test_an_external_index_is_told_the_hidden_pages(news):
    """Elasticsearch and OpenSearch cannot run the SQL subquery: the documents they
    search leave out the drafts and private pages instead, the same ones."""
    (public,) = add_stories(news, 1)
    private = NewsStoryFactory(parent=news, title_en="Ceasefire kept private")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    NewsStoryFactory(parent=news, title_en="Ceasefire draft", publish=False)
    for language in ("en", "ar"):
        in_sql = set(public_documents(language, external=False).values_list("page_id", flat=True))
        external = set(public_documents(language, external=True).values_list("page_id", flat=True))
        assert public.pk in in_sql and private.pk not in in_sql
        assert external == in_sql


def count_statements(statements):
    """The statements that count the matches (on PostgreSQL, the one that also reads
    the page of results; not the probe, which counts the matches among the newest
    documents with a ``FILTER``)."""
    return [
        sql
        for sql in statements
        if re.search(r"\bCOUNT\(\*\)", sql, re.IGNORECASE) and "FILTER (WHERE" not in sql
    ]


def test_counting_stops_past_the_limit_and_pagination_goes_on(client, news, monkeypatch):
    """A common word in a large archive is not counted to the end: "more than N
    results", N / PER_PAGE pages of them; below the limit the count is exact."""
    monkeypatch.setattr(views, "COUNT_LIMIT", 12)
    add_stories(news, 12)
    body, found, statements = get(client, "en", q="ceasefire")
    assert "12 results for" in body and "More than" not in body
    (counting,) = count_statements(statements)
    assert "LIMIT 13" in counting  # it stops
    add_stories(news, 3, start=12)
    body, found, _sql = get(client, "en", q="ceasefire")
    assert "More than 12 results for “ceasefire”" in body and len(found) == PER_PAGE
    assert 'href="?q=ceasefire&amp;page=2"' in body
    second, on_second, _sql = get(client, "en", q="ceasefire", page="2")
    assert len(on_second) == 12 - PER_PAGE and not set(on_second) & set(found)
    # Past the counted pages: the last of them, as for any page number past the end.
    assert get(client, "en", q="ceasefire", page="9")[1] == on_second
    body = get(client, "ar", q="اطلاق النار")[0]
    assert "أكثر من 12 نتيجة عن «اطلاق النار»" in body


def story(news, title, year, lead="Envoys met.", source="", title_ar=None, source_ar=""):
    return NewsStoryFactory(
        parent=news,
        title_en=title,
        title_ar=title_ar or title,
        lead_en=f"<p>{lead}</p>",
        lead_ar="<p>التقى المبعوثون.</p>",
        source_en=source,
        source_ar=source_ar,
        date=datetime.date(year, 3, 1),
    )


def test_only_the_newest_matches_are_ranked(client, news, monkeypatch):
    """Past ``COUNT_LIMIT`` matches the newest ``COUNT_LIMIT`` are ranked and paged:
    an older story is not among them, however well its title matches; "more than"
    says there are others. Below the limit every match is ranked."""
    monkeypatch.setattr(views, "COUNT_LIMIT", 12)
    oldest = story(news, "Ceasefire signed", 1990)
    newer = [story(news, f"Talks {n}", 2000 + n, source="Ceasefire wire") for n in range(12)]
    body, first, statements = get(client, "en", q="ceasefire")
    second = get(client, "en", q="ceasefire", page="2")[1]
    assert "More than 12 results for “ceasefire”" in body
    assert sorted(first + second) == sorted(url(page, "en") for page in newer)
    assert len(first) == PER_PAGE and len(second) == 12 - PER_PAGE
    assert len(statements) == len(get(client, "en", q="ceasefire", page="9")[2])
    monkeypatch.setattr(views, "COUNT_LIMIT", 13)
    body, first, _sql = get(client, "en", q="ceasefire")
    second = get(client, "en", q="ceasefire", page="2")[1]
    assert "13 results for" in body and "More than" not in body
    assert url(oldest, "en") in first + second and len(set(first + second)) == 13


def test_a_title_match_ranks_above_newer_matches_in_the_text(client, news):
    """Relevance first, then the newest: the story whose title has the word comes
    before newer ones that have it only further down, in both languages."""
    titled = story(news, "Ceasefire signed", 1999, title_ar="توقيع الهدنة")
    newer = [
        story(news, f"Talks {n}", 2005 + n, source="Ceasefire wire", source_ar="وكالة الهدنة")
        for n in range(3)
    ]
    for language, query in (("en", "ceasefire"), ("ar", "هدنة")):
        found = get(client, language, q=query)[1]
        assert found[0] == url(titled, language)
        assert sorted(found[1:]) == sorted(url(page, language) for page in newer)
    if stores_vectors():  # equal relevance: the newest first
        assert get(client, "en", q="ceasefire")[1][1:] == [url(p, "en") for p in newer[::-1]]


def test_one_index_of_the_text(news):
    """On PostgreSQL each document carries its own vectors, written with it, and
    Wagtail's index holds none of them; elsewhere Wagtail's index holds them."""
    add_stories(news, 2)
    documents = SearchDocument.objects.count()
    in_wagtail_index = IndexEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(SearchDocument)
    ).count()
    with_vectors = SearchDocument.objects.exclude(vector=None).exclude(rank_vector=None).count()
    indexed = SearchDocument.get_indexed_objects().count()
    if stores_vectors():
        assert (in_wagtail_index, indexed, with_vectors) == (0, 0, documents)
    else:
        assert (in_wagtail_index, indexed, with_vectors) == (documents, documents, 0)


def test_vectors_are_the_search_vectors_of_the_texts(news):
    """The vectors a document is written with (one statement for many documents, the
    texts given once) are those of the ORM's ``SearchVector``: ``vector`` of the
    normalised text; ``rank_vector`` of the title, weight A, and the lead, weight B."""
    pages = [
        story(news, "Ceasefire signed in Geneva", 2001, lead="The envoys met twice."),
        story(news, "Talks resume", 2002, title_ar="استئناف المحادثات"),
    ]
    update_documents_for(pages)
    documents = SearchDocument.objects.filter(page__in=pages)
    assert documents.count() == 4
    if not stores_vectors():
        assert set(documents.values_list("vector", "rank_vector")) == {(None, None)}
        return
    for document in documents.select_related("page"):
        page = document.page.specific
        lead = normalise_for_search(page_lead(page, document.language), document.language)
        expected = SearchDocument.objects.filter(pk=document.pk).annotate(
            whole=SearchVector("text", config=SEARCH_CONFIG),
            ranked=SearchVector(Value(document.title, output_field=TextField()),
                                config=SEARCH_CONFIG, weight="A")
            + SearchVector(Value(lead, output_field=TextField()), config=SEARCH_CONFIG,
                           weight="B"),
        )  # fmt: skip
        (whole, ranked), = expected.values_list("whole", "ranked")  # fmt: skip
        assert (document.vector, document.rank_vector) == (whole, ranked)
    signed = documents.get(page=pages[0], language="en")
    assert "'geneva'" in signed.vector
    assert re.search(r"'geneva':\d+A", signed.rank_vector)
    assert re.search(r"'envoy':\d+B", signed.rank_vector)


def year_queries(client, language="en"):
    """The year options shown by a search from a warm cache, and the SQL that read them."""
    with CaptureQueriesContext(connection) as queries:
        body = client.get(f"/{language}/search/", {"q": "ceasefire"}).content.decode()
    years = re.findall(r'<option value="(\d{4})"', body)
    return years, [q["sql"] for q in queries.captured_queries if "DISTINCT" in q["sql"]]


def test_year_options_are_read_once_until_the_public_sees_a_change(client, news):
    add_stories(news, 2)  # 2005, 2006
    cache.clear()
    years, statements = year_queries(client)
    assert years == ["2006", "2005"] and len(statements) == 1
    assert year_queries(client) == (years, [])  # from the cache
    NewsStoryFactory(parent=news, title_en="Ceasefire later", date=datetime.date(2010, 1, 1))
    years, statements = year_queries(client)
    assert years == ["2010", "2006", "2005"] and len(statements) == 1
    restricted = NewsStoryFactory(
        parent=news, title_en="Ceasefire hidden", date=datetime.date(2012, 1, 1)
    )
    assert year_queries(client)[0][0] == "2012"
    PageViewRestriction.objects.create(page=restricted, restriction_type="login")
    assert year_queries(client)[0] == ["2010", "2006", "2005"]
    assert year_queries(client, "ar")[0] == ["2010", "2006", "2005"]


def test_a_rebuild_of_the_documents_drops_the_cached_years(client, news):
    (story,) = add_stories(news, 1)  # 2005
    assert year_queries(client)[0] == ["2005"]
    # Changed behind the signals' back (as a worker's rebuild would find it).
    type(story).objects.filter(pk=story.pk).update(date=datetime.date(2001, 1, 1))
    assert year_queries(client)[0] == ["2005"]
    refresh_search_documents.call(story.pk)
    assert year_queries(client)[0] == ["2001"]


def dated_stories(news, count, matching=lambda n: True):
    """``count`` stories, one a month, the newest first in ``n``; those for which
    ``matching(n)`` holds say "ceasefire", the others "truce"."""
    return [
        story(
            news,
            f"{'Ceasefire' if matching(n) else 'Truce'} talks {n}",
            2020,
            source="wire",
        )
        for n in range(count)
    ]


def found_pages(client, language="en", **params):
    """The heading's count and the results of every page, in order."""
    body, found, _sql = get(client, language, **params)
    heading = re.search(r'<h2 id="results-heading"[^>]*>([^<]*)</h2>', body).group(1)
    page, number = found, 1
    while page:
        number += 1
        following = get(client, language, page=str(number), **params)[1]
        if following == page:  # past the last page: the last page again
            break
        found, page = found + following, following
    return heading, found


@pytest.fixture
def windows(monkeypatch):
    """How each read of results found the matches, once probed: ``(WINDOW, first
    date)``, ``(WALK, documents)`` or None (the whole archive)."""
    seen = []
    rank = views.RankedCandidates.rank

    def spy(self, offset, plan):
        seen.append(plan)
        return rank(self, offset, plan)

    monkeypatch.setattr(views.RankedCandidates, "rank", spy)
    return seen


def redate(stories):
    """One story a month, the first the newest."""
    for n, page in enumerate(stories):
        page.date = datetime.date(2020, 12, 1) - n * MONTH
        type(page).objects.filter(pk=page.pk).update(date=page.date)
    refresh_documents(stories)


MONTH = datetime.timedelta(days=30)


def refresh_documents(pages):
    for page in pages:
        refresh_search_documents.call(page.pk)


def whole_archive(client, monkeypatch, **params):
    """The same search with no window nor walk: every match found in the whole archive."""
    with monkeypatch.context() as patch:
        patch.setattr(views, "WINDOW_LIMIT", 0)
        patch.setattr(views, "WALK_SHARE", 2)
        return found_pages(client, **params)


@pytest.mark.parametrize("walk_share", [0.9, 0.5])
def test_the_window_gives_the_results_of_the_whole_archive(
    client, news, monkeypatch, windows, walk_share
):
    """A common word is matched in a window of the newest documents that the probe
    sizes, or by a walk of as many: the same results, pages and count as matching
    the whole archive."""
    monkeypatch.setattr(views, "COUNT_LIMIT", 12)
    monkeypatch.setattr(views, "SAMPLE", 8)
    monkeypatch.setattr(views, "WALK_SHARE", walk_share)
    stories = dated_stories(news, 40, matching=lambda n: n % 4 != 3)  # 30 match
    redate(stories)
    windowed = found_pages(client, q="ceasefire")
    assert windowed[0] == "More than 12 results for “ceasefire”"
    # 6 of the newest 8 match: 1.5 × 13 × 8 / 6 = 26 documents, from the 27th's date,
    # or the 26 newest walked
    if stores_vectors() and walk_share > 0.75:
        assert windows and windows[0] == (views.WINDOW, datetime.date(2020, 12, 1) - 26 * MONTH)
    elif stores_vectors():
        assert windows and windows[0] == (views.WALK, 26)
    assert windowed == whole_archive(client, monkeypatch, q="ceasefire")
    newest = [url(page, "en") for page in stories if "Ceasefire" in page.title_en][:12]
    assert sorted(windowed[1]) == sorted(newest)  # all with the word in the title


def test_too_few_matches_in_the_window_read_the_whole_archive(client, news, monkeypatch, windows):
    """The newest documents have the word, older ones hardly: the window the probe
    sized holds too few, so the results are read again without it, and the count is
    exact below the limit."""
    monkeypatch.setattr(views, "COUNT_LIMIT", 12)
    monkeypatch.setattr(views, "SAMPLE", 4)
    stories = dated_stories(news, 40, matching=lambda n: n < 4 or n % 5 == 0)  # 11 match
    redate(stories)
    heading, found = found_pages(client, q="ceasefire")
    assert heading == "11 results for “ceasefire”" and len(found) == 11
    if stores_vectors():  # 1.5 × 13 × 4 / 4 = 20 documents walked, then the archive
        assert windows[:2] == [(views.WALK, 20), None]
    assert (heading, found) == whole_archive(client, monkeypatch, q="ceasefire")
    matching = {url(page, "en") for page in stories if "Ceasefire" in page.title_en}
    assert set(found) == matching


def test_filters_and_hidden_pages_in_the_window(client, news, monkeypatch, windows):
    """A type narrows the window's documents; a private story among the newest is
    neither shown nor counted; a year is walked without a window."""
    monkeypatch.setattr(views, "COUNT_LIMIT", 12)
    monkeypatch.setattr(views, "SAMPLE", 8)
    stories = dated_stories(news, 40)
    redate(stories)
    PageViewRestriction.objects.create(page=stories[1], restriction_type="login")
    for params in ({"type": "news"}, {"type": "reports"}, {"year": "2019"}, {}):
        windows.clear()
        windowed = found_pages(client, q="ceasefire", **params)
        assert windowed == whole_archive(client, monkeypatch, q="ceasefire", **params)
        assert url(stories[1], "en") not in windowed[1]
        if "year" in params or "reports" in params.values():
            assert not any(windows)
        elif stores_vectors():
            assert windows[0] == (views.WALK, 20)  # 1.5 × 13: every one of them matches
    heading, found = found_pages(client, q="ceasefire", year="2019")
    in_2019 = [url(page, "en") for page in stories if page.date.year == 2019]
    assert heading == f"{len(in_2019)} results for “ceasefire”" and len(in_2019) == 12
    assert set(found) == set(in_2019)


def test_a_query_matching_nothing(client, news, monkeypatch, windows):
    """A word in no document: no result, no window, "0 results"; a word in the newest
    documents only is found all the same."""
    monkeypatch.setattr(views, "COUNT_LIMIT", 12)
    redate(dated_stories(news, 30))
    body, found, statements = get(client, "en", q="armistice")
    assert found == [] and "0 results for “armistice”" in body
    assert windows == [None] if stores_vectors() else windows == []
    heading, found = found_pages(client, q="talks 29")
    assert heading == "1 result for “talks 29”" and len(found) == 1
