"""The whole-page cache and the ``Cache-Control`` of public pages.

Anonymous ``GET`` and ``HEAD`` requests for public pages (everything under the
language prefixes, the sitemap and ``robots.txt``) are answered from Django's default
cache — Redis in production, local memory in development — for
``PAGE_CACHE_SECONDS`` (``0`` turns the cache off). The address includes the language
prefix, so each language has its own entries.

Every entry is tagged with the site's *generation*, a random token kept in the same
cache. Any change the public could see (publishing, unpublishing, moving or deleting
a page, a view restriction, a snippet or image a page shows: ``apps.core.signals``)
replaces the token once the transaction commits, and every entry of the old token is
a miss from then on: the whole local cache is purged at once, with one write. A
response rendered while a change commits carries the token it read before rendering,
so it cannot outlive the change either.

A response is stored, and sent with ``Cache-Control: public, max-age=…, s-maxage=…``
for browsers (``CACHE_CONTROL_MAX_AGE``) and a CDN (``CACHE_CONTROL_S_MAXAGE``), only
when it is a 200 to a request without the session cookie that touched neither the
session nor the CSRF token, sets no cookie, is not a preview and does not say itself
that it is private. A response to a signed-in user (any request with the session
cookie), a preview, or one that touched the session or CSRF token or sets a cookie is
marked ``private`` and ``no-store`` instead, and is never stored or served from here.

The middleware comes right after the static files in ``MIDDLEWARE``: a hit runs
nothing else of the site (no session, locale, CSRF, authentication, messages or CSP
middleware) and asks no database, so a cached page costs about what a static file
costs. An entry keeps every header the middleware below gave the page (its CSP, frame
options, language), and the security and permissions-policy middleware above add
theirs to hits and misses alike.
"""

import hashlib
import uuid
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import add_never_cache_headers, patch_cache_control

from .addresses import UNPREFIXED

GENERATION_KEY = "page-cache:generation"
KEY_PREFIX = "page-cache:page:"
VALUE_PREFIX = "page-cache:value:"
# Set on every response this middleware could have served from its cache.
STATUS_HEADER = "X-Page-Cache"
SAFE_METHODS = ("GET", "HEAD")
# Answers that only say the response is private; any of them keeps it out.
PRIVATE_DIRECTIVES = ("private", "no-store", "no-cache")


# The generation as the request being served read it, once (``{"value": token}``, or
# ``{}`` before its first use); None outside a request.
_request_generation = ContextVar("page_cache_request_generation", default=None)
# What ``remembered`` kept in this process, for one generation: (token, {name: value}).
_kept = (None, {})


def page_cache_seconds():
    return settings.PAGE_CACHE_SECONDS


def bump_generation():
    """Make every cached page a miss: a new random generation token."""
    cache.set(GENERATION_KEY, uuid.uuid4().hex, None)
    state = _request_generation.get()
    if state is not None:
        # The rest of this request reads the new one.
        state.pop("value", None)


def current_generation(found):
    """The generation among ``found`` (a ``get_many`` result), created when missing.
    None when the cache cannot be reached."""
    generation = found.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex, None)
        generation = cache.get(GENERATION_KEY)
    return generation


def generation():
    """The current generation: read from the cache once per request (the page cache's
    middleware marks where a request starts and ends), each time outside one. None
    when the cache cannot be reached."""
    state = _request_generation.get()
    if state is not None and "value" in state:
        return state["value"]
    value = current_generation(cache.get_many([GENERATION_KEY]))
    if state is not None and value is not None:
        state["value"] = value
    return value


def remembered(name, compute, seconds=24 * 60 * 60, shared=True):
    """``compute()``, kept until the next change the public can see (a new
    generation), so that what many pages show and every page of the archive goes into
    (the years of a listing's filter, the site and its root paths) is not read again
    on each request.

    Kept in this process, and (``shared``) in the cache under ``name`` for the other
    processes: within a generation a request asks the cache for the generation once
    and for nothing it already remembers. The value is shared by every request of
    the process: treat it as read-only. Computed each time when the cache cannot be
    reached."""
    global _kept
    current = generation()
    if current is None:
        return compute()
    kept_generation, kept = _kept
    if kept_generation != current:
        kept = {}
        _kept = (current, kept)
    if name in kept:
        return kept[name]
    key = f"{VALUE_PREFIX}{name}:{current}"
    value = cache.get(key) if shared else None
    if value is None:
        value = compute()
        if shared:
            cache.set(key, value, seconds)
    kept[name] = value
    return value


def page_key(request):
    address = f"{request.get_host()}{request.get_full_path()}"
    return KEY_PREFIX + hashlib.sha256(address.encode()).hexdigest()


def covered(request):
    """Whether the request asks for a public page that the cache may answer."""
    return request.method in SAFE_METHODS and not request.path_info.startswith(UNPREFIXED)


def has_session_cookie(request):
    return settings.SESSION_COOKIE_NAME in request.COOKIES


def is_preview(request):
    """A preview or "view draft": Wagtail runs it through the middleware as a dummy
    request to the page's own address, which must never be answered from the cache."""
    return getattr(request, "is_dummy", False) or getattr(request, "is_preview", False)


def bypasses(request):
    return not covered(request) or has_session_cookie(request) or is_preview(request)


def private_reason(request, response):
    """Why the response is for this visitor only, or None."""
    if has_session_cookie(request):
        return "session cookie"
    if is_preview(request):
        return "preview"
    session = getattr(request, "session", None)
    if session is not None and (session.accessed or session.modified):
        return "session"
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return "CSRF token"
    if response.cookies:
        return "cookie"
    if "cookie" in response.get("Vary", "").lower():
        return "varies on cookies"
    return None


def says_private(response):
    control = response.get("Cache-Control", "").lower()
    return any(directive in control for directive in PRIVATE_DIRECTIVES)


def entry_for(response, generation):
    return {
        "generation": generation,
        "headers": list(response.items()),
        "content": response.content,
    }


def response_from(entry):
    response = HttpResponse(entry["content"])
    for name, value in entry["headers"]:
        response[name] = value
    response[STATUS_HEADER] = "hit"
    return response


class PageCacheMiddleware:
    """Serve and store anonymous public pages; set their ``Cache-Control``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        state = {}
        token = _request_generation.set(state)
        try:
            return self.respond(request, state)
        finally:
            _request_generation.reset(token)

    def respond(self, request, state):
        seconds = page_cache_seconds()
        if bypasses(request) or not seconds:
            response = self.get_response(request)
            self.mark(request, response)
            return response
        key = page_key(request)
        found = cache.get_many([GENERATION_KEY, key])
        current = current_generation(found)
        entry = found.get(key)
        if entry is not None and current is not None and entry["generation"] == current:
            return response_from(entry)
        if current is not None:
            state["value"] = current
        response = self.get_response(request)
        shared = self.mark(request, response)
        if shared and current is not None and request.method == "GET":
            cache.set(key, entry_for(response, current), seconds)
            response[STATUS_HEADER] = "miss"
        return response

    def mark(self, request, response):
        """Set ``public`` on a page everyone may share and return True; ``private,
        no-store`` on one that is this visitor's own. Anything else (an error, a
        redirect, the admin) is left as it is."""
        if not (covered(request) or is_preview(request)):
            return False
        if private_reason(request, response):
            add_never_cache_headers(response)
            return False
        if response.status_code != 200 or response.streaming or says_private(response):
            return False
        patch_cache_control(
            response,
            public=True,
            max_age=settings.CACHE_CONTROL_MAX_AGE,
            s_maxage=settings.CACHE_CONTROL_S_MAXAGE,
        )
        return True
