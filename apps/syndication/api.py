"""The Wagtail API v2 at /api/v2/: pages, images and documents, published content only.

Wagtail's pages endpoint already serves only live, public pages, and always the
published revision; each page type lists its fields in both languages in its
``api_fields``. Fields that embed other pages (a story's topics, Charter provisions
and News Tracker, a topic's documents) leave out the pages the public may not see
(``apps.core.api_fields``).

Query strings never cause a server error: ``offset`` and ``limit`` are read by the
site's one integer parser and answer 400 with a message naming the parameter when
they are not whole numbers from 0 to 2147483647 (a larger offset would overflow the
database's OFFSET), and a field filter with a value its field cannot hold
(``?date=²``) answers 400 too, like Wagtail's own ``BadRequestError``.

``?search=`` searches the pages' text in both languages as the site's search does
(:class:`DocumentSearchFilter`).
"""

from django.core.exceptions import ValidationError
from django.db.models import Q

from wagtail.api.v2.filters import FieldsFilter, SearchFilter
from wagtail.api.v2.pagination import WagtailPagination
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

from apps.core.listing import MAX_INT, parse_int
from apps.core.translation_fields import LANGUAGES
from apps.search.views import matching_pages


class BoundedPagination(WagtailPagination):
    def paginate_queryset(self, queryset, request, view=None):
        for name in ("offset", "limit"):
            value = request.GET.get(name)
            if value is not None and parse_int(value) is None:
                raise BadRequestError(
                    f"{name} must be a positive integer no greater than {MAX_INT}"
                )
        return super().paginate_queryset(queryset, request, view)


class CheckedFieldsFilter(FieldsFilter):
    """Wagtail's field filters (``?date=2011-11-09``), with every value checked first:
    Wagtail converts booleans, integers and foreign keys itself, but a date it cannot
    read (``?date=²``) would otherwise fail in the database query."""

    def filter_queryset(self, request, queryset, view):
        fields = set(view.get_available_fields(queryset.model, db_fields_only=True))
        for name, value in request.GET.items():
            if name not in fields:
                continue
            field = queryset.model._meta.get_field(name)
            if field.is_relation or not hasattr(field, "to_python"):
                continue
            try:
                field.to_python(value)
            except ValidationError as error:
                raise BadRequestError(
                    f"field filter error. '{value}' is not a valid value for {name} "
                    f"({' '.join(error.messages)})"
                ) from error
        return super().filter_queryset(request, queryset, view)


class DocumentSearchFilter(SearchFilter):
    """``?search=`` finds pages by their text as the site's search does: every word of
    the query in the page's search document in English or in Arabic (``apps.search``:
    Arabic folded, document symbols kept whole), not in Wagtail's own index of pages,
    which holds their titles only (what the admin's searches match). The pages keep
    the endpoint's order, which ``?order=`` may set."""

    def filter_queryset(self, request, queryset, view):
        if "search" not in request.GET:
            return queryset
        if getattr(queryset, "_filtered_by_tag", False):
            raise BadRequestError("filtering by tag with a search query is not supported")
        matching = Q()
        for language in LANGUAGES:
            pages = matching_pages(request.GET["search"], language)
            if pages is not None:
                matching |= Q(pk__in=pages)
        return queryset.filter(matching) if matching else queryset.none()


def checked_filters(viewset):
    replaced = {FieldsFilter: CheckedFieldsFilter, SearchFilter: DocumentSearchFilter}
    return [replaced.get(backend, backend) for backend in viewset.filter_backends]


class SitePagesAPIViewSet(PagesAPIViewSet):
    pagination_class = BoundedPagination
    filter_backends = checked_filters(PagesAPIViewSet)
    # ``search_operator`` would be ignored: every word must match, as on the site.
    known_query_parameters = PagesAPIViewSet.known_query_parameters - {"search_operator"}


class SiteImagesAPIViewSet(ImagesAPIViewSet):
    pagination_class = BoundedPagination
    filter_backends = checked_filters(ImagesAPIViewSet)


class SiteDocumentsAPIViewSet(DocumentsAPIViewSet):
    pagination_class = BoundedPagination
    filter_backends = checked_filters(DocumentsAPIViewSet)


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", SitePagesAPIViewSet)
api_router.register_endpoint("images", SiteImagesAPIViewSet)
api_router.register_endpoint("documents", SiteDocumentsAPIViewSet)
