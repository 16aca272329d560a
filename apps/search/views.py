"""Site search in the reader's language, with filters by type and year.

Everything a request needs is asked of the database in a few statements whose number
does not depend on the size of the archive: the year options (one aggregate, cached
until the next change the public can see), the count (exact up to ``COUNT_LIMIT``
matches, "more than" beyond: it stops there), one page of ranked results (filters,
visibility and pagination in the same SQL) and the pages of those results, all types
at once. Snippets come from the text stored in each document at index time. A search
writes nothing to the database.

What is ranked is bounded: the newest ``COUNT_LIMIT`` matches (pages without a date,
the Charter's provisions and the topics, first), ranked by relevance, the title's
words above the lead's; so a word found in every story of the archive costs what a
few hundred cost, and "more than 500 results" and the fifty pages of them agree. On
PostgreSQL the documents' own vectors are matched and ranked
(``SearchDocument.vector`` and ``rank_vector``) in a window of the newest documents
that a probe of the newest sizes (``RankedCandidates``), or in the whole archive; on
SQLite the database backend's FTS5 index matches and ranks the same candidates. An
external index (Elasticsearch, OpenSearch) ranks every match itself."""

import datetime
import math
from html import escape

from django.apps import apps
from django.contrib.postgres.search import SearchQuery, SearchVectorField
from django.core.paginator import Paginator
from django.db import DEFAULT_DB_ALIAS, connection
from django.db.models import F, OuterRef, Q, Value
from django.db.models.functions import Coalesce
from django.shortcuts import render
from django.utils import translation
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from wagtail.models import Page
from wagtail.search.backends import get_search_backend

from apps.core.listing import int_param, parse_int, query_without_page
from apps.core.page_cache import remembered
from apps.core.prepared import Compiled
from apps.core.visibility import public_pages

from .documents import SEARCH_CONFIG
from .models import SearchDocument, is_external, stores_vectors
from .normalise import WORD, highlight_terms, normalise_for_search, word_matches

TYPES = {
    "news": ("news.newsstorypage", _("News story")),
    "reports": ("reports.reportpage", _("Report")),
    "charter": ("charter.charterprovisionpage", _("Charter provision")),
    "topics": ("topics.topicpage", _("Topic")),
}
TYPE_LABELS = dict(TYPES.values())
# Only content pages are results: the home page and the section indexes, which list
# them, never are.
CONTENT_TYPES = [page_type for page_type, _label in TYPES.values()]
PER_PAGE = 10
SNIPPET_WORDS = 30
# Matches counted at most: beyond, "more than 500 results" and fifty pages of them,
# as the big search engines do, rather than counting every match of a common word in a
# large archive. It bounds what a search costs: walking to the 1,001st match and
# ranking a thousand took 12.7 ms of PostgreSQL's time at 50,000 stories, to the
# 501st 7.3 ms (docs/benchmarks.md).
COUNT_LIMIT = 500
# Newest first (DESC puts the undated first on PostgreSQL; said for SQLite too), as
# the indexes ``search_document_newest`` and ``search_document_type_newest`` run.
NEWEST = (F("date").desc(nulls_first=True), F("pk").desc())


class Hits:
    """The results of a query: ``ranked`` (the page of them the paginator slices) and
    ``matching`` (every match, unranked: what is counted; None for an external index,
    which counts its results itself)."""

    def __init__(self, ranked, matching=None):
        self.ranked = ranked
        self.matching = matching


# Sizing the window of the newest documents a common query is matched in (PostgreSQL):
# the newest ``SAMPLE`` dated documents are tested against the query, and the window
# is the undated documents and the newest dated ones expected to hold
# ``WINDOW_MARGIN`` times the matches that are ranked. A window longer than
# ``WINDOW_LIMIT`` documents saves nothing over the GIN index alone, which then finds
# every match.
SAMPLE = 256
WINDOW_MARGIN = 1.5
WINDOW_LIMIT = 20_000
# A query found in this share of the sample or more is matched by a walk of the newest
# documents, as long as the window would be, which stops at the last match counted;
# a rarer one through the GIN index and the date index, in the window.
WALK_SHARE = 0.3


def content_documents(language, external=None):
    """The documents that may be results: public pages of the content types."""
    return public_documents(language, external).filter(page_type__in=CONTENT_TYPES)


