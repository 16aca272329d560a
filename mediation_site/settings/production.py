"""Production settings: everything comes from the environment.

Start-up fails when SECRET_KEY or DATABASE_URL is missing. Optional services
are switched on by their variables: REDIS_URL (shared cache), AWS_STORAGE_BUCKET_NAME
(S3-compatible media storage), SENTRY_DSN (error reporting) and
FRONTEND_CACHE_PURGE_URL (CDN / reverse-proxy purge on publish).
"""

from .base import *  # noqa: F403

DEBUG = False

SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is not set: production needs a long random value in the environment"
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS is not set: give the site's host names, comma-separated"
    )

DATABASES = {"default": database_from_env()}

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Media on S3-compatible object storage when a bucket is configured.
AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME")
if AWS_STORAGE_BUCKET_NAME:
    AWS_S3_ENDPOINT_URL = env("AWS_S3_ENDPOINT_URL")
    AWS_S3_REGION_NAME = env("AWS_S3_REGION_NAME")
    AWS_S3_CUSTOM_DOMAIN = env("AWS_S3_CUSTOM_DOMAIN")
    AWS_DEFAULT_ACL = None
    AWS_QUERYSTRING_AUTH = False
    AWS_S3_FILE_OVERWRITE = False
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage"}
    # Images now come from the bucket's address: both Content-Security-Policies allow it.
    if AWS_S3_CUSTOM_DOMAIN:
        media_origins = [f"https://{AWS_S3_CUSTOM_DOMAIN}"]
    elif AWS_S3_ENDPOINT_URL:
        scheme, _, host = AWS_S3_ENDPOINT_URL.rstrip("/").partition("://")
        media_origins = [f"{scheme}://{host}", f"{scheme}://{AWS_STORAGE_BUCKET_NAME}.{host}"]
    else:
        region = f".{AWS_S3_REGION_NAME}" if AWS_S3_REGION_NAME else ""
        media_origins = [f"https://{AWS_STORAGE_BUCKET_NAME}.s3{region}.amazonaws.com"]
    for policy in (CONTENT_SECURITY_POLICY, ADMIN_CONTENT_SECURITY_POLICY):
        policy["DIRECTIVES"]["img-src"] = [*policy["DIRECTIVES"]["img-src"], *media_origins]

# HTTPS and cookies. The site sits behind a proxy that terminates TLS and sets
# X-Forwarded-Proto; the health check is reached over plain HTTP inside the network.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True

# The public address of the site (see base.py): SITE_URL, else https:// and the first
# of ALLOWED_HOSTS; refused at start-up when it is not a plain http(s) address.
SITE_URL = site_url(
    env("SITE_URL") or f"https://{ALLOWED_HOSTS[0]}",
    source="SITE_URL" if env("SITE_URL") else "SITE_URL (unset, so from ALLOWED_HOSTS)",
)
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL") or SITE_URL
WAGTAILAPI_BASE_URL = SITE_URL

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "webmaster@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Purge the CDN / caching proxy when a page is published.
if env("FRONTEND_CACHE_PURGE_URL"):
    INSTALLED_APPS += ["wagtail.contrib.frontend_cache"]
    WAGTAILFRONTENDCACHE = {
        "default": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": env("FRONTEND_CACHE_PURGE_URL"),
        }
    }

# Without Redis each gunicorn worker (and the scheduler) would hold a cache of its
# own, which a purge in another process does not reach: the page cache is then off
# unless PAGE_CACHE_SECONDS asks for it.
if not env("REDIS_URL") and env("PAGE_CACHE_SECONDS") is None:
    PAGE_CACHE_SECONDS = 0

if env("SENTRY_DSN"):
    import sentry_sdk

    sentry_sdk.init(
        dsn=env("SENTRY_DSN"),
        environment=env("SENTRY_ENVIRONMENT", "production"),
        traces_sample_rate=float(env("SENTRY_TRACES_SAMPLE_RATE", "0")),
        send_default_pii=False,
    )

WHITENOISE_USE_FINDERS = False
WHITENOISE_AUTOREFRESH = False

# Search at scale: past what PostgreSQL's full-text search serves, SEARCH_URL (e.g.
# https://user:password@search.example:9200) moves search to an Elasticsearch or
# OpenSearch cluster through Wagtail's own backend; SEARCH_BACKEND names which
# (elasticsearch8 by default; elasticsearch7, elasticsearch9, opensearch2, opensearch3),
# SEARCH_INDEX_PREFIX the indexes' prefix. The per-language documents
# (apps.search.models.SearchDocument) are indexed as they are, already normalised:
# the default analyser is the "english" one, as the database backend's configuration.
# Fill the new indexes with `python manage.py update_index` once.
if env("SEARCH_URL"):
    SEARCH_BACKEND = env("SEARCH_BACKEND") or "elasticsearch8"
    if SEARCH_BACKEND not in (
        "elasticsearch7",
        "elasticsearch8",
        "elasticsearch9",
        "opensearch2",
        "opensearch3",
    ):
        raise ImproperlyConfigured(
            f"SEARCH_BACKEND={SEARCH_BACKEND!r}: elasticsearch7, 8 or 9, or opensearch2 or 3"
        )
    WAGTAILSEARCH_BACKENDS = {
        "default": {
            "BACKEND": f"wagtail.search.backends.{SEARCH_BACKEND}",
            "URLS": [env("SEARCH_URL")],
            "INDEX_PREFIX": env("SEARCH_INDEX_PREFIX") or "mediation_",
            "TIMEOUT": 5,
            "INDEX_SETTINGS": {
                "settings": {"analysis": {"analyzer": {"default": {"type": "english"}}}}
            },
        }
    }
