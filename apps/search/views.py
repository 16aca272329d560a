"""Site search in the reader's language, with filters by type and year.

Everything a request needs is asked of the database in a few statements whose number
does not depend on the size of the archive: the year options (one aggregate, cached
until the next change the public can see), the count (exact up to ``COUNT_LIMIT``
matches, "more than" beyond: it stops there) and one page of ranked results (filters,
visibility and pagination in the same SQL), then the pages of those results, all
types in one statement. Snippets come from the text stored in each document at index
time. A search writes nothing to the database.
"""

from django.apps import apps
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import F, OuterRef
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

from modelsearch.backends.elasticsearchbase import ElasticsearchBaseSearchBackend

from apps.core.listing import int_param, parse_int, query_without_page
from apps.core.page_cache import GENERATION_KEY, current_generation
from apps.core.visibility import public_pages

from .models import SearchDocument
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
YEARS_KEY = "search:years:{language}:{generation}"
YEARS_SECONDS = 24 * 60 * 60


class CappedPaginator(Paginator):
    """A paginator over search results that counts at most ``COUNT_LIMIT`` of them;
    ``more`` tells there are others. In SQL the count is one statement over the
    matching documents' ids, neither ranked nor ordered, so the database stops at the
    limit; an external index counts by itself."""

    @cached_property
    def matches(self):
        hits = self.object_list
        if isinstance(hits, list) or is_external():
            return len(hits) if isinstance(hits, list) else hits[: COUNT_LIMIT + 1].count()
        matching = hits.get_queryset().order_by().values("pk")
        return matching[: COUNT_LIMIT + 1].count()

    @cached_property
    def count(self):
        return min(self.matches, COUNT_LIMIT)

    @property
    def more(self):
        return self.matches > COUNT_LIMIT


def highlight(text, terms, length=SNIPPET_WORDS):
    """A window of ``text`` around its first match, escaped, matches in ``<mark>``."""
    words = text.split()
    first = next((i for i, w in enumerate(words) if word_matches(w, terms)), 0)
    start = max(0, first - length // 3)
    window = words[start : start + length]
    out = []
    for word in window:
        if word_matches(word, terms):
            out.append(f"<mark>{escape(word)}</mark>")
        else:
            out.append(escape(word))
    prefix = "… " if start > 0 else ""
    suffix = " …" if start + length < len(words) else ""
    return mark_safe(prefix + " ".join(out) + suffix)  # noqa: S308 - every word escaped above


def is_external():
    """Whether the search backend is an external index (Elasticsearch, OpenSearch)."""
    return isinstance(get_search_backend(), ElasticsearchBaseSearchBackend)


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
    the page cache (``apps.core.page_cache``): publishing, unpublishing, moving a page
    or changing a view restriction starts a new one, and so does a rebuild of search
    documents (``apps.search.tasks``), so the options never show a year that is no
    longer public, nor miss a new one, and no request scans the archive for them."""
    generation = current_generation(cache.get_many([GENERATION_KEY]))
    if generation is None:  # the cache is unreachable
        return year_options(documents)
    key = YEARS_KEY.format(language=language, generation=generation)
    years = cache.get(key)
    if years is None:
        years = year_options(documents)
        cache.set(key, years, YEARS_SECONDS)
    return years


def run_search(query, language, page_type=None, year=None, documents=None):
    """The documents matching every word of ``query``, the best first."""
    terms = normalise_for_search(query, language).split()
    if not terms:
        return []
    if documents is None:
        documents = public_documents(language)
    if page_type:
        documents = documents.filter(page_type=page_type)
    if year:
        documents = documents.filter(year=year)
    return get_search_backend().search(" ".join(terms), documents, operator="and")


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
        hits = run_search(query, language, page_type, year, documents=documents)
        terms = highlight_terms(query, language)
        page_number = parse_int(request.GET.get("page"), clamp=True) or 1
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