def filtered(documents, page_type=None, start=None, end=None):
    """``documents`` of ``page_type``, dated from ``start`` to before ``end``."""
    if page_type:
        documents = documents.filter(page_type=page_type)
    if start:
        documents = documents.filter(date__gte=start, date__lt=end)
    return documents


# The columns of a page's own row, in the order of ``Page.from_db``'s field names.
PAGE_FIELDS = [field.attname for field in Page._meta.concrete_fields]
PAGE_COLUMNS = [connection.ops.quote_name(field.column) for field in Page._meta.concrete_fields]


def own_column(name):
    """SQL for the field ``name`` of each result type that has one (a report's symbol),
    and the joins of those types' tables to the page ``p``: what ``own_field`` is to
    a ``Page`` query."""
    columns, joins = [], ""
    for number, page_type in enumerate(CONTENT_TYPES):
        model = apps.get_model(page_type)
        field = next((f for f in model._meta.concrete_fields if f.name == name), None)
        if field is None:
            continue
        table, link = model._meta.db_table, model._meta.pk.column
        joins += f" LEFT JOIN {table} t{number} ON t{number}.{link} = p.id"
        columns.append(f"t{number}.{connection.ops.quote_name(field.column)}")
    if not columns:
        return "NULL", ""
    return (f"COALESCE({', '.join(columns)})" if len(columns) > 1 else columns[0]), joins


class Found:
    """A result read by ``Statements.ranked``: the document's ``page_id``,
    ``page_type``, ``plain_text`` and ``date``, the count of ``matches`` and the
    ``start`` of the page of results, and the ``page`` itself (a plain ``Page``, as
    ``result_pages`` gives, with its ``result_date``, the document's, and
    ``result_symbol``)."""

    __slots__ = ("id", "page_id", "page_type", "plain_text", "date", "matches", "start", "page")

    def __init__(self, row):
        self.id, self.page_id, self.page_type, self.plain_text, self.date = row[:5]
        self.matches, self.start, symbol = row[5:8]
        self.page = Page.from_db(DEFAULT_DB_ALIAS, PAGE_FIELDS, row[8:])
        self.page.result_date, self.page.result_symbol = self.date, symbol


# How the newest matches are found (``Statements.mode``): in a window of dates, or by a
# walk of a number of the newest documents; None: in the whole archive.
WINDOW, WALK = "window", "walk"


