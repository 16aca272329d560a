"""Test settings: fast hashing, a temporary media root, any DATABASE_URL."""

import tempfile

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-key"  # noqa: S105
ALLOWED_HOSTS = ["*"]

DATABASES = {"default": database_from_env(f"sqlite:///{BASE_DIR / 'var' / 'test.sqlite3'}")}

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="mediation-test-media-"))
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Tests render pages afresh; tests/test_page_cache.py turns the page cache on itself.
PAGE_CACHE_SECONDS = 0
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Django's test client asks for http://testserver; a different Host header must not
# change any absolute URL (tests/test_absolute_urls.py).
SITE_URL = "http://testserver"
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAILAPI_BASE_URL = SITE_URL
