"""Filtering and pagination shared by the news and report indexes."""

from django.core.paginator import Paginator

PAGE_SIZE = 10


def int_param(request, name):
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() else None


def paginate(request, queryset, per_page=PAGE_SIZE):
    paginator = Paginator(queryset, per_page)
    return paginator.get_page(request.GET.get("page"))


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
