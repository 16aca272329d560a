"""Filtering and pagination shared by the news and report indexes, search and the API.

Query strings come from anyone: a value that is not a plain number in range, a year
that none of the listed pages has, a topic that is not among the options, are
ignored (the filter is off) rather than failing; a page number past the end shows
the last page.
"""

import re

from django.core.paginator import Paginator

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


def paginate(request, queryset, per_page=None):
    """One page of ``queryset``: the first for a missing or malformed number, the last
    for one past the end."""
    paginator = Paginator(queryset, per_page or PAGE_SIZE)
    return paginator.get_page(parse_int(request.GET.get("page"), clamp=True) or 1)


def years(queryset, field="date"):
    return [d.year for d in queryset.dates(field, "year", order="DESC")]


def query_without_page(request):
    """The current filters as a query string, for pagination links."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def filter_options(years_list, topics):
    """``(value, label)`` pairs for the year and topic filters of an index page."""
    return {
        "year_options": [(year, str(year)) for year in years_list],
        "topic_options": [(topic.pk, topic.title) for topic in topics],
    }