class Statements:
    """The SQL of a search on PostgreSQL for one shape of query (a type or none, a year
    or none; ``mode``: a window, a walk or the whole archive), composed once per
    process and language from the
    ORM's querysets built with stand-in values (``apps.core.prepared.Compiled``), then
    given each request's values: building and compiling the querysets, their
    visibility subquery included, cost the ORM more CPU than the statements cost
    PostgreSQL.

    ``probe`` tests the newest ``SAMPLE`` dated documents of the filters against the
    query, counts the undated ones and reads the date from which the newest documents
    are expected to hold ``WINDOW_MARGIN`` times the matches ranked (None: no such
    window).

    ``ranked`` reads one page of results with their count: the newest ``COUNT_LIMIT +
    1`` public matches (of the window or the walk, when there is one), counted, the
    first ``COUNT_LIMIT`` of them ranked on their ``rank_vector``, and the page asked
    for, with the documents' stored text and their pages' rows."""

    shapes = {}

    @classmethod
    def of(cls, language, page_type, year, mode):
        key = (language, bool(page_type), bool(year), mode)
        statements = cls.shapes.get(key)
        if statements is None:
            statements = cls.shapes[key] = cls(bool(page_type), bool(year), mode)
        return statements

    def __init__(self, typed, dated, mode):
        self.typed, self.dated, self.mode = typed, dated, mode
        self.window = mode == WINDOW
        self.kinds = (str, str) + (str,) * typed + (datetime.date,) * 2 * dated
        filters = self.kinds[:1] + self.kinds[2:]  # without the terms
        table = SearchDocument._meta.db_table
        query = "plainto_tsquery(%s::regconfig, %s)"
        self.matches = Compiled(
            lambda *values: self.newest_matches(*self.unpack(values)),
            self.kinds + (datetime.date,) * self.window,
        )
        self.newest_sql = self.matches.sql
        if mode == WALK:
            # The newest documents of the filters, as many as the walk may read, in
            # place of the table: the planner can only walk them in order, and the
            # statement stops at the last match counted.
            self.documents = Compiled(
                lambda *values: self.newest_rows(*self.unpack(values, terms=False)), filters
            )
            whole = f' FROM "{table}" '
            if self.newest_sql.count(whole) != 1:
                raise ValueError(f"the matches' SQL does not read {table} once: {self.newest_sql}")
            self.newest_sql = self.newest_sql.replace(
                whole, f' FROM ({self.documents.sql} LIMIT %s) "{table}" '
            )
        # Composed of the ORM's SQL (its values as parameters), the names of tables and
        # columns and placeholders: nothing a reader typed. ``start`` is the offset
        # asked for, or the last page's when that is past the end. The results' pages
        # are read in the same statement (``Found``).
        symbol, joins = own_column("symbol")
        self.ranked = (
            "SELECT d.id, d.page_id, d.page_type, d.plain_text, d.date, r.matches, r.start,"  # noqa: S608
            f" {symbol}, {', '.join(f'p.{column}' for column in PAGE_COLUMNS)} FROM ("
            " SELECT b.*,"
            "  row_number() OVER (ORDER BY b.rank DESC NULLS LAST,"
            "   b.date DESC NULLS FIRST, b.id DESC) AS position,"
            "  LEAST(%s, (GREATEST(LEAST(b.matches, %s) - 1, 0) / %s) * %s) AS start"
            " FROM ("
            f"  SELECT m.id, m.date, ts_rank(m.rank_vector, {query}) AS rank,"
            "   count(*) OVER () AS matches,"
            "   row_number() OVER (ORDER BY m.date DESC NULLS FIRST, m.id DESC) AS newest"
            f"  FROM ({self.newest_sql} LIMIT %s) m"
            " ) b WHERE b.newest <= %s"
            f") r JOIN {table} d ON d.id = r.id"
            f" JOIN {Page._meta.db_table} p ON p.id = d.page_id{joins}"
            " WHERE r.position > r.start AND r.position <= r.start + %s"
            " ORDER BY r.position"
        )
        if mode or dated:
            return
        self.sample = Compiled(
            lambda *values: self.newest_documents(*self.unpack(values, terms=False)), filters
        )
        self.dates = Compiled(
            lambda *values: self.newest_dates(*self.unpack(values, terms=False)), filters
        )
        self.undated = Compiled(
            lambda *values: self.undated_documents(*self.unpack(values, terms=False)), filters
        )
        # The window's length in documents: matches wanted × documents tested / matches
        # found among them. Its bound is the date of the document that far down the
        # index of the newest (an index-only scan); none past the last document.
        # With the number of undated documents, which a walk reads first.
        self.probe = (
            "SELECT s.seen, s.hits, CASE WHEN s.hits > 0 AND %s * s.seen / s.hits < %s THEN"  # noqa: S608
            f" ({self.dates.sql} OFFSET ceil(%s * s.seen / s.hits)::integer LIMIT 1) END,"
            f" (SELECT count(*) FROM ({self.undated.sql}) u)"
            f" FROM (SELECT count(*) AS seen, count(*) FILTER (WHERE w.vector @@ {query})"
            f" AS hits FROM ({self.sample.sql} LIMIT %s) w) s"
        )

    def newest_params(self, values, bound):
        """The parameters of ``newest_sql`` for ``values`` and the window's ``bound``
        (its first date, or the number of documents a walk reads)."""
        if self.mode == WALK:
            filters = values[:1] + values[2:]
            return [*self.documents.params(filters), bound, *self.matches.params(values)]
        return self.matches.params(values + [bound] if self.window else values)

    def unpack(self, values, terms=True):
        """``(language, terms, page_type, start, end, bound)`` from the values of this
        shape, in the order of ``kinds`` (and the window's bound last); without
        ``terms``, the values have none."""
        values = list(values)
        language = values.pop(0)
        terms = values.pop(0) if terms else None
        page_type = values.pop(0) if self.typed else None
        start, end = (values.pop(0), values.pop(0)) if self.dated else (None, None)
        bound = values.pop(0) if self.window else None
        return language, terms, page_type, start, end, bound

    @staticmethod
    def newest_matches(language, terms, page_type, start, end, bound):
        """The public documents holding every word of ``terms``, newest first; with a
        window, only those dated from its bound (and those without a date)."""
        documents = filtered(content_documents(language, external=False), page_type, start, end)
        search_query = vector_query(terms)
        if start:
            # A year's documents are tested one by one, newest first, never through
            # the GIN index: for a common word its list is the whole archive (27 ms
            # to intersect with a year of 50,000 stories, where the walk takes 2 ms),
            # and a year bounds the walk. The planner, which cannot tell how many of
            # a language's documents have the word, would otherwise take the index.
            vector = Coalesce("vector", Value("", output_field=SearchVectorField()))
            matching = documents.alias(year_vector=vector).filter(year_vector=search_query)
        else:
            matching = documents.filter(vector=search_query)
        if bound:
            matching = matching.filter(Q(date__gte=bound) | Q(date=None))
        return matching.order_by(*NEWEST).values("id", "date", "rank_vector")

    @staticmethod
    def newest_documents(language, _terms, page_type, start, end, _bound):
        """The vectors of the dated documents of the filters, newest first, public or
        not: enough for an estimate. (The undated ones, the Charter's provisions,
        topics and undated reports, come first in the order and are in every window
        whatever the sample says.)"""
        documents = SearchDocument.objects.filter(
            language=language, page_type__in=CONTENT_TYPES, date__isnull=False
        )
        return filtered(documents, page_type, start, end).order_by(*NEWEST).values("vector")

    @staticmethod
    def newest_dates(language, _terms, page_type, start, end, _bound):
        """The dates of the dated documents of the language and filters, newest first:
        an index-only scan of the index of the newest (of the type's, with a type)."""
        documents = SearchDocument.objects.filter(language=language, date__isnull=False)
        return filtered(documents, page_type, start, end).order_by(*NEWEST).values("date")

    @staticmethod
    def newest_rows(language, _terms, page_type, start, end, _bound):
        """The rows of the documents of the filters, newest first, public or not (the
        walk tests their visibility as it tests their words)."""
        documents = SearchDocument.objects.filter(language=language, page_type__in=CONTENT_TYPES)
        return filtered(documents, page_type, start, end).order_by(*NEWEST)

    @staticmethod
    def undated_documents(language, _terms, page_type, start, end, _bound):
        """The undated documents of the filters, which come first in the order."""
        documents = SearchDocument.objects.filter(
            language=language, page_type__in=CONTENT_TYPES, date__isnull=True
        )
        return filtered(documents, page_type, start, end).values("id")


