from django.apps import AppConfig

from apps.core.mentions import RESOLUTION, SYMBOL, register


class ReportsConfig(AppConfig):
    name = "apps.reports"
    label = "reports"
    verbose_name = "Reports"

    def ready(self):
        from . import mentions  # the models are loaded only now

        register(SYMBOL, mentions.symbol_urls)
        register(RESOLUTION, mentions.resolution_urls)
