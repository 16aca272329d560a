from django.apps import AppConfig


class SyndicationConfig(AppConfig):
    name = "apps.syndication"
    label = "syndication"
    verbose_name = "Feeds and sitemap"

    def ready(self):
        from . import sitemaps  # the models are loaded only now

        sitemaps.register_purge()