class RankedCandidates:
    """The results of a query on PostgreSQL (``stores_vectors``), read a page at a
    time with their count, in one statement (``Statements.ranked``).

    Finding the newest ``COUNT_LIMIT + 1`` matches costs what PostgreSQL reads to find
    them, and its planner cannot judge it: it takes the words of a query as
    independent (two that come together are thought rare), and knows nothing of how
    the matches spread over time. Reading every match through the GIN index, then
    sorting them, reads thousands of rows for a common word (the statement took 150 to
    310 ms for two words at 50,000 stories); walking the newest documents until enough
    match reads the whole archive for a rare one. So a first statement
    (``Statements.probe``) tests the newest ``SAMPLE`` dated documents and works out
    how many of the newest documents should hold half as many matches again as are
    ranked. A query found in ``WALK_SHARE`` of the sample or more is matched by a walk
    of that many, newest first, which stops at the last match counted; a rarer one in
    the window of their dates, where the GIN index and the date index together find
    the matches. Either reads about what is ranked. When the walk or the window holds
    fewer public matches than are counted (the words grow rarer further back, or pages
    are hidden), the statement is read again over the whole archive, so the results
    are always those of the whole archive; a query the newest documents hardly match,
    or filters with fewer dated documents than the sample, need neither. A year is
    walked newest first.

    The paginator asks for the count before its slice: the count reads the page
    asked for (``number``) and keeps it for the slice. A number past the last page
    reads the last page, as the paginator then shows it, in the same statement."""

    def __init__(self, terms, language, page_type=None, year=None, number=1, per_page=PER_PAGE):
        self.terms = terms
        self.language = language
        self.page_type = page_type
        self.year = year
        self.number = number
        self.per_page = per_page
        self.pages = {}  # offset: documents
        self.matches = None
        self.plan = ...  # how the matches are found, once probed (``probe``)

    def count(self):
        if self.matches is None:
            self.read((self.number - 1) * self.per_page)
        return self.matches

    def __getitem__(self, key):
        start, stop = key.start or 0, key.stop
        documents = self.pages.get(start)
        if documents is None:
            documents = self.read(start)
        return documents[: stop - start]

    def values(self):
        """The language, the terms and the filters, in the order of ``Statements.kinds``."""
        values = [self.language, self.terms]
        if self.page_type:
            values.append(self.page_type)
        if self.year:
            values += [datetime.date(self.year, 1, 1), datetime.date(self.year + 1, 1, 1)]
        return values

    def probe(self):
        """How to find the newest matches: ``(WINDOW, first date)``, ``(WALK, number of
        documents)``, or None (the whole archive: a year, a query the newest documents
        hardly match, fewer documents than the sample)."""
        if self.year:
            return None
        statements = Statements.of(self.language, self.page_type, self.year, None)
        filters = [value for value in self.values() if value is not self.terms]
        wanted = WINDOW_MARGIN * (COUNT_LIMIT + 1)
        params = [
            wanted,
            WINDOW_LIMIT,
            *statements.dates.params(filters),
            wanted,
            *statements.undated.params(filters),
            SEARCH_CONFIG,
            self.terms,
            *statements.sample.params(filters),
            SAMPLE,
        ]
        with connection.cursor() as cursor:
            cursor.execute(statements.probe, params)
            seen, hits, bound, undated = cursor.fetchone()
        if seen < SAMPLE:  # the sample was every dated document: few to read
            return None
        if hits >= WALK_SHARE * seen:
            return WALK, undated + math.ceil(wanted * seen / hits)
        return (WINDOW, bound) if bound is not None else None

    def read(self, offset):
        """The page of results from ``offset`` (or from the last page's first result
        when there are fewer), with ``matches`` (up to ``COUNT_LIMIT + 1``)."""
        if self.plan is ...:
            self.plan = self.probe()
        documents = self.rank(offset, self.plan)
        if self.plan is not None and (not documents or documents[0].matches <= COUNT_LIMIT):
            self.plan = None  # too few in the window: the whole archive
            documents = self.rank(offset, None)
        if documents:
            self.matches, offset = documents[0].matches, documents[0].start
        else:  # no match at all
            self.matches = 0
        self.pages[offset] = documents
        return documents

    def rank(self, offset, plan):
        mode, bound = plan or (None, None)
        statements = Statements.of(self.language, self.page_type, self.year, mode)
        per_page = self.per_page
        params = [
            offset,
            COUNT_LIMIT,
            per_page,
            per_page,
            SEARCH_CONFIG,
            self.terms,
            *statements.newest_params(self.values(), bound),
            COUNT_LIMIT + 1,
            COUNT_LIMIT,
            per_page,
        ]
        with connection.cursor() as cursor:
            cursor.execute(statements.ranked, params)
            return [Found(row) for row in cursor.fetchall()]


