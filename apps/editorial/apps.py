from django.apps import AppConfig


class EditorialConfig(AppConfig):
    name = "apps.editorial"
    label = "editorial"
    verbose_name = "Editorial workflow"
