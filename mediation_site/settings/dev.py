"""Development settings: the embedded SQLite database and a throwaway key."""

from .base import *  # noqa: F403

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env("SECRET_KEY", "dev-only-insecure-key-not-for-production")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],0.0.0.0")
# Where `make run` serves the site (PORT=8001 make run moves it).
SITE_URL = site_url(env("SITE_URL") or f"http://127.0.0.1:{env('PORT') or '8000'}")
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL") or SITE_URL
WAGTAILAPI_BASE_URL = SITE_URL

DATABASES = {"default": database_from_env(f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}")}

EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# The development superuser (created by `make run`, never in production).
DEV_SUPERUSER = {
    "username": env("DEV_SUPERUSER_USERNAME", "admin"),
    "password": env("DEV_SUPERUSER_PASSWORD", "admin"),
    "email": "admin@example.org",
}

if env_bool("DEBUG_TOOLBAR", False):
    INSTALLED_APPS += ["debug_toolbar"]
    MIDDLEWARE.insert(0, "debug_toolbar.middleware.DebugToolbarMiddleware")
    INTERNAL_IPS = ["127.0.0.1"]