class CappedPaginator(Paginator):
    """A paginator over search results that counts at most ``COUNT_LIMIT`` of them;
    ``more`` tells there are others. The database stops counting at the limit: on
    PostgreSQL in the statement that reads the page (``RankedCandidates``), on SQLite
    in one statement over the matching documents' ids, neither ranked nor ordered; an
    external index counts by itself."""

    def __init__(self, hits, per_page):
        self.hits = hits
        super().__init__(hits.ranked if isinstance(hits, Hits) else hits, per_page)

    @cached_property
    def matches(self):
        if isinstance(self.hits, list):
            return len(self.hits)
        if isinstance(self.hits, RankedCandidates):
            return self.hits.count()
        if self.hits.matching is None:
            return self.hits.ranked[: COUNT_LIMIT + 1].count()
        return self.hits.matching.order_by().values("pk")[: COUNT_LIMIT + 1].count()

    @cached_property
    def count(self):
        return min(self.matches, COUNT_LIMIT)

    @property
    def more(self):
        return self.matches > COUNT_LIMIT


class Marker:
    """Whether a word of running text matches one of ``terms`` (``word_matches``),
    each distinct word asked once: the snippets of a page of results share most of
    their words."""

    def __init__(self, terms):
        self.terms = terms
        self.seen = {}

    def __call__(self, word):
        matches = self.seen.get(word)
        if matches is None:
            matches = self.seen[word] = word_matches(word, self.terms)
        return matches


