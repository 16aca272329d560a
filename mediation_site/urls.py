from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from django.views.decorators.cache import never_cache

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.auth import require_admin_access
from wagtail.documents import urls as wagtaildocs_urls

from apps.core import security
from apps.core.views import healthz
from apps.editorial.account import AccountView
from apps.syndication.api import api_router
from apps.syndication.views import robots_txt, sitemap_index, sitemap_section

# A database that cannot be reached answers 503 with the maintenance page, wherever
# the error was raised (apps/core/views.py).
handler500 = "apps.core.views.server_error"


urlpatterns = [
    # The sitemap's index and its section files beside it (apps/syndication/sitemaps.py).
    path("sitemap.xml", sitemap_index, name="sitemap"),
    path("sitemap-<slug:section>.xml", sitemap_section, name="sitemap-section"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("api/v2/", api_router.urls),
    # Wagtail's account page with optional names, so that any user can switch the
    # admin's language (apps/editorial/account.py); before Wagtail's own at this address,
    # with the checks and the user's language that Wagtail gives its admin views.
    path(
        "admin/account/",
        never_cache(require_admin_access(AccountView.as_view())),
        name="wagtailadmin_account",
    ),
    path("admin/", include(wagtailadmin_urls)),
    # Wagtail's password form for private document collections, with guessing stopped.
    path(
        "documents/authenticate_with_password/<int:restriction_id>/",
        security.authenticate_document_with_password,
        name="wagtaildocs_authenticate_with_password",
    ),
    path("documents/", include(wagtaildocs_urls)),
    path("healthz/", healthz, name="healthz"),
]

if settings.DEBUG or settings.SERVE_MEDIA:
    from django.urls import re_path
    from django.views.static import serve

    media = settings.MEDIA_URL.lstrip("/")
    urlpatterns += [
        re_path(rf"^{media}(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})
    ]
if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    if "debug_toolbar" in settings.INSTALLED_APPS:
        urlpatterns = [path("__debug__/", include("debug_toolbar.urls")), *urlpatterns]

# Every public page lives under /en/ or /ar/; "/" is redirected by LocaleMiddleware
# to the language the browser prefers.
urlpatterns += i18n_patterns(
    path("", include("apps.syndication.urls")),
    path("", include("apps.search.urls")),
    # Wagtail's password form for private pages, with guessing stopped (same path
    # and name as Wagtail's own, which it shadows).
    path(
        "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/",
        security.authenticate_with_password,
        name="wagtailcore_authenticate_with_password",
    ),
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)
