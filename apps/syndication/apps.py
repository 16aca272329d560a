from django.apps import AppConfig


class SyndicationConfig(AppConfig):
    name = "apps.syndication"
    label = "syndication"
    verbose_name = "Feeds and sitemap"
