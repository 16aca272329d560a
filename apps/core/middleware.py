import logging

from django.conf import settings
from django.db import DatabaseError
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware

from apps.core.addresses import UNPREFIXED
from apps.core.sites import find_site
from apps.core.views import describe, is_database_unavailable, service_unavailable

logger = logging.getLogger(__name__)


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's LocaleMiddleware, except that a 404 under /api/ (or the admin, documents,
    static files) stays a 404 instead of being redirected into a language prefix,
    where it would come back as an HTML page."""

    def process_response(self, request, response):
        if response.status_code == 404 and request.path_info.startswith(UNPREFIXED):
            return response
        return super().process_response(request, response)


class DatabaseUnavailableMiddleware:
    """A view or template that cannot reach the database answers 503 (the maintenance
    page, or JSON under /api/) and logs one line, not a traceback per request.

    Failures raised by other middleware never reach ``process_exception``: Django turns
    them into the handler500 response, which recognises them too
    (``apps.core.views.server_error``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        return unavailable(request, exception)


def unavailable(request, exception):
    """The 503 for an ``exception`` that says the database cannot be reached, logged in
    one line; None for any other."""
    if not is_database_unavailable(exception):
        return None
    logger.warning(
        "Database unreachable, answering 503 to %s %s (%s)",
        request.method,
        request.path,
        describe(exception),
    )
    return service_unavailable(request)


class SiteMiddleware:
    """On the public site (paths under a language prefix), the Site serving the
    request is found with its home page, and the site root paths of both languages are
    put back in the cache when it lost them, all from one query
    (:func:`apps.core.sites.find_site`), where Wagtail would ask for the site, then
    for its home page, then for each language's root paths. Wagtail keeps the site as
    ``request._wagtail_site``, where ``Site.find_for_request`` finds it.

    After the whole-page cache in MIDDLEWARE: a page served from it asks nothing."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.prefixes = tuple(f"/{code}/" for code, _name in settings.LANGUAGES)

    def __call__(self, request):
        if request.path_info.startswith(self.prefixes) and not hasattr(request, "_wagtail_site"):
            try:
                request._wagtail_site = find_site(request)
            except DatabaseError as error:
                # As for an outage met in a view: the maintenance page, one line logged.
                response = unavailable(request, error)
                if response is None:
                    raise
                return response
        return self.get_response(request)
