from django.apps import AppConfig


class CharterConfig(AppConfig):
    name = "apps.charter"
    label = "charter"
    verbose_name = "Charter"
