from django.apps import AppConfig


class SiteSearchConfig(AppConfig):
    name = "apps.search"
    label = "sitesearch"  # "search" would clash with Wagtail's own search app
    verbose_name = "Site search"

    def ready(self):
        from . import signals  # noqa: F401
