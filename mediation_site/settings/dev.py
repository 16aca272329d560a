"""Development settings: the embedded SQLite database and a throwaway key."""

from .base import *  # noqa: F403

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env("SECRET_KEY", "dev-only-insecure-key-not-for-production")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],0.0.0.0")

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