def highlight(text, terms, length=SNIPPET_WORDS):
    """A window of ``text`` around its first match, escaped, matches in ``<mark>``.
    ``terms`` are ``highlight_terms`` or a ``Marker`` of them. (The standard library's
    ``escape``, which Django's wraps for lazy strings: the same text, without the
    wrapper's cost on every word.)"""
    marks = terms if isinstance(terms, Marker) else Marker(terms)
    words = text.split()
    first = next((i for i, w in enumerate(words) if marks(w)), 0)
    start = max(0, first - length // 3)
    window = words[start : start + length]
    out = []
    for word in window:
        if marks(word):
            out.append(f"<mark>{escape(word)}</mark>")
        else:
            out.append(escape(word))
    prefix = "… " if start > 0 else ""
    suffix = " …" if start + length < len(words) else ""
    return mark_safe(prefix + " ".join(out) + suffix)  # noqa: S308 - every word escaped above


def public_documents(language, external=None):
    """The search documents of the pages the public may see, in ``language``.

    On the database backend the visibility rule is a subquery of the same statement,
    never a list of ids, and a correlated one (on the document's own page), so
    PostgreSQL checks the documents a query matches rather than every page of the
    archive. An external index (Elasticsearch, OpenSearch) cannot run SQL: it is
    given the pages to leave out, drafts and private pages, which are few where
    public pages are many. ``external`` defaults to what the search backend is."""
    documents = SearchDocument.objects.filter(language=language)
    if external is None:
        external = is_external()
    if external:
        hidden = Page.objects.exclude(pk__in=public_pages(Page.objects.all()).values("pk"))
        return documents.exclude(page_id__in=hidden.values("pk"))
    own_page = Page.objects.filter(pk=OuterRef("page_id"))
    return documents.filter(page_id__in=public_pages(own_page).values("pk"))


def year_options(documents):
    """The years of ``documents``, newest first, from one aggregate query."""
    return list(
        documents.exclude(year=None).order_by("-year").values_list("year", flat=True).distinct()
    )


def cached_year_options(language):
    """``year_options`` of the ``content_documents`` in ``language``, computed once per
    generation of the page cache (``apps.core.page_cache.remembered``): publishing,
    unpublishing, moving a page or changing a view restriction starts a new one, and
    so does a rebuild of search documents (``apps.search.tasks``), so the options
    never show a year that is no longer public, nor miss a new one, and no request
    scans the archive for them (nor builds the query that would)."""
    return remembered(f"search-years:{language}", lambda: year_options(content_documents(language)))


def search_terms(query, language):
    """The words of ``query`` as the documents in ``language`` hold them (normalised),
    separated by single spaces; empty when it has none."""
    return " ".join(normalise_for_search(query, language).split())


def vector_query(terms):
    """The PostgreSQL query for documents holding every one of ``terms``."""
    return SearchQuery(terms, config=SEARCH_CONFIG, search_type="plain")


def run_search(
    query, language, page_type=None, year=None, documents=None, number=1, per_page=PER_PAGE
):
    """The documents matching every word of ``query``, the best first, for the
    paginator (``RankedCandidates`` on PostgreSQL, where page ``number`` of them is
    read with the count, ``Hits`` otherwise).

    In SQL only the newest ``COUNT_LIMIT`` matches are ranked; an external index
    ranks them all."""
    terms = search_terms(query, language)
    if not terms:
        return []
    if stores_vectors():
        return RankedCandidates(terms, language, page_type, year, number, per_page)
    if documents is None:
        documents = content_documents(language)
    if page_type:
        documents = documents.filter(page_type=page_type)
    backend = get_search_backend()
    if is_external():
        if year:
            documents = documents.filter(year=year)
        return Hits(backend.search(terms, documents, operator="and"))
    if year:
        # As the range of its dates, which the indexes of the newest documents serve
        # in order (a year's documents are those dated in it).
        documents = documents.filter(
            date__gte=datetime.date(year, 1, 1), date__lt=datetime.date(year + 1, 1, 1)
        )
    matching = backend.search(terms, documents, operator="and", order_by_relevance=False)
    matching = matching.get_queryset()
    candidates = matching.order_by(*NEWEST).values("pk")[:COUNT_LIMIT]
    ranked = backend.search(terms, SearchDocument.objects.filter(pk__in=candidates), operator="and")
    return Hits(ranked, matching)


# The most pages an external index gives for a filter of other queries (the API's):
# it cannot be a subquery of their SQL.
EXTERNAL_MATCHES = 10_000


def matching_pages(query, language):
    """The ids of the pages whose document in ``language`` has every word of ``query``
    (normalised as the site's search normalises it), unranked: a subquery for a filter
    of pages (the API's ``?search=``), a list from an external index. None when the
    query has no word."""
    terms = search_terms(query, language)
    if not terms:
        return None
    documents = SearchDocument.objects.filter(language=language)
    if stores_vectors():
        search_query = vector_query(terms)
        return documents.filter(vector=search_query).values("page_id")
    hits = get_search_backend().search(terms, documents, operator="and", order_by_relevance=False)
    if is_external():
        return [document.page_id for document in hits[:EXTERNAL_MATCHES]]
    return hits.get_queryset().values("page_id")


def own_field(name):
    """``Coalesce`` of the field ``name`` of each result type that has one, read from a
    plain ``Page`` query (a story's or a report's date), or None when no type has it."""
    paths = []
    for page_type in CONTENT_TYPES:
        model = apps.get_model(page_type)
        if any(field.name == name for field in model._meta.concrete_fields):
            paths.append(F(f"{model._meta.model_name}__{name}"))
    if not paths:
        return None
    return Coalesce(*paths) if len(paths) > 1 else paths[0]


def type_label(page_type):
    return capfirst(apps.get_model(page_type)._meta.verbose_name)


def result_pages(ids):
    """``{id: page}`` of the pages of one page of results, with their ``result_date``
    and ``result_symbol``, from one query whatever their types."""
    fields = {f"result_{name}": own_field(name) for name in ("date", "symbol")}
    pages = Page.objects.filter(pk__in=ids).annotate(
        **{name: expression for name, expression in fields.items() if expression is not None}
    )
    found = {page.pk: page for page in pages}
    for page in found.values():
        for name in fields:
            setattr(page, name, getattr(page, name, None))
    return found


def search(request):
    language = translation.get_language()
    query = " ".join(request.GET.get("q", "").split())[:200]
    type_key = request.GET.get("type") if request.GET.get("type") in TYPES else None
    # Years of public pages only: a private page's date is not to be guessed from the
    # filter. A year that is not among them is ignored.
    years = cached_year_options(language)
    year = int_param(request, "year", choices=years)
    results, terms, paginator_page = [], [], None
    if query and WORD.search(query):
        page_type = TYPES[type_key][0] if type_key else None
        page_number = parse_int(request.GET.get("page"), clamp=True) or 1
        hits = run_search(query, language, page_type, year, None, page_number, PER_PAGE)
        terms = Marker(highlight_terms(query, language))
        paginator_page = CappedPaginator(hits, PER_PAGE).get_page(page_number)
        if isinstance(hits, RankedCandidates):  # the pages came with the documents
            by_id = {document.page_id: document.page for document in paginator_page}
        else:
            by_id = result_pages([d.page_id for d in paginator_page])
        for document in paginator_page:
            page = by_id.get(document.page_id)
            if page is None:
                continue
            results.append(
                {
                    "page": page,
                    "type": TYPE_LABELS.get(document.page_type) or type_label(document.page_type),
                    "date": page.result_date,
                    "symbol": page.result_symbol,
                    "snippet": highlight(document.plain_text, terms),
                }
            )
    return render(
        request,
        "search/search.html",
        {
            "query": query,
            "search_query": query,
            "results": results,
            "results_page": paginator_page,
            "total": paginator_page.paginator.count if paginator_page else 0,
            "more": paginator_page.paginator.more if paginator_page else False,
            "types": [(key, label) for key, (_model, label) in TYPES.items()],
            "selected_type": type_key,
            "years": years,
            "selected_year": year,
            "page_query": query_without_page(request),
        },
    )
