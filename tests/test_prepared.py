"""Querysets compiled once and run again with other ids (apps/core/prepared.py)."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from wagtail.models import Page

import pytest

from apps.charter.models import FIRST_CITING_PAGES, CharterProvisionPage, first_citing_pages
from apps.core.prepared import Compiled, Prepared, one_of
from apps.news.models import PUBLIC_LINKS, NewsStoryPage, public_links


def described(pages):
    """What a caller reads of each page: its id, type, joined rows and annotations."""
    return [
        (
            page.pk,
            page.title,
            page.specific_class.__name__,
            hasattr(page, "topicpage"),
            getattr(getattr(page, "newsstorypage", None), "date", None),
            page._is_provision,
        )
        for page in pages
    ]


def test_a_prepared_query_returns_what_the_queryset_returns(site):
    stories = list(NewsStoryPage.objects.all())
    assert stories
    for story in stories:
        for language in ("en", "ar"):
            with translation.override(language):
                expected = described(public_links(story.pk))
                with CaptureQueriesContext(connection) as queries:
                    found = PUBLIC_LINKS(story.pk)
                assert described(found) == expected
                assert len(queries) == 1
    assert any(row[3] for row in described(found)), "the seeds' story has a topic"


def test_the_first_pages_citing_a_provision_are_those_the_queryset_finds(site):
    """ "Pages that cite this article": the rows and the page types joined to them."""

    def citing(pages):
        return [
            (page.pk, page.title, page.first_published_at, hasattr(page, "newsstorypage"))
            for page in pages
        ]

    found_any = False
    for provision in CharterProvisionPage.objects.all():
        key = (provision.pk, str(provision.pk))
        for language in ("en", "ar"):
            with translation.override(language):
                expected = citing(first_citing_pages(*key))
                assert citing(FIRST_CITING_PAGES(*key)) == expected
                found_any = found_any or bool(expected)
    assert found_any, "the seeds' topic cites Article 99"


def test_the_plan_is_kept_per_language(site):
    """wagtail-modeltranslation rewrites a translated field for the active language: an
    English title found in English is not found in Arabic."""
    story = NewsStoryPage.objects.get()
    by_title = Prepared(lambda pk: Page.objects.filter(pk=pk, title=story.title_en))
    with translation.override("en"):
        assert [page.pk for page in by_title(story.pk)] == [story.pk]
    with translation.override("ar"):
        assert by_title(story.pk) == []
    assert set(by_title.plans) == {"en", "ar"}


@pytest.mark.django_db
def test_a_query_that_changes_or_leaves_out_an_id_is_refused():
    changed = Prepared(lambda pk: Page.objects.filter(slug__contains=str(pk)))
    with pytest.raises(ValueError, match="a value is changed before it reaches the SQL"):
        changed(3)
    unused = Prepared(lambda pk: Page.objects.filter(depth=1))
    with pytest.raises(ValueError, match="value number 1 is not a parameter"):
        unused(3)
    with pytest.raises(TypeError, match="takes 1 value"):
        unused(1, 2)


def test_routing_finds_each_child_by_its_slug_in_each_language(site):
    """Routing's prepared query (a range of tree paths, a slug as it is): every child of
    every page of the seeded site, by the slug it shows in each language."""
    found = 0
    for parent in Page.objects.filter(depth__gte=2).specific():
        for child in parent.get_children().specific():
            for language in ("en", "ar"):
                with translation.override(language):
                    routed = parent.child_by_slug(child.slug)
                    assert routed == child and type(routed) is type(child)
                    assert parent.child_by_slug(child.slug + "-x") is None
                    found += 1
    assert found > 20


def test_on_postgresql_the_server_plans_a_prepared_query_once_per_connection(site):
    """psycopg prepares a statement bound on the server after five runs; the rows stay
    those of the queryset, and Django still counts each run."""
    if connection.vendor != "postgresql":
        pytest.skip("server-side prepared statements are PostgreSQL's")
    story = NewsStoryPage.objects.get()
    with translation.override("en"):
        expected = described(public_links(story.pk))
        with CaptureQueriesContext(connection) as queries:
            runs = [described(PUBLIC_LINKS(story.pk)) for _ in range(7)]
    assert runs == [expected] * 7
    assert len(queries) == 7
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert any('"news_newsstorypage_topics"' in statement for statement in prepared), prepared


def test_a_query_without_values_is_prepared_too(site):
    """The home page's lists: the same statement on every request."""
    from apps.home import models as home

    for language in ("en", "ar"):
        with translation.override(language):
            for prepared in (home.LATEST_NEWS, home.LATEST_REPORTS, home.PROVISIONS):
                expected = [(page.pk, page.title) for page in prepared.build()]
                assert expected, prepared.build.__name__
                assert [(page.pk, page.title) for page in prepared()] == expected


def test_one_of_keeps_the_rows_that_in_keeps(site):
    """``one_of(field, ids)``: the rows of ``field__in=ids``, whether ``ids`` is a
    subquery (ordered, sliced or empty) or a list, also as a prepared query's part."""
    pages = Page.objects.filter(depth__gt=1).order_by("-path")
    cases = [
        pages.values("pk"),
        pages.values("pk")[:1],
        pages.filter(slug="no-such-page").values("pk"),
        list(pages.values_list("pk", flat=True)[:2]),
    ]
    for ids in cases:
        expected = sorted(Page.objects.filter(pk__in=ids).values_list("pk", flat=True))
        assert sorted(Page.objects.filter(one_of("pk", ids)).values_list("pk", flat=True)) == (
            expected
        )
    assert len(cases[0]) > 1 and len(cases[1]) == 1

    def build(pk):
        return Page.objects.filter(one_of("pk", Page.objects.filter(pk=pk).values("pk")))

    query = Prepared(build)
    for page in pages:
        assert [found.pk for found in query(page.pk)] == [page.pk]


@pytest.mark.django_db
def test_compiled_sql_takes_other_values_dates_included():
    """``Compiled``: the SQL of a queryset built once, and its parameters for other
    values, as building it again with them would give. (SQLite's backend turns a date
    into text: refused there, as any value changed on its way.)"""

    def build(slug, since, depth):
        stories = NewsStoryPage.objects.filter(slug=slug, date__gte=since, depth__gt=depth)
        return stories.values("pk")

    if connection.vendor != "postgresql":
        with pytest.raises(ValueError, match="a value is changed before it reaches the SQL"):
            Compiled(build, (str, datetime.date, int))
        return
    compiled = Compiled(build, (str, datetime.date, int))
    values = ("talks", datetime.date(2011, 5, 1), 2)
    sql, params = build(*values).query.sql_with_params()
    assert compiled.sql == sql and compiled.params(values) == list(params)
    with pytest.raises(ValueError, match="a value is changed before it reaches the SQL"):
        Compiled(lambda slug: Page.objects.filter(slug__startswith=slug), (str,))
