"""Settings shared by every environment.

Everything that differs between machines comes from the environment; the
per-environment modules (``dev``, ``test``, ``production``) only set defaults
and switch features on or off.
"""

import ipaddress
import os
import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name, default=None):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    if value.strip().lower() in {"1", "true", "yes", "on"}:
        return True
    if value.strip().lower() in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_list(name, default=""):
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


_HOSTNAME = re.compile(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*")


def site_url(value, source="SITE_URL"):
    """The site's public address, checked and normalised: ``scheme://host[:port]``.

    http or https, a host name (an IDN in its xn-- form) or an IP address, and nothing
    else: no path, query, fragment or credentials. The default port is dropped and the
    host lower-cased, so the value is exactly Wagtail's ``Site.root_url`` for it.
    Anything else stops start-up with ImproperlyConfigured.
    """
    text = str(value).strip()
    parts = urlsplit(text)
    hostname = parts.hostname or ""
    problem = _site_url_problem(text, parts, hostname)
    if problem:
        raise ImproperlyConfigured(
            f"{source} {problem} (it is {text!r}); give the public address of the site, "
            "e.g. https://mediation.example.org"
        )
    host = f"[{hostname}]" if ":" in hostname else hostname
    port = parts.port
    if port is not None and port != {"http": 80, "https": 443}[parts.scheme]:
        host = f"{host}:{port}"
    return f"{parts.scheme}://{host}"


def _site_url_problem(text, parts, hostname):
    """What is wrong with a SITE_URL, or None."""
    try:
        port = parts.port
    except ValueError:
        return "has a port that is not a number from 0 to 65535"
    if parts.scheme not in ("http", "https") or not text.lower().startswith(f"{parts.scheme}://"):
        return "must start with http:// or https://"
    if not hostname:
        return "names no host"
    if "@" in parts.netloc:
        return "must not contain a user name or password"
    if parts.path not in ("", "/") or "?" in text or "#" in text:
        return "must not have a path, query or fragment: the site is served from /"
    if not (_HOSTNAME.fullmatch(hostname) or _is_ip_address(hostname)):
        return f"has an invalid host name {hostname!r}"
    if parts.scheme == "https" and port not in (None, 443):
        # Wagtail's Site record can only say https by port 443 (Site.root_url).
        return "uses https on a port other than 443, which Wagtail's site record cannot express"
    if parts.scheme == "http" and port == 443:
        return "uses http on port 443"
    return None


def _is_ip_address(text):
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


DEBUG = False
SECRET_KEY = env("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Must come before the apps whose models it translates.
    "wagtail_modeltranslation",
    "wagtail_modeltranslation.makemigrations",
    # No "wagtail_modeltranslation.migrate": apps.core's ``migrate`` extends its
    # command and adds the translated columns of Wagtail's Page without asking.
    "apps.core",
    "apps.home",
    "apps.people",
    "apps.news",
    "apps.reports",
    "apps.charter",
    "apps.topics",
    "apps.importer",
    "apps.editorial",
    "apps.syndication",
    "apps.search",
    "wagtail.contrib.redirects",
    "wagtail.api.v2",
    "rest_framework",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    # The queue of background work when TASKS_BACKEND=database (see TASKS below).
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before WhiteNoise, so that static files get the header too.
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Whole-page cache: right after the static files, so that a hit costs what a static
    # file costs (and asks no database). A page is stored with the headers the
    # middleware below gave it (CSP, frame options, language); the two above add
    # theirs to hits and misses alike. Nothing below may vary from one reader to the
    # next on a page it lets be stored: a response that touched the session or CSRF
    # token, or sets a cookie, is never stored.
    "apps.core.page_cache.PageCacheMiddleware",
    # A view that cannot reach the database answers 503 (process_exception only).
    "apps.core.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "apps.core.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # django-csp with the admin's own policy and frame-ancestors taken from
    # X-Frame-Options: it must come before XFrameOptionsMiddleware to see that header.
    "apps.core.security.ContentSecurityPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # The site and its home page in one query.
    "apps.core.middleware.SiteMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last: turns a locked-out sign-in into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "mediation_site.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

WSGI_APPLICATION = "mediation_site.wsgi.application"


def database_from_env(default=None):
    """The database DATABASE_URL names; each environment module supplies a default."""
    url = env("DATABASE_URL") or default
    if not url:
        raise ImproperlyConfigured(
            "DATABASE_URL is not set: give it a value such as "
            "postgres://user:password@host:5432/name"
        )
    database = dj_database_url.parse(
        url,
        conn_max_age=int(env("DB_CONN_MAX_AGE", "60")),
        # A persistent connection is checked before each request reuses it, so a
        # restarted database costs no failed request.
        conn_health_checks=True,
    )
    if database["ENGINE"] == "django.db.backends.postgresql":
        # Give up on an unreachable server within seconds rather than the minutes
        # of the operating system's TCP timeout (a URL's ?connect_timeout= wins).
        options = database.setdefault("OPTIONS", {})
        options.setdefault("connect_timeout", int(env("DB_CONNECT_TIMEOUT", "5")))
        # No parallel workers for a statement by default: the site's statements read a
        # few rows through indexes, and starting workers cost a story's links 7 ms for
        # 0.2 ms of work when the planner misjudged them (docs/benchmarks.md). A
        # URL's ?options= wins.
        # Long values (a revision's content, a story's body) compressed with lz4 when
        # written: pglz, PostgreSQL's default, took three times as long, a fifth of the
        # server's CPU during an import (docs/benchmarks.md). DB_TOAST_COMPRESSION=pglz
        # for a server built without lz4.
        compression = env("DB_TOAST_COMPRESSION", "lz4")
        if compression not in ("lz4", "pglz"):
            raise ImproperlyConfigured(
                f"DB_TOAST_COMPRESSION must be lz4 or pglz, not {compression!r}"
            )
        options.setdefault(
            "options",
            f"-c max_parallel_workers_per_gather={int(env('DB_PARALLEL_WORKERS', '0'))} "
            f"-c default_toast_compression={compression}",
        )
        # The statements built once per process (apps.core.prepared) are bound on the
        # server and prepared there after five runs on a connection, so PostgreSQL
        # plans them once per connection (Django turns preparing off by default).
        # DB_PREPARED_STATEMENTS=0 behind a pooler in transaction mode (PgBouncer
        # before 1.21), where a connection's prepared statements are not its own.
        if env("DB_PREPARED_STATEMENTS", "1") != "0":
            options.setdefault("prepare_threshold", 5)
    return database


DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# django-axes refuses a locked-out account before the model backend checks its password.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Internationalisation: English is the default language, Arabic the second.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("ar", _("Arabic")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["mediation_site.formats"]

MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_LANGUAGES = ("en", "ar")
# A missing Arabic value falls back to English and the other way round; the
# templates say so visibly (see apps.core.templatetags).
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("en", "ar")}
WAGTAILMODELTRANSLATION_TRANSLATE_SLUGS = True
WAGTAILMODELTRANSLATION_LOCALE_PICKER = True
# Both languages open in the editor, so a translator sees the original beside the
# translation; the picker then hides either, and remembers the choice.
WAGTAILMODELTRANSLATION_LOCALE_PICKER_DEFAULT = ("en", "ar")
WAGTAILMODELTRANSLATION_LOCALE_PICKER_RESTORE = True

WAGTAIL_I18N_ENABLED = False  # one page tree; fields are translated in place
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = [("en", "English"), ("ar", "العربية")]
# The groups of translators and the languages each may write (apps.core.permissions):
# "translation" is the language of each page that is not its source language; a list
# of codes, e.g. {"Arabic translators": ["ar"]}, is those languages on every page.
TRANSLATOR_GROUPS = {"Translators": "translation"}

# Static and media files.
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "var" / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
# Django serves uploaded media itself only in development or when asked to (a local
# production-like run); in production a web server or object storage does.
SERVE_MEDIA = env_bool("SERVE_MEDIA", False)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Wagtail.
WAGTAIL_SITE_NAME = "UN Peace Mediation"
# The site's public address. Every absolute URL (canonical and hreflang links, feeds,
# the sitemap, robots.txt, the API, admin e-mails) is built from it and from the
# default Wagtail site, which follows it (apps.core.sites): never from the Host
# header or the path of a request. Each environment module may set another default.
SITE_URL = site_url(env("SITE_URL") or "http://127.0.0.1:8000")
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL") or SITE_URL
WAGTAILAPI_BASE_URL = SITE_URL
# PostgreSQL full-text search in production; English words are stemmed by PostgreSQL,
# Arabic is normalised in Python before indexing (apps/search/normalise.py, with the
# folding rule of apps/core/rules/arabic.py).
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "wagtail.search.backends.database", "SEARCH_CONFIG": "english"}
}
WAGTAILIMAGES_IMAGE_MODEL = "core.CustomImage"
WAGTAILIMAGES_IMAGE_FORM_BASE = "apps.editorial.image_forms.ImageForm"
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "odt", "txt"]

