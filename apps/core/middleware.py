import logging

from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware

from apps.core.views import describe, is_database_unavailable, service_unavailable

logger = logging.getLogger(__name__)

# Paths that live outside the /en/ and /ar/ prefixes on purpose.
UNPREFIXED = ("/api/", "/admin/", "/documents/", "/static/", "/media/", "/healthz/")


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
        if not is_database_unavailable(exception):
            return None
        logger.warning(
            "Database unreachable, answering 503 to %s %s (%s)",
            request.method,
            request.path,
            describe(exception),
        )
        return service_unavailable(request)
