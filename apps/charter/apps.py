from django.apps import AppConfig

from apps.core.mentions import ARTICLE, register


class CharterConfig(AppConfig):
    name = "apps.charter"
    label = "charter"
    verbose_name = "Charter"

    def ready(self):
        from . import mentions  # the models are loaded only now

        register(ARTICLE, mentions.article_urls)