# Background work, through django-tasks: Wagtail's search-index, reference-index,
# rendition and CDN-purge tasks, the site's search documents (apps/search/tasks.py) and
# the finding of the addresses a change purges from the CDN (apps/core/signals.py).
# "immediate" (the default, for development and tests) runs each task at once in the
# process that enqueues it; "database" queues it in the database, in the transaction
# that asked for it, for the worker service (`manage.py db_worker`, docker-compose.yml),
# so that a publish request does not wait for indexing.
TASK_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}


def tasks_setting(backend):
    """The TASKS setting for TASKS_BACKEND=``backend``."""
    if backend not in TASK_BACKENDS:
        raise ImproperlyConfigured(
            f"TASKS_BACKEND={backend!r} is not one of: {', '.join(TASK_BACKENDS)}"
        )
    return {"default": {"BACKEND": TASK_BACKENDS[backend]}}


TASKS = tasks_setting(env("TASKS_BACKEND", "immediate"))

# Cache: Redis when REDIS_URL is set, local memory otherwise. An unreachable Redis
# is an empty cache, not an error (apps/core/cache.py); short timeouts keep a silent
# one from holding a worker.
if env("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "apps.core.cache.ResilientRedisCache",
            "LOCATION": env("REDIS_URL"),
            "KEY_PREFIX": "mediation",
            "OPTIONS": {
                "socket_connect_timeout": float(env("REDIS_CONNECT_TIMEOUT", "0.5")),
                "socket_timeout": float(env("REDIS_SOCKET_TIMEOUT", "1")),
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Whole-page cache of anonymous public pages (apps/core/page_cache.py): seconds a
# page is kept in the cache above (0: off). Any change the public could see purges it.
PAGE_CACHE_SECONDS = int(env("PAGE_CACHE_SECONDS", "300"))
# Cache-Control of those pages: how long a browser (max-age) and a CDN or caching
# proxy (s-maxage, purged through wagtail.contrib.frontend_cache) may keep them.
CACHE_CONTROL_MAX_AGE = int(env("CACHE_CONTROL_MAX_AGE", "60"))
CACHE_CONTROL_S_MAXAGE = int(env("CACHE_CONTROL_S_MAXAGE", "300"))

# Security headers (django-csp 4.x). No third-party origin is ever needed.
# frame-ancestors is rewritten on every response to agree with X-Frame-Options
# ('none' with DENY, 'self' with SAMEORIGIN): apps.core.security.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    },
}
# The Wagtail admin's own policy: the strictest it works under, found by using every
# part of the admin in Chromium under a strict report-only policy (README, "Security
# headers"). Wagtail 8 still writes inline <script> elements (widget and inline-panel
# set-up) and Draftail inserts <style> elements, so those two need 'unsafe-inline';
# the report-only policy below keeps reporting them. Inline event handlers and style
# attributes are refused.
ADMIN_CSP_URL_PREFIXES = ("/admin/",)
ADMIN_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'none'"],
        "script-src": ["'self'", "'unsafe-inline'"],
        "script-src-attr": ["'none'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "style-src-attr": ["'none'"],
        "img-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'"],
        "object-src": ["'none'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
    },
}
ADMIN_CONTENT_SECURITY_POLICY_REPORT_ONLY = {
    "DIRECTIVES": {
        "script-src": ["'self'", "'report-sample'"],
        "style-src": ["'self'", "'report-sample'"],
    },
}
# Where browsers send reports of what the policies refuse (e.g. a Sentry project's
# security header endpoint); without it they appear only in the browser's console.
CSP_REPORT_URI = env("CSP_REPORT_URI")
if CSP_REPORT_URI:
    for policy in (
        CONTENT_SECURITY_POLICY,
        ADMIN_CONTENT_SECURITY_POLICY,
        ADMIN_CONTENT_SECURITY_POLICY_REPORT_ONLY,
    ):
        policy["DIRECTIVES"]["report-uri"] = [CSP_REPORT_URI]
