"""Views that keep answering while the database or the cache is down.

Nothing here may need the database to build its response: the maintenance page is
rendered without a request, so no context processor runs and no Site is looked up.
"""

import logging
import sys
import uuid

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.db import InterfaceError as DjangoInterfaceError
from django.db import OperationalError as DjangoOperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.cache import add_never_cache_headers
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.defaults import server_error as default_server_error

logger = logging.getLogger(__name__)

# Errors that mean "the database cannot be reached (now)", as opposed to a bug: Django
# wraps the driver's errors in its own, but a few paths let psycopg's through.
DATABASE_UNAVAILABLE = (DjangoOperationalError, DjangoInterfaceError)
try:
    import psycopg
except ImportError:  # SQLite-only installs
    pass
else:
    DATABASE_UNAVAILABLE += (psycopg.OperationalError, psycopg.InterfaceError)

# Seconds a client (or a crawler) is asked to wait before trying again.
RETRY_AFTER = 30
API_PREFIX = "/api/"


def is_database_unavailable(exception):
    """Whether the exception, or one it was raised from or while handling, says that
    the database cannot be reached."""
    seen = set()
    while exception is not None and id(exception) not in seen:
        if isinstance(exception, DATABASE_UNAVAILABLE):
            return True
        seen.add(id(exception))
        exception = exception.__cause__ or (
            None if exception.__suppress_context__ else exception.__context__
        )
    return False


def describe(exception):
    """One line for the log: the error's class and the first line of its message."""
    message = str(exception).strip().splitlines()
    return f"{type(exception).__name__}: {message[0]}" if message else type(exception).__name__


def service_unavailable(request):
    """503 with ``Retry-After``: JSON under /api/, otherwise the bilingual maintenance
    page, first in the language of the address."""
    if request.path_info.startswith(API_PREFIX):
        response = JsonResponse(
            {"detail": "The service is temporarily unavailable. Please try again later."},
            status=503,
        )
    else:
        first = "ar" if request.path_info.startswith("/ar/") else "en"
        languages = [first, *(code for code in ("en", "ar") if code != first)]
        # No request: no context processors, so nothing here touches the database.
        body = loader.render_to_string("503.html", {"languages": languages})
        response = HttpResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    add_never_cache_headers(response)
    return response


def server_error(request):
    """handler500: a database that cannot be reached is an outage (503), not a bug.

    Django calls it for an exception raised anywhere, middleware included, with the
    exception still in ``sys.exc_info()``."""
    if is_database_unavailable(sys.exc_info()[1]):
        return service_unavailable(request)
    return default_server_error(request)


def database_is_up():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        logger.warning("Health check: database unreachable (%s)", describe(error))
        return False
    return True


def cache_is_up():
    """A set/get round-trip. The cache backend swallows its own outages
    (apps/core/cache.py), so a value that does not come back is the sign of one."""
    key = f"healthz:{uuid.uuid4().hex}"
    value = uuid.uuid4().hex
    try:
        cache.set(key, value, 10)
        up = cache.get(key) == value
        cache.delete(key)
    except Exception as error:  # any backend, any failure: report it, do not raise
        logger.warning("Health check: cache unreachable (%s)", describe(error))
        return False
    return up


@require_safe
@never_cache
def healthz(request):
    """Health check for the container and load balancers, in plain text, one line per
    service. 503 when the database is down (nothing can be served); 200 when only the
    cache is, since pages are then built from the database."""
    checks = {"database": database_is_up(), "cache": cache_is_up()}
    body = "".join(f"{name}: {'ok' if up else 'unreachable'}\n" for name, up in checks.items())
    return HttpResponse(
        body, content_type="text/plain; charset=utf-8", status=200 if checks["database"] else 503
    )
