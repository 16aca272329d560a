"""Filtering and pagination shared by the news and report indexes, search and the API.

Query strings come from anyone: a value that is not a plain number in range, a year
that none of the listed pages has, a topic that is not among the options, are
ignored (the filter is off) rather than failing; a page number past the end shows
the last page.
"""

import re

from django.core.paginator import Paginator
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .page_cache import remembered

PAGE_SIZE = 10
# The largest value any integer parameter may take: PostgreSQL's ``integer``. Larger
# values could only overflow a column or an OFFSET, never name anything.
MAX_INT = 2**31 - 1
# ASCII digits only: str.isdigit() also accepts "²" (which int() rejects) and "١٢"
# (which int() reads as 12).
DIGITS = re.compile(r"[0-9]+")


def parse_int(value, maximum=MAX_INT, clamp=False):
    """A query-string value as an integer from 0 to ``maximum``, else ``None``; with
    ``clamp``, a larger number is ``maximum`` (a page number past any end)."""
    if value is None or not DIGITS.fullmatch(value):
        return None
    if len(value) > len(str(maximum)) or int(value) > maximum:
        return maximum if clamp else None
    return int(value)


def int_param(request, name, choices=None):
    """The integer parameter ``name``; with ``choices``, only when it is one of them."""
    number = parse_int(request.GET.get(name))
    if choices is not None and number not in choices:
        return None
    return number


def paginate(request, queryset, per_page=None, count=None):
    """One page of ``queryset``: the first for a missing or malformed number, the last
    for one past the end. ``count``, the number of items when it is known already."""
    paginator = Paginator(queryset, per_page or PAGE_SIZE)
    if count is not None:
        paginator.count = count  # a cached_property: the queryset is not counted
    return paginator.get_page(parse_int(request.GET.get("page"), clamp=True) or 1)


def years(queryset, field="date"):
    return [d.year for d in queryset.dates(field, "year", order="DESC")]


def query_without_page(request):
    """The current filters as a query string, for pagination links."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


class ListingFilter:
    """One select of an index page's filter form: the query parameter ``name``, its
    ``options`` as ``(value, label)`` pairs, and the queryset ``lookup`` that keeps the
    pages matching the value chosen. A value that is not among the options is ignored;
    a ``numeric`` filter reads its value with :func:`parse_int`."""

    def __init__(self, name, label, empty_label, options, lookup, numeric=True):
        self.name, self.label, self.empty_label = name, label, empty_label
        self.options, self.lookup, self.numeric = list(options), lookup, numeric

    def chosen(self, request):
        values = {value for value, _label in self.options}
        if self.numeric:
            return int_param(request, self.name, choices=values)
        value = request.GET.get(self.name)
        return value if value in values else None


def year_filter(pages, field="date", remember_as=None):
    """Filter ``pages`` by the years their ``field`` has, the latest first. With
    ``remember_as``, a name for them, the years are read once until the next change the
    public can see (``apps.core.page_cache.remembered``): they are a scan of every
    listed page."""
    if remember_as is None:
        found = years(pages, field)
    else:
        found = remembered(f"years:{remember_as}", lambda: years(pages, field))
    options = [(year, str(year)) for year in found]
    return ListingFilter("year", _("Year"), _("All years"), options, f"{field}__year")


def topic_filter(topics, lookup, remember_as=None):
    """Filter by one of ``topics`` (pages), through the pages' ``lookup`` to a topic.
    With ``remember_as``, the options are read once in each language until the next
    change the public can see (see :func:`year_filter`)."""

    def options():
        return [(topic.pk, str(topic.title)) for topic in topics]

    if remember_as is not None:
        language = translation.get_language()
        found = remembered(f"topics:{remember_as}:{language}", options)
    else:
        found = options()
    return ListingFilter("topic", _("Topic"), _("All topics"), found, lookup)


def filtered_listing(request, pages, filters, remember_as=None):
    """The context of a filtered, paginated listing: one page of ``pages`` narrowed by
    each filter's chosen value (``items``), the filters with their chosen values for the
    form (``filters``) and the query string for the pagination links (``query``).

    With ``remember_as``, a name for the listing, the number of pages listed without a
    filter is counted once until the next change the public can see: counting is a
    scan of the whole archive, where showing one page of it reads ten rows."""
    chosen = [(listing_filter, listing_filter.chosen(request)) for listing_filter in filters]
    count = None
    if remember_as is not None and all(value is None for _filter, value in chosen):
        count = remembered(f"count:{remember_as}", pages.count)
    for listing_filter, value in chosen:
        if value is not None:
            # As a subquery, not a join: a page listed once without DISTINCT, whose
            # count over every column sorted 10,000 stories on disk (340 ms).
            matching = pages.model.objects.filter(**{listing_filter.lookup: value})
            pages = pages.filter(pk__in=matching.values("pk"))
    return {
        "items": paginate(request, pages, count=count),
        "filters": chosen,
        "query": query_without_page(request),
    }


class FilteredIndexMixin:
    """An index page that lists its children with filters and pages. It gives
    ``listed_pages()``, the public children in order, and ``listing_filters(pages)``;
    ``listing_name`` names what the listing remembers between requests (its count and
    its years)."""

    @property
    def listing_name(self):
        return f"{self._meta.model_name}:{self.pk}"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        pages = self.listed_pages()
        filters = self.listing_filters(pages)
        context.update(filtered_listing(request, pages, filters, self.listing_name))
        return context
