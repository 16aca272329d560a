from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware

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
