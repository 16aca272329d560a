"""Site search in the reader's language, with filters by type and year.

Everything a request needs is asked of the database in a few statements whose number
does not depend on the size of the archive: the year options (one aggregate, cached
until the next change the public can see), the count (exact up to ``COUNT_LIMIT``
matches, "more than" beyond: it stops there) and one page of ranked results (filters,
visibility and pagination in the same SQL), then the pages of those results, all
types in one statement. Snippets come from the text stored in each document at index
time. A search writes nothing to the database.

What is ranked is bounded: the newest ``COUNT_LIMIT`` matches (pages without a date,
the Charter's provisions and the topics, first), ranked by relevance, the title's
words above the lead's; so a word found in every story of the archive costs what a
thousand cost, and "more than 1,000 results" and the hundred pages of them agree. On
PostgreSQL the documents' own vectors are matched and ranked
(``SearchDocument.vector`` and ``rank_vector``; the query walks the index of the
newest documents for a common word, the GIN index for a rare one); on SQLite the
database backend's FTS5 index matches and ranks the same candidates. An external
index (Elasticsearch, OpenSearch) ranks every match itself.
"""

import datetime

from django.apps import apps
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.core.paginator import Paginator
from django.db.models import F, OuterRef, Value
from django.db.models.functions import Coalesce
from django.shortcuts import render
from django.utils import translation
from django.utils.functional import cached_property
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from wagtail.models import Page
from wagtail.search.backends import get_search_backend

from apps.core.listing import int_param, parse_int, query_without_page
from apps.core.page_cache import remembered
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
# Matches counted at most: beyond, "more than 1,000 results" and a hundred pages of
# them, as the big search engines do, rather than counting every match of a common
# word in a large archive.
COUNT_LIMIT = 1000
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


class RankedCandidates:
    """The results of a query on PostgreSQL (``stores_vectors``), read a page at a
    time with their count, in one statement: the newest ``COUNT_LIMIT + 1`` matches
    (the index of the newest documents walked for a common word, the GIN index read
    for a rare one), counted, the first ``COUNT_LIMIT`` of them ranked on their
    ``rank_vector``, and one page of those with the documents' stored text.

    The paginator asks for the count before its slice: the count reads the page
    asked for (``number``) and keeps it for the slice. A number past the last page
    reads the last page, as the paginator then shows it, in the same statement."""

    def __init__(self, matching, search_query, number, per_page):
        self.matching = matching
        self.search_query = search_query
        self.number = number
        self.per_page = per_page
        self.pages = {}  # offset: documents
        self.matches = None

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

    def read(self, offset):
        """The page of results from ``offset`` (or from the last page's first result
        when there are fewer), with ``matches`` (up to ``COUNT_LIMIT + 1``)."""
        newest = (
            self.matching.order_by(*NEWEST)
            .annotate(rank=SearchRank(F("rank_vector"), self.search_query))
            .values("pk", "date", "rank")[: COUNT_LIMIT + 1]
        )
        sql, params = newest.query.sql_with_params()
        table = SearchDocument._meta.db_table
        # Composed of the ORM's SQL for the matches (its values as parameters), the
        # table's name and placeholders: nothing a reader typed. ``start`` is the
        # offset asked for, or the last page's when that is past the end.
        ranked = (
            "SELECT d.id, d.page_id, d.page_type, d.plain_text, r.matches, r.start FROM ("  # noqa: S608
            " SELECT b.*,"
            "  row_number() OVER (ORDER BY b.rank DESC NULLS LAST,"
            "   b.date DESC NULLS FIRST, b.pk DESC) AS position,"
            "  LEAST(%s, (GREATEST(LEAST(b.matches, %s) - 1, 0) / %s) * %s) AS start"
            " FROM ("
            "  SELECT m.*, count(*) OVER () AS matches,"
            "   row_number() OVER (ORDER BY m.date DESC NULLS FIRST, m.pk DESC) AS newest"
            f"  FROM ({sql}) m"
            " ) b WHERE b.newest <= %s"
            f") r JOIN {table} d ON d.id = r.pk"
            " WHERE r.position > r.start AND r.position <= r.start + %s"
            " ORDER BY r.position"
        )
        per_page = self.per_page
        documents = list(
            SearchDocument.objects.raw(
                ranked,
                [offset, COUNT_LIMIT, per_page, per_page, *params, COUNT_LIMIT, per_page],
            )
        )
        if documents:
            self.matches, offset = documents[0].matches, documents[0].start
        else:  # no match at all
            self.matches = 0
        self.pages[offset] = documents
        return documents


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
    ``terms`` are ``highlight_terms`` or a ``Marker`` of them."""
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


def cached_year_options(language, documents):
    """``year_options(documents)`` for ``language``, computed once per generation of
    the page cache (``apps.core.page_cache.remembered``): publishing, unpublishing,
    moving a page or changing a view restriction starts a new one, and so does a
    rebuild of search documents (``apps.search.tasks``), so the options never show a
    year that is no longer public, nor miss a new one, and no request scans the
    archive for them."""
    return remembered(f"search-years:{language}", lambda: year_options(documents))


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
    if documents is None:
        documents = public_documents(language)
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
    if stores_vectors():
        search_query = vector_query(terms)
        if year:
            # A year's documents are tested one by one, newest first, never through
            # the GIN index: for a common word its list is the whole archive (27 ms
            # to intersect with a year of 50,000 stories, where the walk takes 2 ms),
            # and a year bounds the walk. The planner, which cannot tell how many of
            # a language's documents have the word, would otherwise take the index.
            vector = Coalesce("vector", Value("", output_field=SearchVectorField()))
            matching = documents.alias(year_vector=vector).filter(year_vector=search_query)
        else:
            matching = documents.filter(vector=search_query)
        return RankedCandidates(matching, search_query, number, per_page)
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
    documents = public_documents(language).filter(page_type__in=CONTENT_TYPES)
    # Years of public pages only: a private page's date is not to be guessed from the
    # filter. A year that is not among them is ignored.
    years = cached_year_options(language, documents)
    year = int_param(request, "year", choices=years)
    results, terms, paginator_page = [], [], None
    if query and WORD.search(query):
        page_type = TYPES[type_key][0] if type_key else None
        page_number = parse_int(request.GET.get("page"), clamp=True) or 1
        hits = run_search(query, language, page_type, year, documents, page_number, PER_PAGE)
        terms = Marker(highlight_terms(query, language))
        paginator_page = CappedPaginator(hits, PER_PAGE).get_page(page_number)
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