# The admin would otherwise fetch avatars from gravatar.com and Wagtail's release
# feed from releases.wagtail.org: third parties the policy does not allow.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# No page of the site is meant to be framed by another; Wagtail's preview views
# ask for SAMEORIGIN themselves, so the admin's preview panel still works.
X_FRAME_OPTIONS = "DENY"

# Permissions-Policy (django-permissions-policy): every powerful feature the site
# does not use is switched off, for it and anything it might embed. (Features that
# Chromium does not know are left out: it warns about each one in the console.)
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "captured-surface-control",
        "compute-pressure",
        "display-capture",
        "encrypted-media",
        "gamepad",
        "geolocation",
        "gyroscope",
        "hid",
        "identity-credentials-get",
        "idle-detection",
        "interest-cohort",
        "keyboard-map",
        "local-fonts",
        "magnetometer",
        "microphone",
        "midi",
        "otp-credentials",
        "payment",
        "picture-in-picture",
        "publickey-credentials-create",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "speaker-selection",
        "storage-access",
        "usb",
        "window-management",
        "xr-spatial-tracking",
    )
} | {"fullscreen": ["self"]}

# Password guessing (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one
# account from one address, that account is refused from that address for
# AXES_COOLOFF_TIME; a right password clears the count. The same holds for the
# passwords of private pages and document collections (apps.core.security).
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(hours=1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_HTTP_RESPONSE_CODE = 429
AXES_LOCKOUT_CALLABLE = "apps.core.security.lockout_response"
AXES_VERBOSE = False  # no banner on every command; failures are still logged


# The client's address is REMOTE_ADDR unless the deployment says how many reverse
# proxies stand in front of the site; each appends the address it was reached from
# to X-Forwarded-For, so the client is the TRUSTED_PROXY_COUNT-th entry from the
# right, and anything a client wrote further left is ignored.
def client_address_settings(trusted_proxy_count):
    """django-axes' settings for finding the client's address behind
    ``trusted_proxy_count`` reverse proxies."""
    if not trusted_proxy_count:
        return {"AXES_IPWARE_META_PRECEDENCE_ORDER": ("REMOTE_ADDR",)}
    return {
        "AXES_IPWARE_META_PRECEDENCE_ORDER": ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"),
        # python-ipware counts the proxies listed in X-Forwarded-For: all but the last.
        "AXES_IPWARE_PROXY_COUNT": trusted_proxy_count - 1,
        "IPWARE_STRICT": False,  # a longer chain (a client's own header) is not an error
    }


TRUSTED_PROXY_COUNT = int(env("TRUSTED_PROXY_COUNT", "0"))
globals().update(client_address_settings(TRUSTED_PROXY_COUNT))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        # Wagtail runs index updates as tasks; their start/finish lines are noise.
        "django_tasks": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "wagtail": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}

# Outside production, WhiteNoise serves static files straight from the finders.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
