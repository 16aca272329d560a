from django.apps import AppConfig


class CharterConfig(AppConfig):
    name = "apps.charter"
    label = "charter"
    verbose_name = "Charter"

    def ready(self):
        from . import mentions  # the models are loaded only now

        mentions.register_mentions()
